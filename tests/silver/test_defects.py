"""One case per contract defect class (CONTRACT.md sections 2-3), run through Spark once.

Every case is a bronze row; the test asserts its exact reason codes (or that
it reached silver) and, for every entity, the nothing-lost equation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from ecom_platform.lib.entities import ENTITY_NAMES, get_entity
from ecom_platform.lib.silver_tables import PartitionStats, read_partition_stats
from ecom_platform.spark_jobs import pipeline
from ecom_platform.spark_jobs.pipeline import run_silver
from tests.silver.silver_fixtures import customer, write_bronze

DT = "2024-01-01"
TS = "2024-01-01T08:00:00Z"

BASE: dict[str, dict[str, str | None]] = {
    "customers": customer(),
    "products": {
        "product_id": "p1",
        "product_name": "Mug",
        "category": "Kitchen",
        "subcategory": None,
        "brand": "Acme",
        "unit_price": "9.99",
        "is_active": "Yes",
        "updated_at": TS,
    },
    "campaigns": {
        "campaign_id": "k1",
        "campaign_name": "Spring",
        "channel": "Email",
        "start_date": "2024-01-01",
        "end_date": "2024-01-31",
        "budget": "100",
        "updated_at": TS,
    },
    "orders": {
        "order_id": "o1",
        "customer_id": "c1",
        "order_ts": TS,
        "status": "Paid",
        "channel": "web",
        "campaign_id": "",
        "shipping_amount": "4.90",
        "updated_at": TS,
    },
    "order_items": {
        "order_id": "o1",
        "line_number": "1",
        "product_id": "p1",
        "quantity": "2",
        "unit_price": "5.00",
        "discount_amount": "1.00",
    },
    "payments": {
        "payment_id": "y1",
        "order_id": "o1",
        "payment_ts": TS,
        "method": "PayPal",
        "amount": "10.00",
        "status": "captured",
        "updated_at": TS,
    },
    "shipments": {
        "shipment_id": "s1",
        "order_id": "o1",
        "carrier": "DHL",
        "status": "in_transit",
        "shipped_ts": "2024-01-01T09:00:00Z",
        "delivered_ts": "2024-01-02T09:00:00Z",
        "updated_at": TS,
    },
    "web_events": {
        "event_id": "e1",
        "session_id": "w1",
        "customer_id": "c1",
        "event_type": "page_view",
        "product_id": None,
        "event_ts": TS,
        "device": "Mobile",
        "page_url": "/",
    },
    "inventory": {
        "warehouse_id": "wh1",
        "product_id": "p1",
        "on_hand_qty": "0",
        "snapshot_date": DT,
    },
}


@dataclass(frozen=True)
class Case:
    name: str
    entity: str
    changes: dict[str, str | None]
    codes: tuple[str, ...]  # () = the row reaches silver


CASES = [
    Case("customer_valid", "customers", {}, ()),
    Case("email_null", "customers", {"email": None}, ("missing_required:email",)),
    Case("email_blank", "customers", {"email": "  \t"}, ("missing_required:email",)),
    Case("country_not_iso", "customers", {"country_code": "XX"}, ("invalid_value:country_code",)),
    Case(
        "tier_not_listed", "customers", {"loyalty_tier": "diamond"}, ("invalid_value:loyalty_tier",)
    ),
    Case("feb_30", "customers", {"signup_ts": "2024-02-30T10:00:00Z"}, ("invalid_type:signup_ts",)),
    Case(
        "hour_25", "customers", {"updated_at": "2024-01-01T25:00:00"}, ("invalid_type:updated_at",)
    ),
    Case(
        "several_defects_in_spec_order",
        "customers",
        {"signup_ts": "soon", "email": None, "country_code": "XX"},
        ("missing_required:email", "invalid_value:country_code", "invalid_type:signup_ts"),
    ),
    Case("malformed_line", "customers", {"_malformed": 'c9,"broken'}, ("malformed_record",)),
    Case("product_valid", "products", {}, ()),
    Case("price_negative", "products", {"unit_price": "-1.00"}, ("invalid_value:unit_price",)),
    Case("price_comma", "products", {"unit_price": "12,5"}, ("invalid_type:unit_price",)),
    Case("price_thousands", "products", {"unit_price": "1,234.50"}, ("invalid_type:unit_price",)),
    Case("price_three_places", "products", {"unit_price": "1.234"}, ("invalid_type:unit_price",)),
    Case("bool_maybe", "products", {"is_active": "maybe"}, ("invalid_type:is_active",)),
    Case("end_before_start", "campaigns", {"end_date": "2023-12-31"}, ("invalid_value:end_date",)),
    Case(
        "cross_rule_skipped_when_operand_invalid",
        "campaigns",
        {"start_date": "2024/01/05", "end_date": "2023-12-31"},
        ("invalid_type:start_date",),
    ),
    Case("budget_negative", "campaigns", {"budget": "-5"}, ("invalid_value:budget",)),
    Case("order_of_known_customer", "orders", {"customer_id": "customer_valid"}, ()),
    Case("order_of_unknown_customer", "orders", {"customer_id": "nobody"}, ()),
    Case("channel_not_listed", "orders", {"channel": "fax"}, ("invalid_value:channel",)),
    Case(
        "shipping_negative",
        "orders",
        {"shipping_amount": "-0.01"},
        ("invalid_value:shipping_amount",),
    ),
    Case("quantity_zero", "order_items", {"quantity": "0"}, ("invalid_value:quantity",)),
    Case("quantity_word", "order_items", {"quantity": "two"}, ("invalid_type:quantity",)),
    Case("quantity_fraction", "order_items", {"quantity": "12.5"}, ("invalid_type:quantity",)),
    Case("line_number_zero", "order_items", {"line_number": "0"}, ("invalid_value:line_number",)),
    Case("discount_equal_gross", "order_items", {"discount_amount": "10.00"}, ()),
    Case(
        "discount_above_gross",
        "order_items",
        {"discount_amount": "10.01"},
        ("invalid_value:discount_amount",),
    ),
    Case(
        "discount_rule_skipped_when_quantity_invalid",
        "order_items",
        {"quantity": "two", "discount_amount": "100"},
        ("invalid_type:quantity",),
    ),
    Case("method_not_listed", "payments", {"method": "barter"}, ("invalid_value:method",)),
    Case(
        "delivered_before_shipped",
        "shipments",
        {"delivered_ts": "2024-01-01T08:59:59Z"},
        ("invalid_value:delivered_ts",),
    ),
    Case("delivered_without_shipped", "shipments", {"shipped_ts": None}, ()),
    Case(
        "product_event_without_product",
        "web_events",
        {"event_type": "Product_View", "product_id": " "},
        ("missing_required:product_id",),
    ),
    Case(
        "unknown_event_type_without_product",
        "web_events",
        {"event_type": "click"},
        ("invalid_value:event_type",),
    ),
    Case("device_not_listed", "web_events", {"device": "TV"}, ("invalid_value:device",)),
    Case("stock_negative", "inventory", {"on_hand_qty": "-1"}, ("invalid_value:on_hand_qty",)),
    Case(
        "snapshot_missing", "inventory", {"snapshot_date": ""}, ("missing_required:snapshot_date",)
    ),
]

# Rows that are valid but repeat a version: counted as duplicates, never quarantined.
DUPLICATES = {
    "customers": [
        customer("dup", updated_at="2024-01-01T08:00:00Z"),
        customer("dup", updated_at="2024-01-01 10:00:00+02:00"),  # the same instant
        customer("dup", updated_at="2024-01-02T08:00:00Z"),  # a new version: kept
    ],
    "order_items": [
        {**BASE["order_items"], "order_id": "dup"},
        {**BASE["order_items"], "order_id": "dup", "quantity": "3"},  # same key, immutable
    ],
    "inventory": [
        {**BASE["inventory"], "warehouse_id": "dup"},
        {**BASE["inventory"], "warehouse_id": "dup"},
        {**BASE["inventory"], "warehouse_id": "dup", "snapshot_date": "2023-12-31"},
    ],
}
EXPECTED_DUPLICATES = {"customers": 1, "order_items": 1, "inventory": 1}


def case_record(case: Case) -> dict[str, str | None]:
    if "_malformed" in case.changes:
        return dict(case.changes)
    entity = get_entity(case.entity)
    return {**BASE[case.entity], entity.key[0]: case.name, **case.changes}


@dataclass(frozen=True)
class Outcome:
    silver: dict[str, dict[int, dict]]  # entity -> line -> row
    quarantine: dict[str, dict[int, dict]]
    stats: dict[str, PartitionStats]
    lines: dict[str, int]  # case name -> line


def read_rows(folder: Path, line_column: str) -> dict[int, dict]:
    rows = [row for path in folder.glob("*.parquet") for row in pq.read_table(path).to_pylist()]
    return {row[line_column]: row for row in rows}


@pytest.fixture(scope="module", params=["interpreted", "compiled"])
def outcome(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Outcome]:
    """Every case through both ways Spark evaluates expressions: these few rows are
    interpreted (`session.INTERPRETED_BELOW_ROWS`), a big input compiles them."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "compiled":
            patch.setattr(pipeline, "INTERPRETED_BELOW_ROWS", 0)
        yield silver_outcome(spark, tmp_path_factory.mktemp("defects"))


def silver_outcome(spark: SparkSession, lake: Path) -> Outcome:
    lines: dict[str, int] = {}
    for name in ENTITY_NAMES:
        cases = [case for case in CASES if case.entity == name]
        records = [case_record(case) for case in cases] + DUPLICATES.get(name, [])
        lines.update({case.name: line for line, case in enumerate(cases, start=2)})
        write_bronze(lake, name, DT, records)
    run_silver(spark, str(lake), ENTITY_NAMES, [DT])
    return Outcome(
        silver={
            n: read_rows(lake / "silver" / n / f"dt={DT}", "_line_number") for n in ENTITY_NAMES
        },
        quarantine={
            n: read_rows(lake / "quarantine" / n / f"dt={DT}", "line_number") for n in ENTITY_NAMES
        },
        stats={n: read_partition_stats(str(lake), n, DT) for n in ENTITY_NAMES},
        lines=lines,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_defect_gets_its_contract_reason_codes(outcome: Outcome, case: Case):
    line = outcome.lines[case.name]
    quarantined = outcome.quarantine[case.entity].get(line)
    if case.codes:
        assert quarantined is not None, f"{case.name} was not quarantined"
        assert tuple(quarantined["reason_codes"]) == case.codes
        assert quarantined["reason"] == ";".join(case.codes)
        assert quarantined["entity"] == case.entity and quarantined["dt"] == DT
        assert quarantined["source_file"].endswith(f"{case.entity}/dt={DT}/a.csv")
        assert line not in outcome.silver[case.entity]
    else:
        assert quarantined is None, quarantined and quarantined["reason_codes"]
        assert line in outcome.silver[case.entity]


def test_malformed_record_keeps_its_raw_text(outcome: Outcome):
    row = outcome.quarantine["customers"][outcome.lines["malformed_line"]]
    assert row["raw_record"] == 'c9,"broken'


@pytest.mark.parametrize("entity", ENTITY_NAMES)
def test_nothing_is_lost(outcome: Outcome, entity: str):
    stats = outcome.stats[entity]
    written = len(outcome.silver[entity]) + len(outcome.quarantine[entity])
    cases = sum(1 for case in CASES if case.entity == entity) + len(DUPLICATES.get(entity, []))
    assert stats.rows_in == cases
    assert stats.silver_rows + stats.quarantined == written
    assert stats.rows_in == stats.silver_rows + stats.quarantined + stats.duplicates
    assert stats.duplicates == EXPECTED_DUPLICATES.get(entity, 0)
    assert sum(stats.quarantined_by_reason.values()) >= stats.quarantined


def test_same_version_is_kept_once_and_new_versions_are_kept(outcome: Outcome):
    versions = sorted(
        row["updated_at"].isoformat()
        for row in outcome.silver["customers"].values()
        if row["customer_id"] == "dup"
    )
    assert versions == ["2024-01-01T08:00:00", "2024-01-02T08:00:00"]
    kept_item = [r for r in outcome.silver["order_items"].values() if r["order_id"] == "dup"]
    assert [r["quantity"] for r in kept_item] == [2]  # the first by file and line


def test_valid_values_are_typed_and_normalised(outcome: Outcome):
    row = outcome.silver["customers"][outcome.lines["customer_valid"]]
    assert row["email"] == "ann@example.com"
    assert row["country_code"] == "DE"
    assert row["loyalty_tier"] == "gold"
    product = outcome.silver["products"][outcome.lines["product_valid"]]
    assert str(product["unit_price"]) == "9.99" and product["is_active"] is True
    assert product["subcategory"] is None


def test_orphans_are_counted_and_kept(outcome: Outcome):
    orders = outcome.stats["orders"]
    assert orders.orphans == {"customer_id": 1}
    assert outcome.lines["order_of_unknown_customer"] in outcome.silver["orders"]
    assert outcome.stats["customers"].orphans == {}


def test_quarantine_counts_by_reason(outcome: Outcome):
    reasons = outcome.stats["order_items"].quarantined_by_reason
    assert reasons["invalid_type:quantity"] == 3
    assert reasons["invalid_value:discount_amount"] == 1
