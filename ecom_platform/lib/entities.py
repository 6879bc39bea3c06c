"""Declarative specs of the nine landing entities (CONTRACT.md section 2).

One place describes every column, type, domain and business rule. Bronze
(required columns), silver (typing, rules, dedupe), the Pandera gates, the
generator and the tests all read these specs, so a rule changes in one spot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from ecom_platform.lib.iso_countries import ISO_3166_ALPHA2


class ColumnType(StrEnum):
    STRING = "string"
    TIMESTAMP = "timestamp"  # UTC wall-clock, microsecond precision, no zone in the file
    DATE = "date"
    DECIMAL = "decimal"  # decimal(18,2)
    INT = "int"  # 64-bit integer
    BOOL = "bool"
    # Only in lake bookkeeping columns (lib/lake.py), never in a landing entity:
    INSTANT = "instant"  # a moment with its UTC zone in the file (bronze's run time)
    STRING_LIST = "string_list"  # a list of strings (a quarantined row's reason codes)


class EntityKind(StrEnum):
    CDC = "cdc"  # new or changed records; every distinct (key, updated_at) is a version
    IMMUTABLE = "immutable"  # written once; duplicates by key
    SNAPSHOT = "snapshot"  # daily full snapshot; duplicates by key and snapshot_date


class Normalize(StrEnum):
    LOWER = "lower"
    UPPER = "upper"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = ColumnType.STRING
    required: bool = False
    enum: tuple[str, ...] | None = None  # allowed values, lower-case; matched case-insensitively
    min_value: int | Decimal | None = None  # inclusive lower bound for numbers
    normalize: Normalize | None = None  # how a valid string is stored
    allowed: frozenset[str] | None = None  # closed set of valid values after normalising
    description: str = ""


@dataclass(frozen=True)
class CrossColumnRule:
    """`column <op> product(operands)`; reported on `column`, applied only when all are valid."""

    column: str
    op: Literal[">=", "<="]
    operands: tuple[str, ...]


@dataclass(frozen=True)
class RequiredWhen:
    """`column` is required when `when_column` takes one of `values`."""

    column: str
    when_column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    """A foreign key to a dimension entity; unknown parents are counted as orphans, not rejected."""

    column: str
    parent: str
    parent_column: str


@dataclass(frozen=True)
class Entity:
    name: str
    kind: EntityKind
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    file_format: Literal["csv", "jsonl"] = "csv"
    cross_rules: tuple[CrossColumnRule, ...] = ()
    required_when: tuple[RequiredWhen, ...] = ()
    references: tuple[Reference, ...] = ()
    description: str = ""
    _by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def version_column(self) -> str | None:
        """The column that tells versions of one key apart (None: the key alone)."""
        if self.kind is EntityKind.CDC:
            return "updated_at"
        if self.kind is EntityKind.SNAPSHOT:
            return "snapshot_date"
        return None

    @property
    def dedupe_key(self) -> tuple[str, ...]:
        """Rows equal on these columns within one entity and `dt` are duplicates."""
        version = self.version_column
        if version is None or version in self.key:
            return self.key
        return (*self.key, version)

    @property
    def extensions(self) -> tuple[str, ...]:
        """Landing file name endings accepted for this entity."""
        return (".jsonl", ".jsonl.gz") if self.file_format == "jsonl" else (".csv", ".csv.gz")


S, TS, D, DEC, INT, BOOL = (
    ColumnType.STRING,
    ColumnType.TIMESTAMP,
    ColumnType.DATE,
    ColumnType.DECIMAL,
    ColumnType.INT,
    ColumnType.BOOL,
)
ZERO = Decimal("0")

ENTITIES: tuple[Entity, ...] = (
    Entity(
        name="customers",
        kind=EntityKind.CDC,
        key=("customer_id",),
        columns=(
            Column("customer_id", S, required=True),
            Column("email", S, required=True, normalize=Normalize.LOWER),
            Column("first_name", S),
            Column("last_name", S),
            Column(
                "country_code",
                S,
                required=True,
                normalize=Normalize.UPPER,
                allowed=ISO_3166_ALPHA2,
            ),
            Column("city", S),
            Column("loyalty_tier", S, required=True, enum=("none", "silver", "gold", "platinum")),
            Column("signup_ts", TS, required=True),
            Column("updated_at", TS, required=True),
        ),
        description="Customer master data (CDC).",
    ),
    Entity(
        name="products",
        kind=EntityKind.CDC,
        key=("product_id",),
        columns=(
            Column("product_id", S, required=True),
            Column("product_name", S, required=True),
            Column("category", S, required=True),
            Column("subcategory", S),
            Column("brand", S),
            Column("unit_price", DEC, required=True, min_value=ZERO),
            Column("is_active", BOOL, required=True),
            Column("updated_at", TS, required=True),
        ),
        description="Product catalogue (CDC).",
    ),
    Entity(
        name="campaigns",
        kind=EntityKind.CDC,
        key=("campaign_id",),
        columns=(
            Column("campaign_id", S, required=True),
            Column("campaign_name", S, required=True),
            Column(
                "channel",
                S,
                required=True,
                enum=("email", "social", "search", "affiliate", "display"),
            ),
            Column("start_date", D, required=True),
            Column("end_date", D),
            Column("budget", DEC, min_value=ZERO),
            Column("updated_at", TS, required=True),
        ),
        cross_rules=(CrossColumnRule("end_date", ">=", ("start_date",)),),
        description="Marketing campaigns (CDC).",
    ),
    Entity(
        name="orders",
        kind=EntityKind.CDC,
        key=("order_id",),
        columns=(
            Column("order_id", S, required=True),
            Column("customer_id", S, required=True),
            Column("order_ts", TS, required=True),
            Column(
                "status",
                S,
                required=True,
                enum=("placed", "paid", "shipped", "delivered", "cancelled", "returned"),
            ),
            Column("channel", S, required=True, enum=("web", "mobile_app", "marketplace")),
            Column("campaign_id", S),
            Column("shipping_amount", DEC, required=True, min_value=ZERO),
            Column("updated_at", TS, required=True),
        ),
        references=(
            Reference("customer_id", "customers", "customer_id"),
            Reference("campaign_id", "campaigns", "campaign_id"),
        ),
        description="Order headers (CDC): re-sent with later statuses.",
    ),
    Entity(
        name="order_items",
        kind=EntityKind.IMMUTABLE,
        key=("order_id", "line_number"),
        columns=(
            Column("order_id", S, required=True),
            Column("line_number", INT, required=True, min_value=1),
            Column("product_id", S, required=True),
            Column("quantity", INT, required=True, min_value=1),
            Column("unit_price", DEC, required=True, min_value=ZERO),
            Column("discount_amount", DEC, required=True, min_value=ZERO),
        ),
        cross_rules=(CrossColumnRule("discount_amount", "<=", ("quantity", "unit_price")),),
        references=(Reference("product_id", "products", "product_id"),),
        description="Order lines (immutable).",
    ),
    Entity(
        name="payments",
        kind=EntityKind.CDC,
        key=("payment_id",),
        columns=(
            Column("payment_id", S, required=True),
            Column("order_id", S, required=True),
            Column("payment_ts", TS, required=True),
            Column(
                "method",
                S,
                required=True,
                enum=(
                    "credit_card",
                    "debit_card",
                    "paypal",
                    "bank_transfer",
                    "gift_card",
                    "cash_on_delivery",
                ),
            ),
            Column("amount", DEC, required=True, min_value=ZERO),
            Column(
                "status", S, required=True, enum=("authorized", "captured", "failed", "refunded")
            ),
            Column("updated_at", TS, required=True),
        ),
        description="Payments (CDC).",
    ),
    Entity(
        name="shipments",
        kind=EntityKind.CDC,
        key=("shipment_id",),
        columns=(
            Column("shipment_id", S, required=True),
            Column("order_id", S, required=True),
            Column("carrier", S, required=True),
            Column(
                "status",
                S,
                required=True,
                enum=("pending", "shipped", "in_transit", "delivered", "returned", "lost"),
            ),
            Column("shipped_ts", TS),
            Column("delivered_ts", TS),
            Column("updated_at", TS, required=True),
        ),
        cross_rules=(CrossColumnRule("delivered_ts", ">=", ("shipped_ts",)),),
        description="Shipments (CDC).",
    ),
    Entity(
        name="web_events",
        kind=EntityKind.IMMUTABLE,
        key=("event_id",),
        file_format="jsonl",
        columns=(
            Column("event_id", S, required=True),
            Column("session_id", S, required=True),
            Column("customer_id", S),
            Column(
                "event_type",
                S,
                required=True,
                enum=(
                    "page_view",
                    "product_view",
                    "add_to_cart",
                    "remove_from_cart",
                    "checkout_start",
                    "purchase",
                ),
            ),
            Column("product_id", S),
            Column("event_ts", TS, required=True),
            Column("device", S, required=True, enum=("desktop", "mobile", "tablet")),
            Column("page_url", S),
        ),
        required_when=(
            RequiredWhen(
                "product_id", "event_type", ("product_view", "add_to_cart", "remove_from_cart")
            ),
        ),
        references=(
            Reference("customer_id", "customers", "customer_id"),
            Reference("product_id", "products", "product_id"),
        ),
        description="Clickstream events (immutable, JSON Lines).",
    ),
    Entity(
        name="inventory",
        kind=EntityKind.SNAPSHOT,
        key=("warehouse_id", "product_id"),
        columns=(
            Column("warehouse_id", S, required=True),
            Column("product_id", S, required=True),
            Column("on_hand_qty", INT, required=True, min_value=0),
            Column("snapshot_date", D, required=True),
        ),
        references=(Reference("product_id", "products", "product_id"),),
        description="Daily full stock snapshot per warehouse and product.",
    ),
)

ENTITY_BY_NAME: dict[str, Entity] = {e.name: e for e in ENTITIES}
ENTITY_NAMES: tuple[str, ...] = tuple(ENTITY_BY_NAME)


def get_entity(name: str) -> Entity:
    try:
        return ENTITY_BY_NAME[name]
    except KeyError:
        known = ", ".join(ENTITY_NAMES)
        raise ValueError(f"unknown entity {name!r}; known entities: {known}") from None
