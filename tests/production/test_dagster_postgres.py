"""Dagster's own storage on a real PostgreSQL, through the production instance file.

`deploy/dagster.prod.yaml` (what the ECS image uses) runs unchanged: runs, event log and
schedule/sensor storage in a throwaway PostgreSQL with password and TLS like RDS, compute
logs in S3 (SeaweedFS), runs queued and launched by the daemon. Three things must work on
it: the CLI's in-process run, a run the daemon launches through the queued run coordinator,
and the landing sensor's cursor across a daemon restart (a lost cursor would request every
landing day again).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.scheduler.instigation import TickStatus
from dagster._core.storage.dagster_run import DagsterRunStatus, RunsFilter
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from ecom_platform.defs.bronze.sensors import bronze_landing_sensor
from ecom_platform.generator import generate
from tests.conftest import SeaweedS3
from tests.processes import stop_group
from tests.production.postgres_server import PostgresServer, start_postgres

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROD_INSTANCE = PROJECT_ROOT / "deploy" / "dagster.prod.yaml"
BIN = Path(sys.executable).parent
DAY = "2024-01-01"
LOGS_BUCKET = "dagster-compute-logs"
SENSOR = bronze_landing_sensor.name


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    generate(
        out=str(out), start=date.fromisoformat(DAY), days=1, scale=0.05, seed=5, defect_rate=0.02
    )
    return out


@pytest.fixture(scope="module")
def logs_bucket(seaweed: SeaweedS3) -> str:
    return seaweed.create_bucket(LOGS_BUCKET)


@pytest.fixture
def environment(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres: PostgresServer,
    seaweed: SeaweedS3,
    logs_bucket: str,
    landing: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    """A fresh database and DAGSTER_HOME holding the production instance file, set in this
    process too (the test reads the instance) and returned for the subprocesses."""
    database = postgres.create_database(request.node.name.lower()[:60])
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROD_INSTANCE, home / "dagster.yaml")
    values = {
        **postgres.dagster_environment(database),
        "DAGSTER_HOME": str(home),
        "DAGSTER_COMPUTE_LOGS_BUCKET": logs_bucket,
        "DAGSTER_COMPUTE_LOGS_PREFIX": f"{database}/",
        "AWS_ENDPOINT_URL": seaweed.endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "ECOM_TARGET": "local",
        "ECOM_LANDING_URI": str(landing),
        "ECOM_LAKE_URI": str(tmp_path / "lake"),
        "ECOM_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}


@pytest.fixture
def instance(environment: dict[str, str]) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.from_config(environment["DAGSTER_HOME"]) as opened:
        yield opened


def rows_in(postgres: PostgresServer, database: str, table: str) -> int:
    connection = postgres.connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def compute_log_keys(seaweed: SeaweedS3, prefix: str) -> list[str]:
    listing = seaweed.client().list_objects_v2(Bucket=LOGS_BUCKET, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def wait_for(condition: Callable[[], object], timeout_s: float, what: str) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


class Daemon:
    """`dagster-daemon run` in its own process group, so its code server stops with it."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "dagster-daemon"), "run", "-m", "ecom_platform.definitions"],
                env=environment,
                cwd=PROJECT_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        stop_group(self.process, grace_s=30)


def run_days(tags: dict[str, str]) -> tuple[str, str]:
    """First and last day of a run: one partition, or a partition range."""
    if "dagster/partition" in tags:
        return tags["dagster/partition"], tags["dagster/partition"]
    return tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]


def handled(cursor: str) -> dict:
    """The landing folders a sensor cursor records as handled (with their digests)."""
    decoded = json.loads(cursor)
    return decoded.get("handled", decoded)


def sensor_state(instance: dg.DagsterInstance):
    states = [s for s in instance.all_instigator_state() if s.instigator_name == SENSOR]
    return states[0] if states else None


def sensor_ticks(instance: dg.DagsterInstance) -> list:
    """The sensor's ended ticks, newest first: a tick is stored as STARTED when its
    evaluation begins, so counting those would race the evaluation."""
    state = sensor_state(instance)
    if state is None:
        return []
    ticks = instance.get_ticks(state.instigator_origin_id, state.selector_id)
    return [tick for tick in ticks if tick.status != TickStatus.STARTED]


def test_a_cli_run_is_recorded_in_postgres(
    environment: dict[str, str],
    instance: dg.DagsterInstance,
    postgres: PostgresServer,
) -> None:
    result = subprocess.run(
        [str(BIN / "ecom-platform"), "run", "--start", DAY, "--end", DAY],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    assert isinstance(instance.run_storage, PostgresRunStorage)
    assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
    runs = instance.get_runs()
    assert [(r.job_name, r.status) for r in runs] == [("daily_pipeline", DagsterRunStatus.SUCCESS)]
    database = environment["DAGSTER_PG_DB"]
    assert rows_in(postgres, database, "runs") == 1
    materialized = instance.get_materialized_partitions(dg.AssetKey(["silver", "orders"]))
    assert materialized == {DAY}
    assert rows_in(postgres, database, "event_logs") > 100


def test_the_daemon_launches_queued_sensor_runs_and_keeps_the_cursor_across_a_restart(
    environment: dict[str, str],
    instance: dg.DagsterInstance,
    seaweed: SeaweedS3,
    tmp_path: Path,
) -> None:
    started = subprocess.run(
        [str(BIN / "dagster"), "sensor", "start", SENSOR, "-m", "ecom_platform.definitions"],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    log = tmp_path / "daemon.log"

    daemon = Daemon(environment, log)
    try:
        run = wait_for(lambda: instance.get_runs(), 180, f"the sensor's run\n{log.read_text()}")[0]
        assert run.tags["dagster/sensor_name"] == SENSOR
        assert run_days(run.tags) == (DAY, DAY)
        finished = wait_for(
            lambda: instance.get_run_by_id(run.run_id).is_finished, 900, "the run to finish"
        )
        assert finished
        assert instance.get_run_by_id(run.run_id).status == DagsterRunStatus.SUCCESS
    finally:
        daemon.stop()
    events = [e.dagster_event_type for e in instance.all_logs(run.run_id) if e.is_dagster_event]
    # The queued run coordinator held it, the daemon's run queue launched it.
    enqueued = events.index(dg.DagsterEventType.RUN_ENQUEUED)
    assert enqueued < events.index(dg.DagsterEventType.RUN_STARTING)
    assert compute_log_keys(seaweed, environment["DAGSTER_COMPUTE_LOGS_PREFIX"])

    cursor = sensor_state(instance).instigator_data.cursor
    assert cursor
    ticks_before = len(sensor_ticks(instance))

    # A replaced ECS task: a new daemon with an empty DAGSTER_HOME (only the instance file), so
    # whatever it knows about the sensor comes from Postgres.
    new_home = tmp_path / "new_task_home"
    new_home.mkdir()
    shutil.copy(PROD_INSTANCE, new_home / "dagster.yaml")
    daemon = Daemon({**environment, "DAGSTER_HOME": str(new_home)}, log)
    try:
        wait_for(
            lambda: len(sensor_ticks(instance)) > ticks_before,
            180,
            f"a sensor tick after the restart\n{log.read_text()[-3000:]}",
        )
    finally:
        daemon.stop()
    latest = sensor_ticks(instance)[0]
    assert latest.status == TickStatus.SKIPPED
    # The restarted sensor started from the stored cursor: the landing is unchanged, so it
    # requests nothing and still knows every folder it had handled before the restart.
    assert latest.skip_reason.startswith("no new or changed landing files")
    assert handled(sensor_state(instance).instigator_data.cursor).items() >= handled(cursor).items()
    assert len(instance.get_runs(RunsFilter(tags={"dagster/sensor_name": SENSOR}))) == 1
