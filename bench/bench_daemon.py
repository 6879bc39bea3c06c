"""Runs launched by the daemon against `ecom-platform run`, and landing-to-gold latency.

    .venv/bin/python bench/bench_daemon.py             # scale 1, one day

In a fresh temp folder: generate one day, run it once with the CLI (warm-up: creates
the warehouse), then time (1) `ecom-platform run` of the same day, (2) the same day
launched through the real `dagster dev` daemon (queued run, in-process executor),
and (3) with the landing sensor switched on, a late file dropped into that day until
its gold partition is materialized again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.dagster_dev import DagsterDev  # noqa: E402

DAY = "2024-01-01"
BIN = Path(sys.executable).parent
GOLD_ASSET = ["gold", "fact_order_items"]


def environment(base: Path) -> dict[str, str]:
    return {
        "ECOM_LANDING_URI": str(base / "landing"),
        "ECOM_LAKE_URI": str(base / "lake"),
        "ECOM_WAREHOUSE": str(base / "warehouse.duckdb"),
        "ECOM_LANDING_SENSOR": "stopped",
        "DAGSTER_HOME": str(base / "home"),
    }


def cli(env: dict[str, str], *args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "ecom-platform"), *args],
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def late_file(landing: Path) -> Path:
    """A copy of the day's first orders file under a new name: a late delivery."""
    folder = landing / "orders" / f"dt={DAY}"
    source = sorted(p for p in folder.iterdir() if p.is_file())[0]
    target = folder / f"late-{int(time.time())}{''.join(source.suffixes)}"
    target.write_bytes(source.read_bytes() + b"")
    return target


def landing_to_gold(dev: DagsterDev, landing: Path, deadline_s: float = 900) -> float:
    before = max(dev.materialization_times(GOLD_ASSET, DAY), default=0.0)
    dev.start_sensor("bronze_landing_sensor")
    landed = time.time()
    late_file(landing)
    while time.time() - landed < deadline_s:
        newest = max(dev.materialization_times(GOLD_ASSET, DAY), default=0.0)
        if newest > before:
            return newest - landed
        time.sleep(1)
    raise RuntimeError("gold was not updated in time")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-daemon-") as tmp:
        base = Path(tmp)
        env = environment(base)
        (base / "home").mkdir()
        (base / "home" / "dagster.yaml").write_bytes((REPO / "dagster.yaml").read_bytes())
        cli(env, "generate", "--out", env["ECOM_LANDING_URI"], "--start", DAY, "--days", "1")
        cli(env, "run", "--start", DAY, "--end", DAY)
        cli_s = cli(env, "run", "--start", DAY, "--end", DAY)
        print(f"ecom-platform run, one day (scale 1): {cli_s:.1f} s")
        settings = {k: v for k, v in env.items() if k != "DAGSTER_HOME"}
        with DagsterDev(base / "home", settings) as dev:
            submitted = time.time()
            run = dev.wait_for_run(dev.launch_run({"dagster/partition": DAY}))
            assert run["status"] == "SUCCESS", run
            print(
                f"daemon-launched run, same day: {run['endTime'] - run['startTime']:.1f} s "
                f"run time, {run['endTime'] - submitted:.1f} s from launch to finished "
                f"({(run['endTime'] - submitted) / cli_s:.2f}x the CLI)"
            )
            latency = landing_to_gold(dev, base / "landing")
            print(f"late file landed -> its gold partition updated (sensor 30 s): {latency:.1f} s")


if __name__ == "__main__":
    main()
