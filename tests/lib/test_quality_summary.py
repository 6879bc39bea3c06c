"""The daily summary's numbers: per-day totals, rates by entity and check attribution."""

from __future__ import annotations

from datetime import date

import pytest

from ecom_platform.lib.quality_summary import CheckOutcome, summarize

MART = [
    # entity, dt, rows_read, quarantined, files_rejected, orphans, nothing_lost, rules passed
    ("orders", date(2024, 1, 1), 100, 5, 1, 2, True, True),
    ("payments", date(2024, 1, 1), 50, 0, 0, 0, True, False),
    ("orders", date(2024, 1, 2), 0, 0, 0, 0, None, None),
]


def failed(name: str, description: str, blocking: bool = True) -> CheckOutcome:
    return CheckOutcome(name, passed=False, blocking_failure=blocking, description=description)


def test_a_day_sums_its_entities_and_keeps_each_rate() -> None:
    first, second = summarize(["2024-01-02", "2024-01-01"], MART, [])
    assert first.dt == "2024-01-01"
    metadata = first.metadata()
    assert metadata["rows_read"] == 150
    assert metadata["quarantine_rate"] == pytest.approx(5 / 150)
    assert metadata["quarantine_rate:orders"] == pytest.approx(0.05)
    assert metadata["quarantine_rate:payments"] == 0.0
    assert (metadata["rejected_files"], metadata["orphans"], metadata["orphans:orders"]) == (
        1,
        2,
        2,
    )
    assert metadata["nothing_lost"] == 1
    assert metadata["blocking_rules_passed"] == 0  # payments' rate rule blocked
    # No silver statistics: the equation is unknown, so not reported as holding.
    assert second.metadata()["nothing_lost"] == 0
    assert second.metadata()["quarantine_rate:orders"] == 0.0


def test_a_day_missing_from_the_mart_gets_zeros() -> None:
    (day,) = summarize(["2024-01-05"], MART, [])
    assert day.metadata()["rows_read"] == 0
    assert day.metadata()["nothing_lost"] == 1  # no entity, nothing to lose


def test_a_failed_check_counts_on_the_days_it_names() -> None:
    checks = [
        CheckOutcome("silver/orders:reconciliation", True, False, "holds"),
        failed("silver/orders:quarantine_rate", "silver/orders dt=2024-01-02: rate 30%"),
        failed("bronze/payments:landing_files_accepted", "payments dt=2024-01-01: x", False),
    ]
    first, second = summarize(["2024-01-01", "2024-01-02"], MART, checks)
    assert first.metadata()["checks_evaluated"] == 3
    assert first.metadata()["checks_failed"] == 1
    assert first.metadata()["checks_failed_blocking"] == 0
    assert first.failed_check_names() == ["bronze/payments:landing_files_accepted"]
    assert (second.metadata()["checks_failed"], second.metadata()["checks_failed_blocking"]) == (
        1,
        1,
    )


def test_a_failure_naming_no_day_counts_against_every_day() -> None:
    checks = [failed("silver/orders:pandera_schema", "the check raised")]
    for day in summarize(["2024-01-01", "2024-01-02"], MART, checks):
        assert day.failed_check_names() == ["silver/orders:pandera_schema"]


def test_per_partition_evaluations_judge_their_day_and_replace_the_run_summary() -> None:
    name = "silver/orders:quarantine_rate"
    checks = [
        CheckOutcome(name, True, False, "within limits", partition="2024-01-01"),
        CheckOutcome(name, False, True, "dt=2024-01-02: rate 30%", partition="2024-01-02"),
        # The run-wide summary repeats the per-day outcomes: not counted again.
        CheckOutcome(name, False, False, "silver/orders dt=2024-01-02: rate 30%"),
        CheckOutcome("bronze/orders:landing_files_accepted", True, False, "ok"),
    ]
    first, second = summarize(["2024-01-01", "2024-01-02"], MART, checks)
    assert (first.metadata()["checks_evaluated"], first.metadata()["checks_failed"]) == (2, 0)
    assert second.metadata()["checks_evaluated"] == 2
    assert second.metadata()["checks_failed"] == second.metadata()["checks_failed_blocking"] == 1
    assert second.failed_check_names() == [name]
