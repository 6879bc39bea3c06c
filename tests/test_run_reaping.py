"""A dead run's pool slot is freed and the run marked failed; live runs are left alone."""

import subprocess
import sys
import uuid

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRun

from ecom_platform.lib.processes import owner_id
from ecom_platform.run import OWNER_TAG, reap_dead_runs

POOL = "duckdb_warehouse"


def started_run(instance: dg.DagsterInstance, owner: str) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(
        DagsterRun(
            job_name="daily_pipeline",
            run_id=run_id,
            status=dg.DagsterRunStatus.STARTED,
            tags={OWNER_TAG: owner},
        )
    )
    return run_id


def test_dead_runs_are_failed_and_their_slots_freed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(POOL, 1)
        gone = started_run(instance, owner_id(dead.pid).rsplit(":", 1)[0] + ":1")
        live = started_run(instance, owner_id())
        elsewhere = started_run(instance, "another-host:1:1")
        storage.claim_concurrency_slot(POOL, gone, "gold_dbt")

        notes = reap_dead_runs(instance)

        host = owner_id().split(":")[0]
        assert notes[0] == f"run {gone} died (pid {dead.pid} on {host} is gone): marked failed"
        assert instance.get_run_by_id(gone).status == dg.DagsterRunStatus.FAILURE
        assert storage.get_concurrency_run_ids() == set()
        for run_id in (live, elsewhere):
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.STARTED
        assert reap_dead_runs(instance) == []


def test_a_failure_becomes_one_line_naming_what_failed():
    from dagster._utils.error import SerializableErrorInfo

    from ecom_platform.run import one_line_cause

    locked = "ecom_platform.lib.warehouse_lock.WarehouseLockedError: warehouse /w locked\n"
    py4j = "An error occurred while calling o1.parquet.\n: java.io.IOException: disk full\n"
    dbt = (
        "The dbt CLI process failed.\n\nErrors parsed from dbt logs:\n\nDatabase Error in model x\n"
    )
    wrap = SerializableErrorInfo("step failed", [], "DagsterExecutionStepExecutionError")
    cases = {locked: "warehouse /w locked", py4j: "java.io.IOException: disk full"}
    cases[dbt] = "dbt: Database Error in model x"
    for message, line in cases.items():
        cause = SerializableErrorInfo(message, [], message.split(":")[0].rsplit(".", 1)[-1])
        assert one_line_cause(wrap._replace(cause=cause)) == line
