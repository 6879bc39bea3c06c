"""Few bronze rows are processed with interpreted expressions, many with compiled code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from ecom_platform.lib.bronze import bronze_rows_below
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.lake import bronze_partition_uri
from ecom_platform.spark_jobs import pipeline
from ecom_platform.spark_jobs.session import INTERPRETED_SETTINGS, SQL_SETTINGS
from tests.silver.silver_fixtures import write_bronze

ORDER = {"order_id": "o", "customer_id": "c", "order_ts": "2024-01-01T00:00:00Z"}


def orders(n: int) -> list[dict[str, str | None]]:
    return [{**ORDER, "order_id": f"o{i}"} for i in range(n)]


def test_rows_are_counted_from_footers_only_until_the_limit(lake: Path):
    write_bronze(lake, "orders", "2024-01-01", orders(3))
    write_bronze(lake, "orders", "2024-01-02", orders(2))
    unreadable = Path(bronze_partition_uri(str(lake), "orders", "2024-01-03"))
    unreadable.parent.mkdir(parents=True)
    unreadable.write_bytes(b"not parquet")
    days = ["2024-01-01", "2024-01-02"]
    assert bronze_rows_below(str(lake), "orders", [*days, "2024-01-04"], limit=6)  # 04 absent
    assert not bronze_rows_below(str(lake), "orders", days, limit=5)
    # The limit is reached before the unreadable partition, so its footer is never read.
    assert not bronze_rows_below(str(lake), "orders", [*days, "2024-01-03"], limit=4)


def is_interpreting(session: SparkSession) -> bool:
    return all(session.conf.get(key) == value for key, value in INTERPRETED_SETTINGS.items())


def test_a_small_entity_gets_an_interpreting_sibling_session_and_a_big_one_the_shared_one(
    spark: SparkSession, lake: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(pipeline, "INTERPRETED_BELOW_ROWS", 4)
    write_bronze(lake, "orders", "2024-01-01", orders(3))
    write_bronze(lake, "payments", "2024-01-01", [{"payment_id": str(i)} for i in range(4)])
    small = pipeline.session_for(spark, str(lake), get_entity("orders"), ["2024-01-01"])
    big = pipeline.session_for(spark, str(lake), get_entity("payments"), ["2024-01-01"])
    assert big is spark and not is_interpreting(spark)
    assert small is not spark and is_interpreting(small)
    assert small.sparkContext is spark.sparkContext
    assert all(small.conf.get(key) == value for key, value in SQL_SETTINGS.items())
