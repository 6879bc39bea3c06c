"""The analyses (and the demo summary) against numbers computed here from the fixture records."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from ecom_platform.lib.gold_report import format_gold_report, load_gold_report
from tests.gold.gold_fixture import partitions

pytestmark = pytest.mark.slow


def records(entity: str) -> list[dict]:
    """Every fixture record of an entity, in partition order."""
    return [row for p in partitions() for row in p.rows.get(entity, [])]


def order_lines() -> list[dict]:
    """Each (order_id, line_number) once, as gold keeps it."""
    lines: dict[tuple, dict] = {}
    for line in records("order_items"):
        lines.setdefault((line["order_id"], line["line_number"]), line)
    return list(lines.values())


def latest(entity: str, key: str) -> dict[str, dict]:
    """The version with the greatest updated_at per key."""
    chosen: dict[str, dict] = {}
    for row in records(entity):
        if row[key] not in chosen or row["updated_at"] > chosen[row[key]]["updated_at"]:
            chosen[row[key]] = row
    return chosen


def revenue(line: dict) -> Decimal:
    return line["quantity"] * line["unit_price"] - line["discount_amount"]


def expected_monthly_revenue() -> list[tuple]:
    orders = latest("orders", "order_id")
    months: dict[str, dict] = defaultdict(lambda: {"orders": set(), "units": 0, "revenue": 0})
    for line in order_lines():
        order = orders.get(line["order_id"])
        month = order["order_ts"].strftime("%Y-%m") if order else "(unknown)"
        months[month]["orders"].add(line["order_id"])
        months[month]["units"] += line["quantity"]
        months[month]["revenue"] += revenue(line)
    in_order = sorted(months, key=lambda month: (month == "(unknown)", month))
    return [
        (month, len(months[month]["orders"]), months[month]["units"], months[month]["revenue"])
        for month in in_order
    ]


def expected_top_products() -> list[tuple]:
    products = latest("products", "product_id")
    totals: dict[str, list] = defaultdict(lambda: [0, Decimal(0)])
    for line in order_lines():
        if line["product_id"] in products:
            totals[line["product_id"]][0] += line["quantity"]
            totals[line["product_id"]][1] += revenue(line)
    ranked = sorted(totals.items(), key=lambda item: (-item[1][1], item[0]))[:10]
    return [
        (pid, products[pid]["product_name"], products[pid]["category"], units, amount)
        for pid, (units, amount) in ranked
    ]


def test_monthly_revenue_trend_matches_landing_records(full_gold: Path) -> None:
    report = load_gold_report(full_gold)
    assert report.monthly_revenue.rows == tuple(expected_monthly_revenue())
    # the line of an order that never arrived still counts, in the last row
    assert report.monthly_revenue.rows[-1][:2] == ("(unknown)", 1)


def test_top_products_use_current_names_and_all_versions(full_gold: Path) -> None:
    report = load_gold_report(full_gold)
    assert report.top_products.rows == tuple(expected_top_products())
    # P1 was renamed on day 2: one row, current name, revenue of both versions
    assert report.top_products.rows[0][:2] == ("P1", "Kettle Pro")


def test_report_renders_both_tables(full_gold: Path) -> None:
    text = format_gold_report(full_gold)
    assert "Monthly revenue" in text and "Top 10 products by revenue" in text
    assert "Kettle Pro" in text


def test_report_names_a_missing_warehouse(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="materialize the gold assets"):
        load_gold_report(tmp_path / "absent.duckdb")
