"""The silver quality gates, computed from the files in the lake (no Spark, no Dagster).

Counts come from Parquet footers and the run's statistics file, never from the
memory of the run that wrote them, so a lost or stale file shows up.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecom_platform.lib import lake
from ecom_platform.lib.bronze import bronze_partition_rows
from ecom_platform.lib.entities import Entity
from ecom_platform.lib.pandera_schemas import ValidationReport, validate_table
from ecom_platform.lib.parquet_files import count_rows, read_table
from ecom_platform.lib.silver_tables import (
    quarantine_files,
    read_partition_stats,
    silver_arrow_schema,
    silver_files,
)
from ecom_platform.settings import QuarantineLimits


@dataclass(frozen=True)
class Reconciliation:
    dt: str
    bronze_rows: int
    silver_rows: int
    quarantined: int
    duplicates: int | None  # None: no statistics file, the partition was never processed

    @property
    def balanced(self) -> bool:
        accounted = self.silver_rows + self.quarantined + (self.duplicates or 0)
        return self.duplicates is not None and self.bronze_rows == accounted


@dataclass(frozen=True)
class QuarantineRate:
    dt: str
    rows_in: int
    quarantined: int

    @property
    def rate(self) -> float:
        return self.quarantined / self.rows_in if self.rows_in else 0.0

    def blocks(self, limits: QuarantineLimits) -> bool:
        """Above the fail rate with enough rows to judge."""
        return self.rate > limits.fail and self.rows_in >= limits.min_rows


def processed_partitions(lake_uri: str, entity: str) -> list[str]:
    """Every `dt` silver holds for the entity (what a check covers outside a partitioned run)."""
    return lake.partitions(lake_uri, lake.Layer.SILVER, entity)


def reconcile(lake: str, entity: str, dt: str) -> Reconciliation:
    stats = read_partition_stats(lake, entity, dt)
    return Reconciliation(
        dt=dt,
        bronze_rows=bronze_partition_rows(lake, entity, dt) or 0,
        silver_rows=count_rows(silver_files(lake, entity, dt)),
        quarantined=count_rows(quarantine_files(lake, entity, dt)),
        duplicates=None if stats is None else stats.duplicates,
    )


def quarantine_rate(lake: str, entity: str, dt: str) -> QuarantineRate:
    return QuarantineRate(
        dt=dt,
        rows_in=bronze_partition_rows(lake, entity, dt) or 0,
        quarantined=count_rows(quarantine_files(lake, entity, dt)),
    )


def validate_partition(lake: str, entity: Entity, dt: str) -> ValidationReport:
    table = read_table(silver_files(lake, entity.name, dt), silver_arrow_schema(entity))
    return validate_table(entity, table)
