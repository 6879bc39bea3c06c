"""The S3 side of publishing and of the quality gates (what the Glue job and checks do on AWS)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.parquet_files import empty_parquet_bytes, parquet_files
from ecom_platform.lib.silver_publish import publish_version
from ecom_platform.lib.silver_quality import reconcile
from ecom_platform.lib.silver_tables import (
    PartitionStats,
    silver_arrow_schema,
    silver_files,
    write_partition_stats,
)
from ecom_platform.lib.storage import open_store
from ecom_platform.spark_jobs.io import remove_folder


def parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


@pytest.mark.slow
def test_publish_replaces_the_partition_and_gates_count_it_on_s3(s3_env):
    lake = f"s3://{s3_env.create_bucket('lake-silver')}/lake"
    store = open_store(lake)
    schema = silver_arrow_schema(get_entity("inventory"))
    rows = [{"warehouse_id": "w", "product_id": "p", "on_hand_qty": 1}] * 3
    day = "2024-01-01"
    old = f"{lake}/_staging/silver/inventory/run0/__dt={day}"
    new = f"{lake}/_staging/silver/inventory/run1/__dt={day}"
    store.write_bytes(f"{old}/part-old.parquet", empty_parquet_bytes(schema))
    store.write_bytes(f"{new}/part-new.parquet", parquet_bytes(pa.Table.from_pylist(rows, schema)))
    write_partition_stats(lake, PartitionStats("inventory", day, rows_in=0, duplicates=0))

    for run, staged in (("run0", old), ("run1", new)):
        publish_version(staged, lake, Layer.SILVER, "inventory", day, run, catalog=None)
    remove_folder(f"{lake}/_staging")

    assert [uri.rsplit("/", 1)[-1] for uri in silver_files(lake, "inventory", day)] == [
        "part-new.parquet"
    ]
    assert len(parquet_files(f"{lake}/silver/inventory/dt={day}")) == 2  # both versions kept
    assert store.list_files(f"{lake}/_staging") == []
    balance = reconcile(lake, "inventory", day)
    assert (balance.silver_rows, balance.duplicates) == (3, 0)
    assert not balance.balanced  # no bronze rows behind three silver rows
