"""Issue 12: real `ecom-platform run` processes killed with SIGKILL, a real second process
holding the DuckDB file. The clean run of the session's `pipeline` fixture is the answer."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ecom_platform.run import OWNER_TAG
from tests.conftest import DAYS

pytestmark = pytest.mark.slow

CLI = str(Path(sys.executable).parent / "ecom-platform")
RUN_ARGS = ["run", "--start", DAYS[0], "--end", DAYS[-1]]
DBT_BUILT_A_NODE = re.compile(r"\bOK (created|loaded)\b")
INGESTED_AT = "ingested_at"  # the facts' lineage column: when bronze read the file


class CliRun:
    """One `ecom-platform run` in its own process group (so SIGKILL takes dbt and the JVM)."""

    def __init__(self, env: dict[str, str], folder: Path, name: str) -> None:
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [CLI, *RUN_ARGS], env=env, stdout=out, stderr=err, start_new_session=True
            )

    def log_path(self) -> Path | None:
        found = re.search(r"log: (\S+)", self.out.read_text())
        return Path(found.group(1)) if found else None

    def wait_for(self, condition: Callable[[], bool], what: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"run ended before {what}:\n{self.err.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout_s} s")
            time.sleep(0.2)

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def finish(self, timeout_s: float) -> tuple[int, str, str]:
        code = self.process.wait(timeout=timeout_s)
        return code, self.out.read_text(), self.err.read_text()


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[CliRun]]:
    started: list[CliRun] = []
    yield started
    for run in started:
        run.kill()


def fault_env(pipeline: dict, root: Path, **extra: str) -> dict[str, str]:
    """The clean run's landing zone, with a lake, warehouse and DAGSTER_HOME of its own."""
    env = {**os.environ, **pipeline["env"]}
    env.update(
        ECOM_LAKE_URI=str(root / "lake"),
        ECOM_WAREHOUSE=str(root / "warehouse.duckdb"),
        DAGSTER_HOME=str(root / "dagster_home"),
        **extra,
    )
    return env


def gold_tables(warehouse: Path) -> dict[str, list[tuple]]:
    """Every gold table's rows except the ingest time, the one value two runs over the
    same files may differ in."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "order by table_name, ordinal_position"
        ).fetchall():
            if column != INGESTED_AT:
                columns.setdefault(table, []).append(f'"{column}"')
        return {
            table: con.execute(f'select {", ".join(cols)} from "{table}" order by all').fetchall()
            for table, cols in columns.items()
        }


def staging_folders(lake: Path) -> list[Path]:
    return sorted(p for p in (lake / "_staging").glob("*/*/*") if p.is_dir())


def test_runs_killed_in_silver_and_in_dbt_never_wedge_the_next_run(pipeline, tmp_path, runs):
    env = fault_env(pipeline, tmp_path)
    lake, home = tmp_path / "lake", tmp_path / "dagster_home"
    spark_tmp = home / "tmp" / "spark"

    in_silver = CliRun(env, tmp_path, "killed-in-silver")
    runs.append(in_silver)
    in_silver.wait_for(lambda: bool(staging_folders(lake)), "silver staging output", 600)
    in_silver.kill()
    left_by_silver = staging_folders(lake)
    spark_left = sorted(p for p in spark_tmp.iterdir() if p.is_dir())
    assert left_by_silver and spark_left

    in_dbt = CliRun(env, tmp_path, "killed-in-dbt")
    runs.append(in_dbt)

    def dbt_is_building() -> bool:
        log = in_dbt.log_path()
        return bool(log and log.exists() and DBT_BUILT_A_NODE.search(log.read_text()))

    in_dbt.wait_for(dbt_is_building, "dbt output", 600)
    in_dbt.kill()

    last = CliRun(env, tmp_path, "rerun")
    runs.append(last)
    code, out, err = last.finish(timeout_s=600)

    assert code == 0, out + err[-3000:]
    assert "Traceback" not in err
    assert err.count("died (pid") == 1  # the run killed in dbt; the first was reaped by it
    assert gold_tables(tmp_path / "warehouse.duckdb") == gold_tables(
        pipeline["root"] / "warehouse.duckdb"
    )
    assert not set(left_by_silver) & set(staging_folders(lake))
    assert not any(p.exists() for p in spark_left)
    logs = {run.log_path() for run in (in_silver, in_dbt, last)}
    assert len(logs) == 3 and all(log and log.exists() for log in logs)
    os.environ.setdefault("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        statuses = {
            run.tags.get(OWNER_TAG, "").split(":")[1]: run.status for run in instance.get_runs()
        }
        assert instance.event_log_storage.get_concurrency_run_ids() == set()
    assert statuses == {
        str(in_silver.process.pid): dg.DagsterRunStatus.FAILURE,
        str(in_dbt.process.pid): dg.DagsterRunStatus.FAILURE,
        str(last.process.pid): dg.DagsterRunStatus.SUCCESS,
    }


LOCKER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_busy_warehouse_is_waited_for_then_ends_in_the_summary(pipeline, tmp_path, runs):
    """A second process holds the DuckDB file for longer than the timeout: the run retries
    with a message, then fails in its summary naming the file, without a traceback."""
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(warehouse), "900"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        env = fault_env(pipeline, tmp_path, ECOM_WAREHOUSE_LOCK_TIMEOUT_S="3")
        run = CliRun(env, tmp_path, "busy")
        runs.append(run)
        code, out, err = run.finish(timeout_s=600)
    finally:
        locker.kill()
        locker.wait()

    assert code == 1
    assert "Traceback" not in out + err
    assert f"warehouse {warehouse} is busy" in err and "retrying for up to 3 s" in err
    assert "FAILED" in out and "total " in out  # the summary of what did happen
    failed = out.split("Failed steps:", 1)[1]
    assert f"gold_dbt: warehouse {warehouse} stayed locked by another process" in failed
    assert "(no gold report:" in out and "log: " in out
