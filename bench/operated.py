"""The operated scenario: one day launched the way the UI, the schedule and the sensor launch
it (the real webserver and daemon of `dagster dev`: queued run, the default run launcher's
run worker, the in-process executor), and the time from a late file landing to its gold
partition being rebuilt with the landing sensor switched on.

The landing data is copied into the scenario's own folder first: the late file must not
change the cached bench data.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from tests.dagster_dev import DagsterDev

GOLD_ASSET = ["gold", "fact_order_items"]
SENSOR = "bronze_landing_sensor"
TIMEOUT_S = 900


def operated_day(workdir: Path, env: Mapping[str, str], landing: Path, day: date) -> dict:
    """Seconds of a daemon-launched run of `day` (run time and submit-to-done), then
    seconds from a late file landing in that day to its gold partition materialized."""
    own_landing = workdir / "landing"
    shutil.copytree(landing, own_landing)
    settings = {**env, "ECOM_LANDING_URI": str(own_landing), "ECOM_LANDING_SENSOR": "stopped"}
    home = Path(settings.pop("DAGSTER_HOME"))
    with DagsterDev(home, settings) as dev:
        submitted = time.time()
        run = dev.wait_for_run(dev.launch_run({"dagster/partition": day.isoformat()}), TIMEOUT_S)
        if run["status"] != "SUCCESS":
            raise SystemExit(f"the daemon-launched run ended {run['status']}; see {home}")
        latency = landing_to_gold(dev, own_landing, day)
    return {
        "run_s": round(run["endTime"] - run["startTime"], 2),
        "submit_to_done_s": round(run["endTime"] - submitted, 2),
        "landing_to_gold_s": round(latency, 2),
    }


def landing_to_gold(dev: DagsterDev, landing: Path, day: date) -> float:
    partition = day.isoformat()
    before = max(dev.materialization_times(GOLD_ASSET, partition), default=0.0)
    dev.start_sensor(SENSOR)
    landed = time.time()
    late_file(landing, partition)
    while time.time() - landed < TIMEOUT_S:
        newest = max(dev.materialization_times(GOLD_ASSET, partition), default=0.0)
        if newest > before:
            return newest - landed
        time.sleep(1)
    raise SystemExit(f"gold was not rebuilt within {TIMEOUT_S} s of the late file")


def late_file(landing: Path, partition: str) -> Path:
    """A copy of the day's first orders file under a new name: a late delivery."""
    folder = landing / "orders" / f"dt={partition}"
    source = sorted(p for p in folder.iterdir() if p.is_file())[0]
    target = folder / f"late-{int(time.time())}{''.join(source.suffixes)}"
    target.write_bytes(source.read_bytes())
    return target
