"""The bronze multi-asset, its checks, the schedule and the code location, run through Dagster."""

from datetime import UTC, datetime

import dagster as dg
import pytest

from ecom_platform.defs.bronze.assets import bronze_assets
from ecom_platform.defs.bronze.checks import CHECK_NAME, bronze_landing_files, evaluate_entity
from ecom_platform.defs.bronze.schedules import daily_pipeline_schedule
from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.lib.bronze import read_bronze_table, read_ledger
from tests.bronze.bronze_fixtures import ORDERS_HEADER, orders_csv, put

RANGE = {
    "dagster/asset_partition_range_start": "2024-01-01",
    "dagster/asset_partition_range_end": "2024-01-02",
}


@pytest.fixture
def lake_env(tmp_path):
    return str(tmp_path / "landing"), str(tmp_path / "lake")


def lake_resources(lake_env: tuple[str, str]) -> dict[str, LakeResource]:
    landing, lake = lake_env
    return {"lake": LakeResource(landing_uri=landing, lake_uri=lake)}


def materializations(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], dict]:
    found = {}
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization
        found[(mat.asset_key.to_user_string(), mat.partition)] = {
            k: v.value for k, v in mat.metadata.items()
        }
    return found


def test_range_run_writes_every_partition_with_per_partition_metadata(lake_env):
    landing, lake = lake_env
    put(landing, "orders", "2024-01-01", "a.csv", orders_csv("o1", "o2"))
    put(landing, "orders", "2024-01-01", "b.csv", orders_csv("o1", "o2"))  # same bytes
    put(landing, "orders", "2024-01-02", "a.csv", orders_csv("o3"))
    bad = put(landing, "orders", "2024-01-02", "bad.csv", "order_id,order_ts\no4,t\n")
    put(landing, "web_events", "2024-01-02", "e.jsonl", '{"event_id": "e1"}\n')

    result = dg.materialize(
        [bronze_assets, bronze_landing_files],
        resources=lake_resources(lake_env),
        instance=dg.DagsterInstance.ephemeral(),
        tags=RANGE,
    )
    assert result.success  # quarantined files warn; they do not stop the run

    meta = materializations(result)
    assert len(meta) == 18  # nine entities x two partitions
    day1, day2 = meta[("bronze/orders", "2024-01-01")], meta[("bronze/orders", "2024-01-02")]
    assert (day1["rows"], day1["files"], day1["duplicate_files"], day1["rejected_files"]) == (
        2,
        2,
        1,
        0,
    )
    assert (day2["rows"], day2["files"], day2["rejected_files"]) == (1, 2, 1)
    assert "bad.csv" in day2["rejected"] and "schema:missing_column:customer_id" in day2["rejected"]
    assert meta[("bronze/payments", "2024-01-01")]["rows"] == 0
    assert read_bronze_table(lake, "web_events", "2024-01-02")["event_id"].to_pylist() == ["e1"]
    assert read_ledger(lake, "customers", "2024-01-01") == []

    evaluations = {
        e.asset_key.to_user_string(): e
        for e in result.get_asset_check_evaluations()
        if e.partition is None
    }
    orders_check = evaluations["bronze/orders"]
    assert not orders_check.passed
    assert orders_check.severity is dg.AssetCheckSeverity.WARN
    assert orders_check.description == (
        f"orders dt=2024-01-02: {bad} lacks required columns customer_id, status, channel, "
        "shipping_amount, updated_at (schema:missing_column:customer_id)"
    )
    assert evaluations["bronze/payments"].passed
    assert evaluations["bronze/orders"].check_name == CHECK_NAME


def test_subset_materializes_only_the_selected_entity(lake_env):
    landing, lake = lake_env
    put(landing, "orders", "2024-01-01", "a.csv", f"{ORDERS_HEADER}\n")
    result = dg.materialize(
        [bronze_assets],
        selection="bronze/orders",
        resources=lake_resources(lake_env),
        instance=dg.DagsterInstance.ephemeral(),
        partition_key="2024-01-01",
    )
    assert set(materializations(result)) == {("bronze/orders", "2024-01-01")}
    assert read_ledger(lake, "customers", "2024-01-01") is None


def test_check_is_an_error_when_bronze_never_wrote_the_partition(lake_env):
    _, lake = lake_env
    result = evaluate_entity(lake, "orders", ["2024-01-05"])
    assert not result.passed
    assert result.severity is dg.AssetCheckSeverity.ERROR
    assert "no bronze ledger" in result.description


def test_schedule_runs_yesterdays_partition():
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2024, 3, 10, 2, 0, tzinfo=UTC)
    )
    assert daily_pipeline_schedule(context).partition_key == "2024-03-09"


def test_code_location_loads_with_bronze_job_sensor_and_schedule():
    from ecom_platform.definitions import defs

    dg.Definitions.validate_loadable(defs)
    keys = {spec.key.to_user_string() for spec in defs.resolve_all_asset_specs()}
    assert {f"bronze/{e}" for e in ("orders", "web_events", "inventory")} <= keys
    assert defs.resolve_job_def("daily_pipeline").name == "daily_pipeline"
    assert defs.resolve_sensor_def("bronze_landing_sensor").job_name == "daily_pipeline"
    assert defs.resolve_schedule_def("daily_pipeline_schedule").job_name == "daily_pipeline"


def test_check_run_without_partitions_reads_every_ledger(lake_env):
    landing, _ = lake_env
    put(landing, "orders", "2024-01-01", "a.csv", orders_csv("o1"))
    put(landing, "orders", "2024-01-02", "bad.csv", "order_id\no2\n")
    instance = dg.DagsterInstance.ephemeral()
    resources = lake_resources(lake_env)
    dg.materialize(
        [bronze_assets],
        selection="bronze/orders",
        resources=resources,
        instance=instance,
        tags=RANGE,
    )
    result = dg.materialize(
        [bronze_assets, bronze_landing_files],
        selection=dg.AssetSelection.checks(bronze_landing_files),
        resources=resources,
        instance=instance,
        raise_on_error=False,
    )
    orders_evaluations = [
        e for e in result.get_asset_check_evaluations() if e.asset_key.path[-1] == "orders"
    ]
    assert [e.partition for e in orders_evaluations] == ["2024-01-01", "2024-01-02", None]
    orders = orders_evaluations[-1]  # the run's summary, after one evaluation per day
    assert orders.metadata["days"].value == 2
    assert orders.description.startswith("orders dt=2024-01-02:")
