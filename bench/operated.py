"""The operated scenario: one day launched through the Dagster daemon's run queue and launcher,
as the UI, the schedule and the sensor launch it (not in the CLI's process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
QUEUED = """
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
"""
TIMEOUT_S = 900


def instance_yaml(home: Path) -> None:
    """The repository's dagster.yaml, with a run queue if it has none (the daemon dequeues)."""
    home.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "dagster.yaml").read_text()
    if "run_coordinator" not in config:
        config += QUEUED
    (home / "dagster.yaml").write_text(config)


def daemon_run_seconds(
    workdir: Path,
    platform_env: Callable[[Path, Path], dict[str, str]],
    landing: Path,
    day: date,
) -> dict[str, float]:
    """Submit one partition of `daily_pipeline`; seconds the run took, and submit-to-done."""
    import dagster as dg

    env = platform_env(workdir, landing)
    home = Path(env["DAGSTER_HOME"])
    instance_yaml(home)
    daemon = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        submitted = time.time()
        tags = json.dumps({"dagster/partition": day.isoformat()})
        subprocess.run(
            [str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml"]
            + ["-j", "daily_pipeline", "--tags", tags],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        os.environ["DAGSTER_HOME"] = str(home)
        with dg.DagsterInstance.get() as instance:
            run = wait_for_run(instance)
            stats = instance.get_run_stats(run.run_id)
        if run.status != dg.DagsterRunStatus.SUCCESS:
            raise SystemExit(f"the daemon-launched run ended {run.status}")
        return {
            "run_s": round(stats.end_time - stats.start_time, 2),
            "submit_to_done_s": round(stats.end_time - submitted, 2),
        }
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def wait_for_run(instance) -> object:  # a DagsterRun
    import dagster as dg

    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        runs = instance.get_runs(limit=1)
        if runs and runs[0].status in (
            dg.DagsterRunStatus.SUCCESS,
            dg.DagsterRunStatus.FAILURE,
            dg.DagsterRunStatus.CANCELED,
        ):
            return runs[0]
        time.sleep(1)
    raise SystemExit(f"the daemon-launched run did not finish in {TIMEOUT_S} s")
