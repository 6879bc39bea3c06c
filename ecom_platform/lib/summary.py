"""The end-of-run summary: what every layer holds for a range of partitions.

Counts come from the files in the lake, not from run events, so the summary
also tells the truth about partitions written by earlier runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ecom_platform.lib.bronze import read_ledger
from ecom_platform.lib.landing import FileStatus
from ecom_platform.lib.parquet_files import count_rows
from ecom_platform.lib.silver_tables import quarantine_files, read_partition_stats, silver_files


@dataclass
class EntitySummary:
    entity: str
    files: int = 0
    files_rejected: int = 0
    rows_read: int = 0
    rows_silver: int = 0
    rows_quarantined: int = 0
    duplicates: int = 0  # from the silver run's statistics: they live in no table
    rejected: list[str] = field(default_factory=list)  # "file: reason"


def summarize_entity(lake_uri: str, entity: str, dts: Iterable[str]) -> EntitySummary:
    summary = EntitySummary(entity)
    for dt in dts:
        for row in read_ledger(lake_uri, entity, dt) or []:
            summary.files += 1
            summary.rows_read += row["rows"] or 0
            if row["status"] == FileStatus.QUARANTINED:
                summary.files_rejected += 1
                summary.rejected.append(f"{row['source_file']}: {row['reason']}")
        summary.rows_silver += count_rows(silver_files(lake_uri, entity, dt))
        summary.rows_quarantined += count_rows(quarantine_files(lake_uri, entity, dt))
        stats = read_partition_stats(lake_uri, entity, dt)
        summary.duplicates += stats.duplicates if stats else 0
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
