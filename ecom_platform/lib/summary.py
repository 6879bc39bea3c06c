"""The end-of-run summary: what every layer holds for a range of partitions.

Counts come from the files in the lake, not from run events, so the summary
also tells the truth about partitions written by earlier runs.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from ecom_platform.lib import lake
from ecom_platform.lib.storage import open_store


@dataclass
class EntitySummary:
    entity: str
    files: int = 0
    files_rejected: int = 0
    rows_read: int = 0
    rows_silver: int = 0
    rows_quarantined: int = 0
    rejected: list[str] = field(default_factory=list)  # "file: reason"

    @property
    def duplicates(self) -> int:
        """Whatever bronze read that is neither in silver nor quarantined was a duplicate."""
        return self.rows_read - self.rows_silver - self.rows_quarantined


def _read_parquet(uri: str):  # noqa: ANN202 - a pyarrow Table
    return pq.read_table(io.BytesIO(open_store(uri).read_bytes(uri)))


def _parquet_rows_below(folder_uri: str) -> int:
    """Rows of every Parquet file below a folder, from the footers only."""
    store = open_store(folder_uri)
    return sum(
        pq.ParquetFile(io.BytesIO(store.read_bytes(f.uri))).metadata.num_rows
        for f in store.list_files(folder_uri)
        if f.uri.endswith(".parquet")
    )


def summarize_entity(lake_uri: str, entity: str, dts: Iterable[str]) -> EntitySummary:
    summary = EntitySummary(entity)
    store = open_store(lake_uri)
    for dt in dts:
        ledger_uri = lake.bronze_ledger_uri(lake_uri, entity, dt)
        if store.exists(ledger_uri):
            for row in _read_parquet(ledger_uri).to_pylist():
                summary.files += 1
                summary.rows_read += row["rows"] or 0
                if row["status"] == "quarantined":
                    summary.files_rejected += 1
                    summary.rejected.append(f"{row['source_file']}: {row['reason']}")
        summary.rows_silver += _parquet_rows_below(lake.silver_partition_uri(lake_uri, entity, dt))
        summary.rows_quarantined += _parquet_rows_below(
            lake.quarantine_partition_uri(lake_uri, entity, dt)
        )
    return summary


def format_summary(summaries: list[EntitySummary]) -> str:
    """A fixed-width table, then one line per rejected file."""
    header = ("entity", "files", "rejected", "rows read", "silver", "quarantined", "duplicates")
    rows = [
        (
            s.entity,
            s.files,
            s.files_rejected,
            s.rows_read,
            s.rows_silver,
            s.rows_quarantined,
            s.duplicates,
        )
        for s in summaries
    ]
    totals = ("total", *(sum(r[i] for r in rows) for i in range(1, len(header))))
    widths = [max(len(str(r[i])) for r in [header, *rows, totals]) for i in range(len(header))]

    def line(values: tuple) -> str:
        cells = [str(values[0]).ljust(widths[0])]
        cells += [str(v).rjust(w) for v, w in zip(values[1:], widths[1:], strict=True)]
        return "  ".join(cells)

    out = [line(header), line(tuple("-" * w for w in widths)), *map(line, rows), line(totals)]
    rejected = [f"  {s.entity}: {r}" for s in summaries for r in s.rejected]
    if rejected:
        out += ["", "Rejected files:", *rejected]
    return "\n".join(out)
