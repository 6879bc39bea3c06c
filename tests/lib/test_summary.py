"""The run summary counts from the lake: duplicates from the run statistics, never inferred."""

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib import lake
from ecom_platform.lib.bronze import LEDGER_SCHEMA
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.silver_tables import (
    PartitionStats,
    silver_arrow_schema,
    write_partition_stats,
)
from ecom_platform.lib.summary import summarize_entity

DT = "2024-01-01"


def write_lake(root: Path, silver_ids: list[str]) -> None:
    ledger = [
        {"entity": "campaigns", "dt": DT, "source_file": "a.csv", "file_hash": "h"}
        | {"size_bytes": 9, "status": "ingested", "reason": None, "rows": 3}
        | {"extra_columns": None, "message": None}
    ]
    ledger_uri = Path(lake.bronze_ledger_uri(str(root), "campaigns", DT))
    ledger_uri.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(ledger, LEDGER_SCHEMA), ledger_uri)
    silver = Path(lake.silver_partition_uri(str(root), "campaigns", DT))
    silver.mkdir(parents=True)
    rows = [{"campaign_id": i, "_source_file": "a.csv", "_line_number": 2} for i in silver_ids]
    table = pa.Table.from_pylist(rows, silver_arrow_schema(get_entity("campaigns")))
    pq.write_table(table, silver / "part-0.parquet")
    write_partition_stats(
        str(root),
        PartitionStats("campaigns", DT, rows_in=3, silver_rows=2, duplicates=1),
    )


def test_duplicates_come_from_the_statistics_so_a_lost_row_is_not_one(tmp_path: Path):
    write_lake(tmp_path, ["k1"])  # the run kept two rows; one went missing since

    summary = summarize_entity(str(tmp_path), "campaigns", [DT])

    assert (summary.rows_read, summary.rows_silver, summary.duplicates) == (3, 1, 1)
    assert summary.rows_read != summary.rows_silver + summary.rows_quarantined + summary.duplicates
