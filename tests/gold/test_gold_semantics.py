"""Gold built from the fixture lake follows the contract's SCD2, unknown-member and fact rules."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.gold.conftest import query

pytestmark = pytest.mark.slow


def expected_key(*parts: str) -> int:
    """The surrogate key formula: 60 bits of md5 over the '|'-joined natural key and version."""
    return int(hashlib.md5("|".join(parts).encode()).hexdigest()[:15], 16)


def key_of(warehouse: Path, dim: str, natural: str, natural_id: str, valid_from: str) -> int:
    rows = query(
        warehouse,
        f"select {dim.removeprefix('dim_')[:-1]}_key from {dim} "
        f"where {natural} = '{natural_id}' and valid_from = timestamp '{valid_from}'",
    )
    assert len(rows) == 1, rows
    return rows[0][0]


def test_scd2_versions_chain_in_updated_at_order(full_gold: Path) -> None:
    rows = query(
        full_gold,
        "select valid_from, valid_to, is_current, city, loyalty_tier from dim_customers "
        "where customer_id = 'C1' order by valid_from",
    )
    assert rows == [
        (datetime(2024, 1, 1, 8), datetime(2024, 1, 1, 12), False, "Berlin", "none"),
        # arrived last (day 3) but older than the Hamburg version: history, not current
        (datetime(2024, 1, 1, 12), datetime(2024, 1, 2, 9), False, "Berlin", "silver"),
        (datetime(2024, 1, 2, 9), None, True, "Hamburg", "gold"),
    ]


def test_same_version_in_two_partitions_is_one_version(full_gold: Path) -> None:
    assert query(full_gold, "select count(*) from dim_customers where customer_id = 'C2'") == [(1,)]
    assert query(full_gold, "select count(*) from fact_order_items where order_id = 'O2'") == [(1,)]


def test_surrogate_keys_are_derived_from_natural_key_and_version(full_gold: Path) -> None:
    assert key_of(full_gold, "dim_customers", "customer_id", "C1", "2024-01-01 08:00:00") == (
        expected_key("C1", "2024-01-01 08:00:00")
    )


@pytest.mark.parametrize(
    ("dim", "key"),
    [
        ("dim_customers", "customer_key"),
        ("dim_products", "product_key"),
        ("dim_campaigns", "campaign_key"),
        ("dim_channels", "channel_key"),
        ("dim_payment_methods", "payment_method_key"),
        ("dim_shipment_status", "shipment_status_key"),
        ("dim_geography", "geography_key"),
        ("dim_date", "date_key"),
    ],
)
def test_every_dimension_has_one_unknown_member(full_gold: Path, dim: str, key: str) -> None:
    rows = query(full_gold, f"select * from {dim} where {key} = -1")
    assert len(rows) == 1
    columns = [r[0] for r in query(full_gold, f"select column_name from (describe {dim})")]
    member = dict(zip(columns, rows[0], strict=True))
    text = [v for c, v in member.items() if isinstance(v, str)]
    assert text and all(v == "(unknown)" for v in text)
    assert member.get("is_current", True) is True
    assert all(member[c] is None for c in columns if c in ("valid_from", "valid_to", "date"))


def test_fact_points_at_version_valid_at_order_time(full_gold: Path) -> None:
    c1_first = key_of(full_gold, "dim_customers", "customer_id", "C1", "2024-01-01 08:00:00")
    p1_first = key_of(full_gold, "dim_products", "product_id", "P1", "2024-01-01 06:00:00")
    row = query(
        full_gold,
        "select customer_key, product_key, order_status from fact_order_items "
        "where order_id = 'O1' and line_number = 1",
    )
    # latest status wins even though the first version was delivered again on day 3
    assert row == [(c1_first, p1_first, "paid")]


def test_fact_before_first_version_points_at_first_version(full_gold: Path) -> None:
    c3_first = key_of(full_gold, "dim_customers", "customer_id", "C3", "2024-01-03 08:00:00")
    p3_first = key_of(full_gold, "dim_products", "product_id", "P3", "2024-01-03 00:00:00")
    row = query(
        full_gold,
        "select customer_key, product_key, campaign_key from fact_order_items "
        "where order_id = 'O3'",
    )
    assert row == [(c3_first, p3_first, -1)]  # campaign K9 never arrives


def test_late_order_resolves_its_lines_and_revenue_ignores_status(full_gold: Path) -> None:
    rows = query(
        full_gold,
        "select order_id, order_date_key, campaign_key, order_status, total_amount "
        "from fact_order_items where order_id in ('O2', 'O4') order by order_id",
    )
    assert rows == [
        ("O2", 20240101, None, "cancelled", Decimal("10.00")),
        ("O4", 20240102, None, "placed", Decimal("12.00")),
    ]


def test_optional_references_are_null_and_missing_parents_unknown(full_gold: Path) -> None:
    rows = query(
        full_gold,
        "select event_id, customer_key is null, product_key from fact_web_events "
        "where event_id in ('E2', 'E6') order by event_id",
    )
    assert rows == [("E2", True, None), ("E6", False, -1)]


def test_payments_and_shipments_keep_their_latest_version(full_gold: Path) -> None:
    assert query(full_gold, "select payment_status from fact_payments where payment_id = 'Y1'") == [
        ("captured",)
    ]
    assert query(
        full_gold,
        "select shipment_status, shipped_date_key, delivered_date_key, days_to_deliver "
        "from fact_shipments",
    ) == [("delivered", 20240102, 20240104, 2)]


def test_fact_orders_totals_match_lines(full_gold: Path) -> None:
    assert query(
        full_gold,
        "select order_id, line_count, items_amount, order_amount from fact_orders "
        "where order_id = 'O1'",
    ) == [("O1", 2, Decimal("40.00"), Decimal("44.90"))]
