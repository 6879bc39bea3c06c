"""The silver quality gates, computed from the files in the lake (no Spark, no Dagster).

Counts come from Parquet footers and the run's statistics file, never from the
memory of the run that wrote them, so a lost or stale file shows up.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from ecom_platform.lib.entities import Entity
from ecom_platform.lib.lake import partition_folder, silver_entity_uri
from ecom_platform.lib.pandera_schemas import ValidationReport, validate_table
from ecom_platform.lib.silver_tables import (
    bronze_row_count,
    count_rows,
    quarantine_files,
    read_partition_stats,
    read_table,
    silver_arrow_schema,
    silver_files,
)
from ecom_platform.lib.storage import open_store

WARN_RATE_VARIABLE = "ECOM_QUARANTINE_WARN_RATE"
FAIL_RATE_VARIABLE = "ECOM_QUARANTINE_FAIL_RATE"
MIN_ROWS_VARIABLE = "ECOM_QUARANTINE_MIN_ROWS"
DEFAULT_WARN_RATE = 0.05
DEFAULT_FAIL_RATE = 0.20
# Below this many rows read a rate is noise (2 bad rows of 5 campaigns is 40%): warn, never block.
DEFAULT_MIN_ROWS = 50


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


@dataclass(frozen=True)
class RateThresholds:
    warn: float = DEFAULT_WARN_RATE
    fail: float = DEFAULT_FAIL_RATE
    min_rows: int = DEFAULT_MIN_ROWS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RateThresholds:
        env = os.environ if environ is None else environ
        warn = rate_setting(env, WARN_RATE_VARIABLE, DEFAULT_WARN_RATE)
        fail = rate_setting(env, FAIL_RATE_VARIABLE, DEFAULT_FAIL_RATE)
        if warn > fail:
            raise ValueError(f"{WARN_RATE_VARIABLE}={warn} is above {FAIL_RATE_VARIABLE}={fail}")
        return cls(warn=warn, fail=fail, min_rows=min_rows_setting(env))

    def blocks(self, rate: QuarantineRate) -> bool:
        return rate.rate > self.fail and rate.rows_in >= self.min_rows


def min_rows_setting(env: Mapping[str, str]) -> int:
    text = env.get(MIN_ROWS_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MIN_ROWS
    if not text.isdigit():
        raise ValueError(f"{MIN_ROWS_VARIABLE}={text!r} is not a whole number of rows")
    return int(text)


def rate_setting(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a number between 0 and 1") from None
    if not 0 <= value <= 1:
        raise ValueError(f"{name}={text!r} is not a number between 0 and 1")
    return value


def processed_partitions(lake: str, entity: str) -> list[str]:
    """Every `dt` silver holds for the entity (what a check covers outside a partitioned run)."""
    root = silver_entity_uri(lake, entity)
    prefix = partition_folder("")
    return [
        name[len(prefix) :] for name in open_store(root).list_dirs(root) if name.startswith(prefix)
    ]


def reconcile(lake: str, entity: str, dt: str) -> Reconciliation:
    stats = read_partition_stats(lake, entity, dt)
    return Reconciliation(
        dt=dt,
        bronze_rows=bronze_row_count(lake, entity, dt),
        silver_rows=count_rows(silver_files(lake, entity, dt)),
        quarantined=count_rows(quarantine_files(lake, entity, dt)),
        duplicates=None if stats is None else stats.duplicates,
    )


def quarantine_rate(lake: str, entity: str, dt: str) -> QuarantineRate:
    return QuarantineRate(
        dt=dt,
        rows_in=bronze_row_count(lake, entity, dt),
        quarantined=count_rows(quarantine_files(lake, entity, dt)),
    )


def validate_partition(lake: str, entity: Entity, dt: str) -> ValidationReport:
    table = read_table(silver_files(lake, entity.name, dt), silver_arrow_schema(entity))
    return validate_table(entity, table)
