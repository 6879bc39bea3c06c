"""`ecom-platform trace` when it cannot trace: one clear line, no traceback (the traces
themselves run on a real pipeline in tests/test_reprocessing.py)."""

from __future__ import annotations

import duckdb
import pytest

from ecom_platform.cli import main
from ecom_platform.trace import FACTS


@pytest.fixture
def local(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_TARGET", "local")
    monkeypatch.setenv("ECOM_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("ECOM_LAKE_URI", str(tmp_path / "lake"))
    return tmp_path


def error_of(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    (line,) = captured.err.strip().splitlines()
    return line


def test_without_a_warehouse_it_says_to_run_first(local, capsys):
    line = error_of(["trace", "fact_orders", "--order-id", "O-1"], capsys)
    assert "no warehouse at" in line and "ecom-platform run" in line


def test_a_warehouse_without_gold_tables_is_named(local, capsys):
    duckdb.connect(str(local / "warehouse.duckdb")).close()
    line = error_of(["trace", "fact_orders", "--order-id", "O-1"], capsys)
    assert "has no gold tables yet" in line


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["trace", "fact_order_items", "--order-id", "O-1"], "needs --line-number"),
        (["trace", "fact_orders", "--order-id", "O-1", "--event-id", "E"], "not keyed by"),
    ],
)
def test_the_key_options_must_match_the_fact(local, capsys, argv, message):
    assert message in error_of(argv, capsys)


def test_the_aws_target_is_not_supported_yet(local, capsys, monkeypatch):
    monkeypatch.setenv("ECOM_TARGET", "aws")
    assert "not supported on Redshift" in error_of(
        ["trace", "fact_orders", "--order-id", "O"], capsys
    )


def test_a_malformed_key_value_is_a_usage_error(local, capsys):
    with pytest.raises(SystemExit):
        main(["trace", "fact_inventory_snapshot", "--snapshot-date", "2024-02-30"])
    assert "is not a date" in capsys.readouterr().err


def test_each_fact_is_keyed_by_its_grain():
    assert {table: [c.name for c in fact.grain] for table, fact in FACTS.items()} == {
        "fact_order_items": ["order_id", "line_number"],
        "fact_orders": ["order_id"],
        "fact_payments": ["payment_id"],
        "fact_shipments": ["shipment_id"],
        "fact_web_events": ["event_id"],
        "fact_inventory_snapshot": ["warehouse_id", "product_id", "snapshot_date"],
    }
