"""One bad day of a range run does not stop the others (defs/day_outcomes.py): the whole
pipeline over two generated days, the second failing silver's blocking quarantine-rate gate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from ecom_platform.generator import generate
from ecom_platform.run import RunOutcome, new_run_id, run_all_assets, run_log_path
from ecom_platform.settings import load_settings

pytestmark = pytest.mark.slow

GOOD, BAD = "2024-01-01", "2024-01-02"
FACT = dg.AssetKey(["gold", "fact_order_items"])
from tests.bronze.bronze_fixtures import ORDERS_HEADER  # noqa: E402


def bad_orders(rows: int = 400) -> str:
    """Orders whose status is not in the contract: all quarantined, far above the fail rate."""
    ts = f"{BAD}T10:00:00Z"
    lines = [f"BAD{n},C1,{ts},teleported,web,,1.00,{ts}" for n in range(rows)]
    return "\n".join([ORDERS_HEADER, *lines]) + "\n"


def gold_partitions(instance: dg.DagsterInstance, key: dg.AssetKey) -> tuple[set, set]:
    """(materialized, failed) partitions of an asset, as the UI's partitions view shows them."""
    from dagster._core.storage.partition_status_cache import (
        get_and_update_asset_status_cache_value,
    )

    from ecom_platform.defs.partitions import DAILY_PARTITIONS

    value = get_and_update_asset_status_cache_value(instance, key, DAILY_PARTITIONS)
    materialized = value.deserialize_materialized_partition_subsets(DAILY_PARTITIONS)
    failed = value.deserialize_failed_partition_subsets(DAILY_PARTITIONS)
    return set(materialized.get_partition_keys()), set(failed.get_partition_keys())


def day_evaluations(instance: dg.DagsterInstance, run_id: str) -> dict[tuple[str, str], dict]:
    records = instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    found = {}
    for record in records:
        evaluation = record.dagster_event.event_specific_data
        if evaluation.partition:
            check = f"{evaluation.asset_key.to_user_string()}.{evaluation.check_name}"
            found[(check, evaluation.partition)] = evaluation
    return found


def run_range(first: date, last: date) -> RunOutcome:
    """What `ecom-platform run` does, in this process, with the environment's settings."""
    run_id = new_run_id()
    return run_all_assets(first, last, load_settings(), run_id, run_log_path(run_id))


def test_a_day_failing_a_silver_gate_is_left_out_and_completes_when_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    landing = tmp_path / "landing"
    generate(out=str(landing), start=date(2024, 1, 1), days=2, scale=0.1, seed=5, defect_rate=0)
    bad_file = landing / "orders" / f"dt={BAD}" / "zz-bad.csv"
    bad_file.write_text(bad_orders())
    for name, value in {
        "ECOM_LANDING_URI": str(landing),
        "ECOM_LAKE_URI": str(tmp_path / "lake"),
        "ECOM_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "DAGSTER_HOME": str(tmp_path / "home"),
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "home").mkdir()

    outcome = run_range(date(2024, 1, 1), date(2024, 1, 2))
    assert not outcome.success
    with dg.DagsterInstance.get() as instance:
        assert gold_partitions(instance, FACT) == ({GOOD}, {BAD})
        evaluations = day_evaluations(instance, outcome.run_id)
        rate = evaluations[("silver/orders.quarantine_rate", BAD)]
        assert not rate.passed and rate.severity == dg.AssetCheckSeverity.ERROR
        assert f"silver/orders dt={BAD}: quarantine rate" in rate.description
        assert evaluations[("silver/orders.quarantine_rate", GOOD)].passed
    # only gold fails, once the good day is in, and its one-line cause names the left-out day
    (gold_failure,) = outcome.failed_steps
    assert gold_failure.startswith("gold_dbt: ") and BAD in gold_failure

    bad_file.unlink()  # the data is fixed
    rerun = run_range(date(2024, 1, 2), date(2024, 1, 2))
    assert rerun.success, rerun.failed_checks
    with dg.DagsterInstance.get() as instance:
        assert gold_partitions(instance, FACT) == ({GOOD, BAD}, set())
