"""The silver multi-asset and its blocking checks, materialized in process on the shared Spark."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import SparkSession

from ecom_platform.defs.day_outcomes import rejected_days
from ecom_platform.defs.keys import silver_asset_key
from ecom_platform.defs.silver.assets import silver_assets
from ecom_platform.defs.silver.checks import (
    build_silver_checks,
    quarantine_rate_result,
    reconciliation_result,
    schema_result,
)
from ecom_platform.lib.entities import ENTITIES, get_entity
from ecom_platform.lib.silver_tables import QUARANTINE_SCHEMA, silver_arrow_schema
from ecom_platform.settings import load_settings
from tests.silver.silver_fixtures import customer, local_silver_resources, write_bronze

RANGE = {
    "dagster/asset_partition_range_start": "2024-01-01",
    "dagster/asset_partition_range_end": "2024-01-02",
}
CHECKS = [build_silver_checks(entity) for entity in ENTITIES]


def order(order_id: str, **changes: str | None) -> dict[str, str | None]:
    row = {
        "order_id": order_id,
        "customer_id": "a",
        "order_ts": "2024-01-01T10:00:00Z",
        "status": "placed",
        "channel": "web",
        "campaign_id": None,
        "shipping_amount": "3.50",
        "updated_at": "2024-01-01T10:00:00Z",
    }
    return {**row, **changes}


@dg.asset(
    deps=[silver_asset_key("orders")],
    partitions_def=silver_assets.partitions_def,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def orders_report(context) -> None:  # no annotation: the module has future annotations
    """Stands in for gold: notes which days the run's gates rejected (gold leaves them out)."""
    REJECTED.append(rejected_days(context))


REJECTED: list[dict[str, list[str]]] = []


def materialize(
    lake: Path, selection: list[dg.AssetKey], min_rows: int | None = None
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [silver_assets, *CHECKS, orders_report],
        selection=selection,
        resources=local_silver_resources(lake, min_rows=min_rows),
        instance=dg.DagsterInstance.ephemeral(),
        tags=RANGE,
        raise_on_error=False,
    )


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    """The run summaries (the evaluations without a partition)."""
    return {
        f"{e.asset_key.path[-1]}.{e.check_name}": e
        for e in result.get_asset_check_evaluations()
        if e.partition is None
    }


def test_range_run_records_each_partition_and_passes_its_gates(spark: SparkSession, lake: Path):
    write_bronze(lake, "customers", "2024-01-01", [customer("a"), customer("a")])
    write_bronze(lake, "customers", "2024-01-02", [customer("b")])
    write_bronze(lake, "orders", "2024-01-01", [order("o1"), order("o2", customer_id="zed")])

    result = materialize(lake, [silver_asset_key("customers"), silver_asset_key("orders")])

    assert result.success
    per_partition = {
        (m.asset_key.path[-1], m.partition): m.metadata
        for m in result.asset_materializations_for_node("silver")
        if "partitions" not in m.metadata
    }
    customers_day1 = per_partition[("customers", "2024-01-01")]
    assert customers_day1["rows_in"].value == 2 and customers_day1["duplicates"].value == 1
    assert per_partition[("customers", "2024-01-02")]["rows_out"].value == 1
    assert per_partition[("orders", "2024-01-01")]["orphans:customer_id"].value == 1
    assert per_partition[("orders", "2024-01-02")]["rows_in"].value == 0
    checks = check_results(result)
    assert len(checks) == 6 and all(c.passed for c in checks.values())


def test_failing_gate_rejects_its_day_for_downstream_and_names_entity_partition_rule(
    spark: SparkSession, lake: Path
):
    orders = [order("o1"), order("o2", status="teleported"), order("o3", shipping_amount="-1")]
    write_bronze(lake, "orders", "2024-01-01", orders)

    # min_rows=3: judge even a three-row partition
    result = materialize(lake, [silver_asset_key("orders"), dg.AssetKey("orders_report")], 3)

    assert result.success  # the run's other days go on; gold leaves the rejected day out
    by_day = {
        (e.check_name, e.partition): e
        for e in result.get_asset_check_evaluations()
        if e.asset_key == silver_asset_key("orders")
    }
    rate = by_day[("quarantine_rate", "2024-01-01")]
    assert not rate.passed and rate.severity == dg.AssetCheckSeverity.ERROR
    assert "silver/orders dt=2024-01-01" in rate.description
    assert "(2 of 3 rows)" in rate.description
    assert by_day[("quarantine_rate", "2024-01-02")].passed
    summary = by_day[("quarantine_rate", None)]
    assert summary.severity == dg.AssetCheckSeverity.WARN
    assert summary.description.startswith("days left out of this run: 2024-01-01.")
    assert REJECTED[-1] == {"2024-01-01": ["silver/orders quarantine_rate"]}


def test_schema_check_counts_failures_per_rule_with_a_sample(lake: Path):
    entity = get_entity("inventory")
    folder = lake / "silver" / "inventory" / "dt=2024-01-01"
    folder.mkdir(parents=True)
    rows = [
        {"warehouse_id": "w", "product_id": "p", "on_hand_qty": 1, "snapshot_date": None},
        {"warehouse_id": "w", "product_id": "p", "on_hand_qty": -3, "snapshot_date": None},
    ]
    rows = [{**row, "_source_file": "f", "_line_number": 2, "_ingested_at": None} for row in rows]
    pq.write_table(pa.Table.from_pylist(rows, silver_arrow_schema(entity)), folder / "x.parquet")

    result = schema_result(str(lake), entity, ["2024-01-01"])

    assert not result.passed
    failures = result.metadata["failures_by_partition"].value["2024-01-01"]
    assert failures["on_hand_qty:greater_than_or_equal_to"] == 1
    assert failures["snapshot_date:not_nullable"] == 2
    assert result.metadata["failing_sample"].value[0]["dt"] == "2024-01-01"
    rule = "rule on_hand_qty:greater_than_or_equal_to failed for 1 rows"
    assert f"silver/inventory dt=2024-01-01: {rule}" in result.description


def test_reconciliation_fails_when_a_written_row_goes_missing(spark: SparkSession, lake: Path):
    valid = [customer(name) for name in "abcde"]
    write_bronze(lake, "customers", "2024-01-01", [*valid, customer("f", email=None)])
    run = materialize(lake, [silver_asset_key("customers")])
    assert run.success  # one row in six quarantined: a warning only, nothing blocked
    assert check_results(run)["customers.quarantine_rate"].severity == dg.AssetCheckSeverity.WARN
    for path in (lake / "quarantine" / "customers" / "dt=2024-01-01").glob("*.parquet"):
        path.unlink()

    result = reconciliation_result(str(lake), "customers", ["2024-01-01"])

    assert not result.passed
    assert "silver/customers dt=2024-01-01" in result.description
    assert "fails by 1 rows (6 != 5 + 0 + 0)" in result.description


def test_quarantine_rate_of_a_tiny_partition_warns_without_blocking(lake: Path):
    folder = lake / "quarantine" / "campaigns" / "dt=2024-01-01"
    folder.mkdir(parents=True)
    write_bronze(lake, "campaigns", "2024-01-01", [{"campaign_id": "k1"}, {"campaign_id": "k2"}])
    row = {"entity": "campaigns", "dt": "2024-01-01", "source_file": "f", "line_number": 2}
    row |= {"reason_codes": ["missing_required:channel"], "reason": "x", "raw_record": "k1"}
    pq.write_table(pa.Table.from_pylist([row], QUARANTINE_SCHEMA), folder / "q.parquet")

    limits = load_settings({}).quarantine
    result = quarantine_rate_result(str(lake), "campaigns", ["2024-01-01"], limits)

    assert not result.passed and result.severity == dg.AssetCheckSeverity.WARN
    assert "50.0% above 20% (1 of 2 rows), a warning only under 50 rows" in result.description
