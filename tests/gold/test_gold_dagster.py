"""The gold dbt assets in Dagster: lineage, checks, partition windows, blocking, real runs."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest
from dagster_dbt import DbtCliResource

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.gold.assets import (
    BUILDS_FOLDER,
    WAREHOUSE_POOL,
    gold_dbt_assets,
    project_target_dir,
    window_vars,
)
from ecom_platform.defs.gold.project import (
    DBT_PROJECT,
    dbt_environment,
    dbt_target,
    manifest_is_stale,
)
from ecom_platform.defs.gold.resources import DuckDBWarehouse
from ecom_platform.defs.partitions import DAILY_PARTITIONS
from ecom_platform.settings import Target
from tests.gold.conftest import DBT, query
from tests.gold.gold_fixture import DAYS, item, partitions, write_day, write_partition
from tests.gold.gold_fixture import order as order_row

CONTRACT_TABLES = (
    "dim_date dim_customers dim_products dim_campaigns dim_channels dim_payment_methods "
    "dim_shipment_status dim_geography fact_order_items fact_orders fact_payments "
    "fact_shipments fact_web_events fact_inventory_snapshot"
).split()


def test_partition_window_becomes_half_open_date_vars() -> None:
    window = dg.TimeWindow(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 31, tzinfo=UTC))
    assert window_vars(window, ["2024-01-07"]) == {
        "start_date": "2024-01-01",
        "end_date": "2024-01-31",
        "exclude_dates": ["2024-01-07"],  # days the run's gates rejected
    }


def test_dbt_gets_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    lake = LakeResource(landing_uri="data/landing", lake_uri="data/lake")
    env = DuckDBWarehouse(lake=lake, path="data/w.duckdb").dbt_env()
    assert env["ECOM_LAKE_URI"] == str(tmp_path / "data" / "lake")
    assert env["ECOM_WAREHOUSE"] == str(tmp_path / "data" / "w.duckdb")
    assert dbt_environment(Target.AWS, "s3://bucket/lake")["ECOM_LAKE_URI"] == "s3://bucket/lake"
    assert (dbt_target(Target.LOCAL), dbt_target(Target.AWS)) == ("local", "redshift")


def test_manifest_is_rebuilt_when_missing_or_older_than_a_model(tmp_path: Path) -> None:
    project = SimpleNamespace(project_dir=tmp_path, manifest_path=tmp_path / "target" / "m.json")
    (tmp_path / "models").mkdir()
    model = tmp_path / "models" / "stg_x.sql"
    model.write_text("select 1")
    (tmp_path / "dbt_project.yml").write_text("name: x")
    assert manifest_is_stale(project)  # a fresh clone: no manifest yet
    project.manifest_path.parent.mkdir()
    project.manifest_path.write_text("{}")
    assert not manifest_is_stale(project)
    later = project.manifest_path.stat().st_mtime + 10
    os.utime(model, (later, later))
    assert manifest_is_stale(project)


def test_every_contract_table_is_a_gold_asset() -> None:
    keys = {key.to_user_string() for key in gold_dbt_assets.keys}
    assert {f"gold/{table}" for table in CONTRACT_TABLES} <= keys
    groups = {gold_dbt_assets.group_names_by_key[key] for key in gold_dbt_assets.keys}
    assert groups == {"gold_staging", "gold_intermediate", "gold_marts"}


def test_lineage_runs_from_silver_through_staging_to_marts() -> None:
    deps = {
        key.to_user_string(): {d.to_user_string() for d in upstream}
        for key, upstream in gold_dbt_assets.asset_deps.items()
    }
    assert deps["gold/stg_orders"] == {"silver/orders"}
    assert "gold/stg_order_items" in deps["gold/fact_order_items"]
    assert "gold/fact_order_items" in deps["gold/mart_daily_revenue"]


def test_partitioning_backfill_policy_and_pool() -> None:
    assert gold_dbt_assets.partitions_def == DAILY_PARTITIONS
    assert gold_dbt_assets.backfill_policy == dg.BackfillPolicy.single_run()
    assert gold_dbt_assets.op.pool == WAREHOUSE_POOL


def test_dbt_tests_are_blocking_asset_checks() -> None:
    checks = {(c.asset_key.to_user_string(), c.name): c for c in gold_dbt_assets.check_specs}
    assert ("gold/dim_customers", "assert_dim_customers_one_current_row") in checks
    assert any(key == "gold/fact_order_items" and "relationships" in name for key, name in checks)
    assert all(check.blocking for check in checks.values())


def materialize_range(first: str, last: str) -> dg.ExecuteInProcessResult:
    """What `ecom-platform run` does: one run over a partition range."""
    return dg.materialize(
        [gold_dbt_assets],
        resources={
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT)),
            "warehouse": DuckDBWarehouse(
                lake=LakeResource(landing_uri="data/landing", lake_uri="data/lake"),
                path="data/warehouse.duckdb",
            ),
        },
        tags={
            "dagster/asset_partition_range_start": first,
            "dagster/asset_partition_range_end": last,
        },
        raise_on_error=False,
    )


@pytest.fixture
def relative_lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Relative paths, as in the defaults; the folder holding the lake and the warehouse."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


@pytest.mark.slow
def test_range_run_builds_gold_once_for_every_partition(relative_lake: Path) -> None:
    for partition in partitions():
        write_day(relative_lake / "lake", partition)
    result = materialize_range(DAYS[0], DAYS[-1])
    assert result.success
    facts = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey(["gold", "fact_order_items"])
    ]
    assert sorted(m.partition for m in facts) == list(DAYS)
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations)
    warehouse = relative_lake / "warehouse.duckdb"
    assert query(warehouse, "select count(*) from fact_order_items") == [(6,)]
    levels = build_log_levels(result.run_id)
    assert "info" in levels and "debug" not in levels  # node results kept, no SQL statements


def build_log_levels(run_id: str) -> set[str]:
    """The levels of the events in the dbt.log of a run's gold build folder."""
    (log,) = (project_target_dir() / BUILDS_FOLDER).glob(f"gold-{run_id[:8]}-*/dbt.log")
    return {json.loads(line)["info"]["level"] for line in log.read_text().splitlines()}


@pytest.mark.slow
def test_failing_error_test_blocks_downstream_assets(relative_lake: Path) -> None:
    """Silver that breaks an enum (as a faulty upstream might) stops the marts built on it."""
    bad = order_row("O9", "C1", "2024-01-01T10:00:00", "lost_in_space", "2024-01-01T10:00:00")
    write_partition(relative_lake / "lake", "orders", DAYS[0], [bad])
    write_partition(relative_lake / "lake", "order_items", DAYS[0], [item("O9", 1, "P1", 1, "9")])
    result = materialize_range(DAYS[0], DAYS[0])
    assert not result.success
    failed = {
        e.asset_key.to_user_string() for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert "gold/fact_order_items" in failed
    materialized = {m.asset_key.to_user_string() for m in result.get_asset_materialization_events()}
    assert "gold/fact_order_items" in materialized
    assert "gold/mart_daily_revenue" not in materialized
    assert "gold/fact_orders" not in materialized
