"""The numbers of the daily data-quality summary, from the mart's rows and the run's checks.

Pure functions, so the asset (`defs/quality/`) only fetches and records. One
`DaySummary` per partition becomes the numeric metadata the UI plots per partition:
quarantine rate by entity, rejected files, orphans, the nothing-lost equation and the
outcome of the bronze and silver checks for that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# The mart's columns this summary reads, in query order.
MART_COLUMNS = (
    "entity",
    "dt",
    "rows_read",
    "quarantined",
    "files_rejected",
    "orphans",
    "nothing_lost",
    "blocking_checks_passed",
)


@dataclass(frozen=True)
class EntityDay:
    """One row of `mart_data_quality_daily`."""

    entity: str
    dt: str
    rows_read: int
    quarantined: int
    files_rejected: int
    orphans: int
    nothing_lost: bool | None  # None: the day has no silver statistics
    blocking_checks_passed: bool | None  # the equation and the quarantine-rate rule

    @property
    def quarantine_rate(self) -> float:
        return self.quarantined / self.rows_read if self.rows_read else 0.0


@dataclass(frozen=True)
class CheckOutcome:
    """A check evaluation of the run: for one partition, or (partition None) for the run."""

    name: str
    passed: bool
    blocking_failure: bool  # failed with ERROR severity (stops downstream work)
    description: str
    partition: str | None = None

    def failed_on(self, dt: str) -> bool:
        """Failed for this day. A run-wide evaluation names each failing partition as
        `dt=<day>`; one naming no day at all counts against every day of the run."""
        if self.passed:
            return False
        if self.partition is not None:
            return self.partition == dt
        return f"dt={dt}" in self.description or "dt=" not in self.description


def checks_of_day(checks: Iterable[CheckOutcome], dt: str) -> list[CheckOutcome]:
    """The evaluations that judged the day: a check's evaluation for that partition when the
    check records per partition (its run-wide summary then repeats them), else its run-wide one."""
    checks = list(checks)
    per_partition = {c.name for c in checks if c.partition is not None}
    return [
        c
        for c in checks
        if c.partition == dt or (c.partition is None and c.name not in per_partition)
    ]


@dataclass
class DaySummary:
    dt: str
    entities: list[EntityDay] = field(default_factory=list)
    checks: list[CheckOutcome] = field(default_factory=list)

    @property
    def day_checks(self) -> list[CheckOutcome]:
        return checks_of_day(self.checks, self.dt)

    def metadata(self) -> dict[str, int | float]:
        rows_read = sum(e.rows_read for e in self.entities)
        quarantined = sum(e.quarantined for e in self.entities)
        checks = self.day_checks
        failed = [c for c in checks if c.failed_on(self.dt)]
        values: dict[str, int | float] = {
            "rows_read": rows_read,
            "quarantined": quarantined,
            "quarantine_rate": quarantined / rows_read if rows_read else 0.0,
            "rejected_files": sum(e.files_rejected for e in self.entities),
            "orphans": sum(e.orphans for e in self.entities),
            # 1 when the equation holds for every entity of the day (0 also when unknown).
            "nothing_lost": int(all(e.nothing_lost is True for e in self.entities)),
            "blocking_rules_passed": int(
                all(e.blocking_checks_passed is True for e in self.entities)
            ),
            "checks_evaluated": len(checks),
            "checks_failed": len(failed),
            "checks_failed_blocking": sum(c.blocking_failure for c in failed),
        }
        for e in self.entities:
            values[f"quarantine_rate:{e.entity}"] = e.quarantine_rate
            values[f"orphans:{e.entity}"] = e.orphans
        return values

    def failed_check_names(self) -> list[str]:
        return sorted(c.name for c in self.day_checks if c.failed_on(self.dt))


def summarize(
    dts: Iterable[str], mart_rows: Iterable[tuple], checks: list[CheckOutcome]
) -> list[DaySummary]:
    """One summary per day (a day absent from the mart gets zeros), oldest first."""
    by_day: dict[str, list[EntityDay]] = defaultdict(list)
    for row in mart_rows:
        values = dict(zip(MART_COLUMNS, row, strict=True))
        day = EntityDay(**{**values, "dt": str(values["dt"])})
        by_day[day.dt].append(day)
    return [
        DaySummary(dt, sorted(by_day[dt], key=lambda e: e.entity), checks) for dt in sorted(dts)
    ]
