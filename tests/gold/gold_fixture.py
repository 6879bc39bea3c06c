"""Tiny silver lake written with pyarrow, following docs/architecture.md.

The gold layer is built and tested without the silver code: these records stand for what
silver writes from landing files (typed contract columns plus lineage, one Hive-style `dt=`
folder per partition). They carry the defects gold must handle: versions arriving late or
out of order, the same version in two partitions, order lines and orders whose parents
arrive days later, a reference that never resolves, and entities with no files at all.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib import lake
from ecom_platform.lib.entities import ENTITY_BY_NAME
from ecom_platform.lib.type_systems import arrow_schema

DAYS = ("2024-01-01", "2024-01-02", "2024-01-03")
INGESTED_AT = datetime(2024, 1, 5)


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def money(value: str) -> Decimal:
    return Decimal(value)


def silver_schema(entity: str) -> pa.Schema:
    """Contract columns typed as silver stores them, then the lineage columns."""
    # Silver keeps bronze's run time as a zone-less UTC timestamp (Spark TimestampNTZ).
    schema = arrow_schema((*ENTITY_BY_NAME[entity].columns, *lake.SILVER_LINEAGE))
    index = schema.get_field_index(lake.INGESTED_AT)
    return schema.set(index, pa.field(lake.INGESTED_AT, pa.timestamp("us")))


def landing_file(entity: str, dt: str, name: str | None = None) -> str:
    """The landing file URI silver rows of the fixture claim to come from."""
    return f"landing/{entity}/dt={dt}/{name or entity + '.csv'}"


def write_parquet(folder: Path, name: str, table: pa.Table) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / name)
    return folder / name


def write_partition(lake_dir: Path, entity: str, dt: str, rows: Iterable[dict]) -> Path:
    """Write one silver partition file (possibly empty: the schema still travels).

    Row n of the list is landing line n + 1 (the CSV header is line 1).
    """
    schema = silver_schema(entity)
    records = []
    for line, row in enumerate(rows, start=2):
        record = {name: row.get(name) for name in schema.names}
        record[lake.SOURCE_FILE] = landing_file(entity, dt)
        record[lake.LINE_NUMBER] = line
        record[lake.INGESTED_AT] = INGESTED_AT
        records.append(record)
    folder = lake_dir / lake.Layer.SILVER / entity / lake.partition_folder(dt)
    return write_parquet(folder, "part-00000.parquet", pa.Table.from_pylist(records, schema=schema))


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
class Rejected:
    """A record silver quarantined: it sits in the landing file after the silver rows."""

    reason_codes: tuple[str, ...]
    raw_record: str


@dataclass(frozen=True)
class RejectedFile:
    """A landing file bronze quarantined whole."""

    name: str
    reason: str
    message: str


@dataclass(frozen=True)
class Partition:
    """One day: silver rows per entity, and what bronze and silver set aside on the way.

    An entity's main landing file holds, after its header, the silver rows, then the
    quarantined records, then `duplicates` copies of valid records (dropped by silver).
    """

    dt: str
    rows: dict[str, list[dict]]
    quarantined: dict[str, list[Rejected]] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    rejected_files: dict[str, list[RejectedFile]] = field(default_factory=dict)
    duplicate_files: dict[str, str] = field(default_factory=dict)  # entity -> copy's name

    @property
    def entities(self) -> list[str]:
        named = [*self.rows, *self.quarantined, *self.rejected_files, *self.duplicate_files]
        return sorted(set(named))

    def rows_read(self, entity: str) -> int:
        """Records of the main file: silver rows + quarantined + duplicates (contract 3)."""
        return (
            len(self.rows.get(entity, []))
            + len(self.quarantined.get(entity, []))
            + self.duplicates.get(entity, 0)
        )


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
    return (
        Partition(
            DAYS[0],
            day1,
            quarantined={
                "customers": [
                    Rejected(("invalid_value:country_code",), "C9,c9@example.com,,,XX,,none,...")
                ],
                "order_items": [Rejected(("malformed_record",), 'O1,3,"P1,1')],
            },
            duplicates={"order_items": 1},
        ),
        Partition(
            DAYS[1],
            day2,
            quarantined={
                "orders": [
                    Rejected(("missing_required:customer_id",), "O8,,2024-01-02 10:00:00,..."),
                    Rejected(
                        ("invalid_type:order_ts", "invalid_value:status"),
                        "O9,C1,2024-01-02T25:00,lost,...",
                    ),
                ],
            },
            duplicates={"customers": 1, "orders": 1},
            rejected_files={
                "payments": [
                    RejectedFile(
                        "payments_late.csv",
                        "schema:missing_column:amount",
                        "lacks required column amount",
                    )
                ]
            },
        ),
        Partition(
            DAYS[2],
            day3,
            quarantined={
                "web_events": [Rejected(("malformed_record",), '{"event_id": "E9",')],
                "orders": [Rejected(("invalid_value:channel",), "O7,C1,...,fax,...")],
            },
            duplicate_files={"orders": "orders_copy.csv"},
        ),
    )


def write_day(lake_dir: Path, partition: Partition) -> None:
    """Silver, and the bronze ledger, quarantine and silver statistics of the same day."""
    for entity, rows in partition.rows.items():
        write_partition(lake_dir, entity, partition.dt, rows)
    for entity in partition.entities:
        write_ledger(lake_dir, partition, entity)
        write_quarantine(lake_dir, partition, entity)
        write_stats(lake_dir, partition, entity)


def layer_folder(lake_dir: Path, layer: lake.Layer, entity: str, dt: str) -> Path:
    return lake_dir / layer / entity / lake.partition_folder(dt)


def ledger_row(entity: str, dt: str, name: str, status: str, rows: int = 0, **extra) -> dict:
    uri = landing_file(entity, dt, name)
    return {
        "entity": entity,
        "dt": dt,
        "source_file": uri,
        "file_hash": hashlib.sha256(uri.encode()).hexdigest(),
        "size_bytes": 100 + rows,
        "status": status,
        "rows": rows,
        **extra,
    }


def ledger_rows(partition: Partition, entity: str) -> list[dict]:
    """What bronze recorded for each landing file of the entity that day."""
    dt, main = partition.dt, f"{entity}.csv"
    read = partition.rows_read(entity)
    rows = []
    if entity in partition.rows or read:
        rows.append(ledger_row(entity, dt, main, "ingested" if read else "empty", read))
    if entity in partition.duplicate_files:
        copy = partition.duplicate_files[entity]
        reason = f"duplicate_of:{landing_file(entity, dt, main)}"
        rows.append(ledger_row(entity, dt, copy, "duplicate_content", reason=reason))
    for rejected in partition.rejected_files.get(entity, []):
        rows.append(
            ledger_row(
                entity,
                dt,
                rejected.name,
                "quarantined",
                reason=rejected.reason,
                message=f"{landing_file(entity, dt, rejected.name)} {rejected.message}",
            )
        )
    return rows


def write_ledger(lake_dir: Path, partition: Partition, entity: str) -> None:
    schema = arrow_schema(lake.LEDGER_COLUMNS)
    table = pa.Table.from_pylist(ledger_rows(partition, entity), schema=schema)
    folder = layer_folder(lake_dir, lake.Layer.LEDGER, entity, partition.dt)
    write_parquet(folder, lake.LEDGER_FILE_NAME, table)


def quarantine_rows(partition: Partition, entity: str) -> list[dict]:
    """Quarantined records follow the silver rows in the main file (header = line 1)."""
    first_line = len(partition.rows.get(entity, [])) + 2
    return [
        {
            "entity": entity,
            "dt": partition.dt,
            "source_file": landing_file(entity, partition.dt),
            "line_number": first_line + offset,
            "reason_codes": list(rejected.reason_codes),
            "reason": ";".join(rejected.reason_codes),
            "raw_record": rejected.raw_record,
        }
        for offset, rejected in enumerate(partition.quarantined.get(entity, []))
    ]


def write_quarantine(lake_dir: Path, partition: Partition, entity: str) -> None:
    rows = quarantine_rows(partition, entity)
    if rows:  # silver writes a quarantine file only when it rejected something
        table = pa.Table.from_pylist(rows, schema=arrow_schema(lake.QUARANTINE_COLUMNS))
        folder = layer_folder(lake_dir, lake.Layer.QUARANTINE, entity, partition.dt)
        write_parquet(folder, "part-00000.parquet", table)


def stats_rows(partition: Partition, entity: str) -> list[dict]:
    """The long-form statistics a silver run writes (lake.STATS_COLUMNS)."""
    rejected = partition.quarantined.get(entity, [])
    measures = [
        ("rows_in", None, partition.rows_read(entity)),
        ("silver", None, len(partition.rows.get(entity, []))),
        ("quarantined", None, len(rejected)),
        ("duplicates", None, partition.duplicates.get(entity, 0)),
    ]
    by_reason = Counter(code for r in rejected for code in r.reason_codes)
    measures += [("quarantined_by_reason", code, n) for code, n in sorted(by_reason.items())]
    return [
        {"entity": entity, "dt": partition.dt, "measure": m, "detail": d, "rows": n}
        for m, d, n in measures
    ]


def write_stats(lake_dir: Path, partition: Partition, entity: str) -> None:
    table = pa.Table.from_pylist(
        stats_rows(partition, entity), schema=arrow_schema(lake.STATS_COLUMNS)
    )
    folder = layer_folder(lake_dir, lake.Layer.STATS, entity, partition.dt)
    write_parquet(folder, lake.STATS_FILE_NAME, table)
