"""`mart_data_quality_daily` re-evaluates the day's blocking rules gold can see: the
nothing-lost equation and the quarantine-rate gate, with the settings' limits."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecom_platform.lib.silver_quality import QuarantineRate
from ecom_platform.settings import QuarantineLimits, load_settings
from tests.gold.conftest import query, run_dbt

pytestmark = pytest.mark.slow

MART = (
    "select cast(dt as varchar), rows_read, quarantined, quarantine_rate, "
    "quarantine_rate_blocking, nothing_lost, blocking_checks_passed "
    "from mart_data_quality_daily"
)


def assert_rules(warehouse: Path, limits: QuarantineLimits) -> int:
    """Every row agrees with the silver check's rule; returns how many rows block."""
    blocking = 0
    for dt, read, quarantined, rate, blocks, nothing_lost, passed in query(warehouse, MART):
        rule = QuarantineRate(dt, read, quarantined)
        assert rate == pytest.approx(rule.rate)
        assert blocks is rule.blocks(limits)
        assert passed is (None if nothing_lost is None else nothing_lost and not blocks)
        blocking += blocks
    return blocking


def test_with_the_default_limits_the_small_fixture_days_never_block(full_gold: Path) -> None:
    assert assert_rules(full_gold, load_settings({}).quarantine) == 0


def test_the_limits_come_from_the_settings(full_gold: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full_gold, warehouse)
    environment = {"ECOM_QUARANTINE_FAIL_RATE": "0.1", "ECOM_QUARANTINE_MIN_ROWS": "1"}
    run_dbt(
        ["run", "--select", "mart_data_quality_daily"],
        lake=full_gold.parent / "lake",
        warehouse=warehouse,
        target_path=tmp_path / "target",
        env=environment,
    )
    limits = load_settings(environment).quarantine
    assert assert_rules(warehouse, limits) > 0
