"""Whole runs: ranges of partitions, reruns, late files, absent columns, empty partitions."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from pyspark.sql import SparkSession

from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.silver_tables import read_partition_stats, silver_arrow_schema
from ecom_platform.spark_jobs.pipeline import run_silver
from tests.silver.silver_fixtures import customer, write_bronze


def partition_files(lake: Path, layer: str, entity: str, dt: str) -> list[Path]:
    return sorted((lake / layer / entity / f"dt={dt}").glob("*.parquet"))


def partition_rows(lake: Path, layer: str, entity: str, dt: str) -> list[dict]:
    rows = [
        r for p in partition_files(lake, layer, entity, dt) for r in pq.read_table(p).to_pylist()
    ]
    return sorted(rows, key=lambda row: str(row))


def test_range_run_writes_every_partition_and_reruns_are_idempotent(
    spark: SparkSession, lake: Path
):
    write_bronze(lake, "customers", "2024-01-01", [customer("a"), customer("b", email=None)])
    write_bronze(lake, "customers", "2024-01-02", [customer("a"), customer("a")])
    dts = ["2024-01-01", "2024-01-02", "2024-01-03"]  # nothing landed on the 3rd

    first = run_silver(spark, str(lake), ["customers"], dts)
    snapshot = {
        (layer, dt): partition_rows(lake, layer, "customers", dt)
        for layer in ("silver", "quarantine")
        for dt in dts
    }
    second = run_silver(spark, str(lake), ["customers"], dts)

    assert first == second
    assert [
        (s.rows_in, s.silver_rows, s.quarantined, s.duplicates) for s in first["customers"]
    ] == [
        (2, 1, 1, 0),
        (2, 1, 0, 1),  # the same version twice in one partition
        (0, 0, 0, 0),
    ]
    for (layer, dt), rows in snapshot.items():
        assert partition_rows(lake, layer, "customers", dt) == rows
        assert len(partition_files(lake, layer, "customers", dt)) == 1
    assert not any((lake / "_staging").rglob("*.parquet"))


def test_empty_partition_still_carries_the_silver_schema(spark: SparkSession, lake: Path):
    run_silver(spark, str(lake), ["customers"], ["2024-01-05"])
    (empty,) = partition_files(lake, "silver", "customers", "2024-01-05")
    schema = pq.read_schema(empty)
    assert schema.equals(silver_arrow_schema(get_entity("customers")), check_metadata=False)
    assert read_partition_stats(str(lake), "customers", "2024-01-05").rows_in == 0


def test_late_file_reprocesses_the_partition_with_all_its_rows(spark: SparkSession, lake: Path):
    write_bronze(lake, "customers", "2024-01-01", [customer("a")])
    run_silver(spark, str(lake), ["customers"], ["2024-01-01"])
    write_bronze(lake, "customers", "2024-01-01", [customer("a"), customer("late")])

    (stats,) = run_silver(spark, str(lake), ["customers"], ["2024-01-01"])["customers"]

    ids = [row["customer_id"] for row in partition_rows(lake, "silver", "customers", "2024-01-01")]
    assert sorted(ids) == ["a", "late"] and stats.silver_rows == 2


def test_file_without_optional_column_is_accepted_and_required_one_is_missing(
    spark: SparkSession, lake: Path
):
    record = {k: v for k, v in customer("a").items() if k not in ("city", "loyalty_tier")}
    write_bronze(lake, "customers", "2024-01-01", [record])

    (stats,) = run_silver(spark, str(lake), ["customers"], ["2024-01-01"])["customers"]

    assert stats.quarantined_by_reason == {"missing_required:loyalty_tier": 1}
    (row,) = partition_rows(lake, "quarantine", "customers", "2024-01-01")
    assert row["reason_codes"] == ["missing_required:loyalty_tier"]
