"""Tiny silver lake written with pyarrow, following docs/architecture.md.

The gold layer is built and tested without the silver code: these records stand for what
silver writes from landing files (typed contract columns plus lineage, one Hive-style `dt=`
folder per partition). They carry the defects gold must handle: versions arriving late or
out of order, the same version in two partitions, order lines and orders whose parents
arrive days later, a reference that never resolves, and entities with no files at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib.entities import ENTITY_BY_NAME, ColumnType

ARROW_TYPES = {
    ColumnType.STRING: pa.string(),
    ColumnType.TIMESTAMP: pa.timestamp("us"),
    ColumnType.DATE: pa.date32(),
    ColumnType.DECIMAL: pa.decimal128(18, 2),
    ColumnType.INT: pa.int64(),
    ColumnType.BOOL: pa.bool_(),
}
DAYS = ("2024-01-01", "2024-01-02", "2024-01-03")


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def money(value: str) -> Decimal:
    return Decimal(value)


def silver_schema(entity: str) -> pa.Schema:
    """Contract columns typed as silver stores them, then the lineage columns."""
    spec = ENTITY_BY_NAME[entity]
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in spec.columns]
    fields += [
        pa.field("_source_file", pa.string()),
        pa.field("_line_number", pa.int64()),
        pa.field("_ingested_at", pa.timestamp("us")),
    ]
    return pa.schema(fields)


def write_partition(lake: Path, entity: str, dt: str, rows: Iterable[dict]) -> Path:
    """Write one silver partition file (possibly empty: the schema still travels)."""
    schema = silver_schema(entity)
    records = []
    for line, row in enumerate(rows, start=2):
        record = {name: row.get(name) for name in schema.names}
        record["_source_file"] = f"landing/{entity}/dt={dt}/{entity}.csv"
        record["_line_number"] = line
        record["_ingested_at"] = datetime(2024, 1, 5)
        records.append(record)
    folder = lake / "silver" / entity / f"dt={dt}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-00000.parquet"
    pq.write_table(pa.Table.from_pylist(records, schema=schema), path)
    return path


def customer(cid: str, updated: str, tier: str = "none", city: str = "Berlin") -> dict:
    return {
        "customer_id": cid,
        "email": f"{cid.lower()}@example.com",
        "first_name": cid,
        "last_name": "Doe",
        "country_code": "DE",
        "city": city,
        "loyalty_tier": tier,
        "signup_ts": ts("2023-06-01T00:00:00"),
        "updated_at": ts(updated),
    }


def product(pid: str, updated: str, name: str, category: str, price: str) -> dict:
    return {
        "product_id": pid,
        "product_name": name,
        "category": category,
        "subcategory": None,
        "brand": "Acme",
        "unit_price": money(price),
        "is_active": True,
        "updated_at": ts(updated),
    }


def order(oid: str, cid: str, order_ts: str, status: str, updated: str, **extra: object) -> dict:
    return {
        "order_id": oid,
        "customer_id": cid,
        "order_ts": ts(order_ts),
        "status": status,
        "channel": extra.get("channel", "web"),
        "campaign_id": extra.get("campaign_id"),
        "shipping_amount": money(str(extra.get("shipping", "4.90"))),
        "updated_at": ts(updated),
    }


def item(oid: str, line: int, pid: str, qty: int, price: str, discount: str = "0") -> dict:
    return {
        "order_id": oid,
        "line_number": line,
        "product_id": pid,
        "quantity": qty,
        "unit_price": money(price),
        "discount_amount": money(discount),
    }


def event(eid: str, session: str, etype: str, at: str, cid: str | None, pid: str | None) -> dict:
    return {
        "event_id": eid,
        "session_id": session,
        "customer_id": cid,
        "event_type": etype,
        "product_id": pid,
        "event_ts": ts(at),
        "device": "mobile",
        "page_url": f"/p/{pid}" if pid else "/",
    }


@dataclass(frozen=True)
class Partition:
    dt: str
    rows: dict[str, list[dict]]


def partitions() -> tuple[Partition, ...]:
    """Three days of silver with the defects listed in the module docstring."""
    day1 = {
        "customers": [customer("C1", "2024-01-01T08:00:00"), customer("C2", "2024-01-01T08:00:00")],
        "products": [
            product("P1", "2024-01-01T06:00:00", "Kettle", "kitchen", "10.00"),
            product("P2", "2024-01-01T06:00:00", "Lamp", "home", "25.00"),
        ],
        "campaigns": [
            {
                "campaign_id": "K1",
                "campaign_name": "New year",
                "channel": "email",
                "start_date": date(2024, 1, 1),
                "end_date": None,
                "budget": money("1000.00"),
                "updated_at": ts("2023-12-20T00:00:00"),
            }
        ],
        "orders": [
            order(
                "O1", "C1", "2024-01-01T10:00:00", "placed", "2024-01-01T10:00:00", campaign_id="K1"
            ),
            order(
                "O2",
                "C2",
                "2024-01-01T11:00:00",
                "placed",
                "2024-01-01T11:00:00",
                channel="mobile_app",
            ),
        ],
        "order_items": [
            item("O1", 1, "P1", 2, "10.00"),
            item("O1", 2, "P2", 1, "25.00", "5.00"),
            item("O2", 1, "P1", 1, "10.00"),
        ],
        "payments": [
            {
                "payment_id": "Y1",
                "order_id": "O1",
                "payment_ts": ts("2024-01-01T10:05:00"),
                "method": "paypal",
                "amount": money("44.90"),
                "status": "authorized",
                "updated_at": ts("2024-01-01T10:05:00"),
            }
        ],
        "shipments": [
            {
                "shipment_id": "S1",
                "order_id": "O1",
                "carrier": "dhl",
                "status": "pending",
                "shipped_ts": None,
                "delivered_ts": None,
                "updated_at": ts("2024-01-01T12:00:00"),
            }
        ],
        "web_events": [
            event("E1", "A", "product_view", "2024-01-01T09:50:00", "C1", "P1"),
            event("E2", "B", "page_view", "2024-01-01T09:55:00", None, None),
            event("E3", "A", "add_to_cart", "2024-01-01T09:56:00", "C1", "P1"),
            event("E4", "A", "purchase", "2024-01-01T10:00:00", "C1", None),
        ],
        "inventory": [
            {
                "warehouse_id": "W1",
                "product_id": "P1",
                "on_hand_qty": 40,
                "snapshot_date": date(2024, 1, 1),
            },
            {
                "warehouse_id": "W1",
                "product_id": "P2",
                "on_hand_qty": 7,
                "snapshot_date": date(2024, 1, 1),
            },
        ],
    }
    day2 = {
        # C1 moves and becomes gold; C2's first version arrives again (one version in gold).
        "customers": [
            customer("C1", "2024-01-02T09:00:00", tier="gold", city="Hamburg"),
            customer("C2", "2024-01-01T08:00:00"),
        ],
        # P1 renamed; a P2 version older than the current one arrives late (history only).
        "products": [
            product("P1", "2024-01-02T00:00:00", "Kettle Pro", "kitchen", "12.00"),
            product("P2", "2023-12-31T00:00:00", "Lamp (old)", "home", "20.00"),
        ],
        "orders": [
            order(
                "O1", "C1", "2024-01-01T10:00:00", "paid", "2024-01-02T08:00:00", campaign_id="K1"
            ),
            # C3 arrives only on day 3, after this order was placed.
            order(
                "O3", "C3", "2024-01-02T12:00:00", "placed", "2024-01-02T12:00:00", campaign_id="K9"
            ),
        ],
        "order_items": [
            item("O3", 1, "P3", 3, "8.00"),  # P3 arrives on day 3
            item("O4", 1, "P1", 1, "12.00"),  # order O4 arrives on day 3
            item("O2", 1, "P1", 1, "10.00"),  # the same line delivered again
            item("O5", 1, "P3", 1, "8.00"),  # order O5 never arrives
        ],
        "payments": [
            {
                "payment_id": "Y1",
                "order_id": "O1",
                "payment_ts": ts("2024-01-01T10:05:00"),
                "method": "paypal",
                "amount": money("44.90"),
                "status": "captured",
                "updated_at": ts("2024-01-02T07:00:00"),
            },
            {
                "payment_id": "Y2",
                "order_id": "O3",
                "payment_ts": ts("2024-01-02T12:01:00"),
                "method": "credit_card",
                "amount": money("28.90"),
                "status": "captured",
                "updated_at": ts("2024-01-02T12:01:00"),
            },
        ],
        "shipments": [
            {
                "shipment_id": "S1",
                "order_id": "O1",
                "carrier": "dhl",
                "status": "shipped",
                "shipped_ts": ts("2024-01-02T09:00:00"),
                "delivered_ts": None,
                "updated_at": ts("2024-01-02T09:00:00"),
            }
        ],
        "web_events": [
            event("E5", "C", "product_view", "2024-01-02T11:50:00", "C3", "P3"),
            event("E6", "C", "add_to_cart", "2024-01-02T11:51:00", "C3", "P404"),  # never arrives
        ],
        "inventory": [],  # an empty partition file: zero rows, schema only
    }
    day3 = {
        # C3's first version is later than O3's order time: O3 points at it anyway. A C1
        # version between v1 and v2 arrives late and becomes history.
        "customers": [
            customer("C3", "2024-01-03T08:00:00", tier="silver", city="Munich"),
            customer("C1", "2024-01-01T12:00:00", tier="silver"),
        ],
        "products": [product("P3", "2024-01-03T00:00:00", "Mug", "kitchen", "8.00")],
        "orders": [
            order("O4", "C1", "2024-01-02T23:00:00", "placed", "2024-01-02T23:00:00"),
            order(
                "O2",
                "C2",
                "2024-01-01T11:00:00",
                "cancelled",
                "2024-01-03T09:00:00",
                channel="mobile_app",
            ),
            # O1's first version arrives again, late: history, never the current state.
            order(
                "O1", "C1", "2024-01-01T10:00:00", "placed", "2024-01-01T10:00:00", campaign_id="K1"
            ),
        ],
        "shipments": [
            {
                "shipment_id": "S1",
                "order_id": "O1",
                "carrier": "dhl",
                "status": "delivered",
                "shipped_ts": ts("2024-01-02T09:00:00"),
                "delivered_ts": ts("2024-01-04T15:00:00"),
                "updated_at": ts("2024-01-04T15:00:00"),
            }
        ],
    }
    return tuple(Partition(dt, rows) for dt, rows in zip(DAYS, (day1, day2, day3), strict=True))


def write_day(lake: Path, partition: Partition) -> None:
    for entity, rows in partition.rows.items():
        write_partition(lake, entity, partition.dt, rows)
