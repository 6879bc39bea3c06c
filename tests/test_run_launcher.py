"""The local run launcher tells run monitoring which run workers are gone: real processes
killed with SIGKILL, a real instance from the repository's dagster.yaml, and Dagster's own
monitoring step deciding."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import EngineEventData
from dagster._core.launcher import WorkerStatus
from dagster._core.storage.tags import GRPC_INFO_TAG
from dagster._daemon.monitoring.run_monitoring import monitor_started_run

from ecom_platform.lib.processes import owner_id
from ecom_platform.run_launcher import OWNER_TAG, LocalRunLauncher, pid_health

ROOT = Path(__file__).resolve().parent.parent
LOCAL_CODE_SERVER = json.dumps({"host": "localhost", "port": 4266})


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    shutil.copy(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        yield instance


@pytest.fixture
def worker() -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(["sleep", "300"])
    yield process
    process.kill()
    process.wait()


def started_run(instance: dg.DagsterInstance, tags: dict[str, str]) -> dg.DagsterRun:
    return instance.add_run(
        dg.DagsterRun(job_name="daily_pipeline", status=dg.DagsterRunStatus.STARTED, tags=tags)
    )


def logged_worker(instance: dg.DagsterInstance, run: dg.DagsterRun, pid: int) -> None:
    """What Dagster's run worker logs first (dagster/_grpc/impl.py)."""
    instance.report_engine_event(
        f"Started process for run (pid: {pid}).", run, EngineEventData.in_process(pid)
    )


def kill(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()


def test_the_repository_instance_uses_the_local_launcher(instance):
    assert isinstance(instance.run_launcher, LocalRunLauncher)
    assert instance.run_monitoring_enabled


def test_a_daemon_launched_worker_is_alive_until_killed(instance, worker):
    run = started_run(instance, {GRPC_INFO_TAG: LOCAL_CODE_SERVER})
    launcher = instance.run_launcher
    assert launcher.check_run_worker_health(run).status == WorkerStatus.UNKNOWN  # not started
    logged_worker(instance, run, worker.pid)
    assert launcher.check_run_worker_health(run).status == WorkerStatus.RUNNING
    kill(worker)
    health = launcher.check_run_worker_health(run)
    assert health.status == WorkerStatus.FAILED
    assert f"pid {worker.pid}" in health.msg and "gone" in health.msg


def test_a_recycled_pid_is_not_the_worker(worker):
    """A live process under the logged pid that started after the log line is another one."""
    now = time.time()
    assert pid_health(worker.pid, logged_at=now).status == WorkerStatus.RUNNING
    assert pid_health(worker.pid, logged_at=now - 60).status == WorkerStatus.FAILED


def test_workers_on_another_host_are_not_judged(instance, worker):
    remote = json.dumps({"host": "code-server.internal", "port": 4000})
    run = started_run(instance, {GRPC_INFO_TAG: remote})
    logged_worker(instance, run, 999_999)
    assert instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.UNKNOWN
    elsewhere = started_run(instance, {OWNER_TAG: "another-host:123:456"})
    assert instance.run_launcher.check_run_worker_health(elsewhere).status == WorkerStatus.UNKNOWN


def test_run_monitoring_fails_the_runs_of_dead_workers_only(instance, worker):
    """Dagster's monitoring step, as the daemon runs it, on a daemon-launched run and a CLI
    run whose workers were killed, and on a live one."""
    doomed = subprocess.Popen(["sleep", "300"])
    daemon_run = started_run(instance, {GRPC_INFO_TAG: LOCAL_CODE_SERVER})
    logged_worker(instance, daemon_run, doomed.pid)
    cli_doomed = subprocess.Popen(["sleep", "300"])
    cli_run = started_run(instance, {OWNER_TAG: owner_id(cli_doomed.pid)})
    live_run = started_run(instance, {GRPC_INFO_TAG: LOCAL_CODE_SERVER})
    logged_worker(instance, live_run, worker.pid)
    kill(doomed)
    kill(cli_doomed)

    for run in (daemon_run, cli_run, live_run):
        record = instance.get_run_record_by_id(run.run_id)
        monitor_started_run(instance, None, record, logging.getLogger("test"))

    runs = (daemon_run, cli_run, live_run)
    status = {run.run_id: instance.get_run_by_id(run.run_id).status for run in runs}
    assert status == {
        daemon_run.run_id: dg.DagsterRunStatus.FAILURE,
        cli_run.run_id: dg.DagsterRunStatus.FAILURE,
        live_run.run_id: dg.DagsterRunStatus.STARTED,
    }
