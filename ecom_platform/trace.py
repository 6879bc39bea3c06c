"""`ecom-platform trace <fact> <natural key>`: one gold fact row back to its landing line.

"Where did this number come from" for a single row, without a Parquet reader or
our folder layout: the landing file and line the row was built from (CONTRACT.md
section 4, row lineage), the record's raw text (bronze keeps it as `_raw_record`),
every quarantined record of the same key (so a version missing from gold explains
itself), and the customer and product versions the row joined.

Local target only: the DuckDB warehouse is opened read-only (readers never take the
write lock) and bronze is read from the local lake folder.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from ecom_platform.lib import lake
from ecom_platform.lib.entities import Column, ColumnType, EntityKind, get_entity
from ecom_platform.lib.storage import join_uri
from ecom_platform.settings import Settings, Target

LANDING_DT = re.compile(r"/dt=(\d{4}-\d{2}-\d{2})/")


class TraceError(Exception):
    """Why a trace could not be made (no warehouse, a missing key option, ...): one line."""


@dataclass(frozen=True)
class Dimension:
    """An SCD2 dimension a fact row points at through `key_column`."""

    label: str
    table: str
    key_column: str
    id_column: str


CUSTOMER = Dimension("customer", "dim_customers", "customer_key", "customer_id")
PRODUCT = Dimension("product", "dim_products", "product_key", "product_id")


@dataclass(frozen=True)
class Fact:
    table: str
    entity: str
    dimensions: tuple[Dimension, ...]

    @property
    def grain(self) -> tuple[Column, ...]:
        """The fact's natural key: the entity key (plus the snapshot day for snapshots)."""
        spec = get_entity(self.entity)
        names = spec.dedupe_key if spec.kind is EntityKind.SNAPSHOT else spec.key
        return tuple(spec.column(name) for name in names)


FACTS = {
    fact.table: fact
    for fact in (
        Fact("fact_order_items", "order_items", (CUSTOMER, PRODUCT)),
        Fact("fact_orders", "orders", (CUSTOMER,)),
        Fact("fact_payments", "payments", (CUSTOMER,)),
        Fact("fact_shipments", "shipments", ()),
        Fact("fact_web_events", "web_events", (CUSTOMER, PRODUCT)),
        Fact("fact_inventory_snapshot", "inventory", (PRODUCT,)),
    )
}


def option_name(column: str) -> str:
    return "--" + column.replace("_", "-")


def parse_int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


PARSERS: dict[ColumnType, Callable[[str], Any]] = {
    ColumnType.STRING: str.strip,
    ColumnType.INT: parse_int,
    ColumnType.DATE: parse_date,
}
# How a bronze value (raw text) compares with a parsed key value in DuckDB.
BRONZE_MATCH = {
    ColumnType.STRING: "trim({column}) = ?",
    ColumnType.INT: "try_cast(trim({column}) as bigint) = ?",
    ColumnType.DATE: "try_cast(trim({column}) as date) = ?",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The fact name and one option per natural-key column of any fact."""
    parser.add_argument("fact", choices=sorted(FACTS))
    columns = {column.name: column for fact in FACTS.values() for column in fact.grain}
    for name, column in columns.items():
        users = ", ".join(t for t, f in FACTS.items() if name in {c.name for c in f.grain})
        parser.add_argument(
            option_name(name), dest=name, type=PARSERS[column.type], help=f"key of {users}"
        )


def key_values(fact: Fact, args: argparse.Namespace) -> dict[str, Any]:
    """The fact's key from the options; every key option of the fact, and only those."""
    grain = {column.name for column in fact.grain}
    missing = [option_name(c.name) for c in fact.grain if getattr(args, c.name, None) is None]
    if missing:
        raise TraceError(f"{fact.table} needs {' '.join(missing)}")
    others = {c.name for f in FACTS.values() for c in f.grain} - grain
    extra = sorted(option_name(name) for name in others if getattr(args, name, None) is not None)
    if extra:
        raise TraceError(f"{fact.table} is not keyed by {' '.join(extra)}")
    return {column.name: getattr(args, column.name) for column in fact.grain}


@dataclass(frozen=True)
class Quarantined:
    dt: date
    source_file: str
    source_line: int
    reason: str
    raw_record: str | None


@dataclass(frozen=True)
class Trace:
    fact: Fact
    key: dict[str, Any]
    row: dict[str, Any] | None
    raw_record: str | None
    dimensions: list[tuple[Dimension, dict[str, Any] | None]]
    quarantined: list[Quarantined]


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def fact_row(con: duckdb.DuckDBPyConnection, fact: Fact, key: dict[str, Any]) -> dict | None:
    where = " and ".join(f"{name} = ?" for name in key)
    rows = fetch_dicts(con, f"select * from {fact.table} where {where}", list(key.values()))
    return rows[0] if rows else None


def bronze_day_file(lake_uri: str, entity: str, dt: str) -> str | None:
    uri = lake.bronze_partition_uri(lake_uri, entity, dt)
    return uri if Path(uri).exists() else None


def bronze_entity_glob(lake_uri: str, entity: str) -> str | None:
    """Every bronze file of an entity; None when bronze holds none (DuckDB would fail)."""
    if not lake.partitions(lake_uri, lake.Layer.BRONZE, entity):
        return None
    return join_uri(
        lake.entity_uri(lake_uri, lake.Layer.BRONZE, entity), "*", lake.BRONZE_FILE_NAME
    )


def raw_record(
    con: duckdb.DuckDBPyConnection, lake_uri: str, entity: str, file: str, line: int
) -> str | None:
    """The record's raw text, from the bronze partition of the landing file's `dt=` folder."""
    found = LANDING_DT.search(file)
    bronze = bronze_day_file(lake_uri, entity, found.group(1)) if found else None
    if bronze is None:
        return None
    sql = (
        f"select {lake.RAW_RECORD} from read_parquet(?, union_by_name = true) "
        f"where {lake.SOURCE_FILE} = ? and {lake.LINE_NUMBER} = ?"
    )
    row = con.execute(sql, [bronze, file, line]).fetchone()
    return row[0] if row else None


def quarantined_versions(
    con: duckdb.DuckDBPyConnection, lake_uri: str, fact: Fact, key: dict[str, Any]
) -> list[Quarantined]:
    """Quarantined records of the entity whose raw key values (bronze) equal the key.

    Malformed records cannot be keyed (their fields were never split), so they never match.
    """
    files = bronze_entity_glob(lake_uri, fact.entity)
    if files is None:
        return []
    match = " and ".join(BRONZE_MATCH[c.type].format(column=f"b.{c.name}") for c in fact.grain)
    sql = f"""
        select q.dt, q.source_file, q.source_line, q.reason, q.raw_record
        from dq_quarantine as q
        inner join read_parquet(?, union_by_name = true) as b
            on b.{lake.SOURCE_FILE} = q.source_file and b.{lake.LINE_NUMBER} = q.source_line
        where q.entity = ? and not b.{lake.MALFORMED} and {match}
        order by q.dt, q.source_file, q.source_line
    """
    rows = con.execute(sql, [files, fact.entity, *key.values()]).fetchall()
    return [Quarantined(*row) for row in rows]


def dimension_version(
    con: duckdb.DuckDBPyConnection, dimension: Dimension, surrogate: int | None
) -> dict[str, Any] | None:
    if surrogate is None or surrogate == -1:
        return None
    sql = (
        f"select {dimension.id_column}, version_number, valid_from, valid_to, is_current "
        f"from {dimension.table} where {dimension.key_column} = ?"
    )
    rows = fetch_dicts(con, sql, [surrogate])
    return rows[0] if rows else None


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise TraceError(
            f"no warehouse at {warehouse} (ECOM_WAREHOUSE); run `ecom-platform run` first"
        )
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.IOException as exc:
        raise TraceError(f"cannot open the warehouse {warehouse}: {exc}") from None


def load_trace(settings: Settings, fact: Fact, key: dict[str, Any]) -> Trace:
    with connect(settings.warehouse_path) as con:
        try:
            row = fact_row(con, fact, key)
            quarantined = quarantined_versions(con, settings.lake_uri, fact, key)
            text = None
            dimensions: list[tuple[Dimension, dict[str, Any] | None]] = []
            if row is not None:
                text = raw_record(
                    con, settings.lake_uri, fact.entity, row["source_file"], row["source_line"]
                )
                dimensions = [
                    (d, dimension_version(con, d, row[d.key_column])) for d in fact.dimensions
                ]
        except duckdb.CatalogException as exc:
            first_line = str(exc).splitlines()[0]
            raise TraceError(
                f"the warehouse {settings.warehouse_path} has no gold tables yet "
                f"({first_line}); run `ecom-platform run` first"
            ) from None
    return Trace(fact, key, row, text, dimensions, quarantined)


def describe_key(key: dict[str, Any]) -> str:
    return " ".join(f"{name}={value}" for name, value in key.items())


def dimension_line(dimension: Dimension, row: dict[str, Any], version: dict | None) -> str:
    surrogate = row[dimension.key_column]
    if surrogate is None:
        return f"  {dimension.label:<12} none (no reference)"
    if version is None:
        missing = row.get(dimension.id_column) or "the parent"
        return f"  {dimension.label:<12} unknown member (-1): {missing} has no version in gold yet"
    valid_to = version["valid_to"] or "(current)"
    return (
        f"  {dimension.label:<12} {version[dimension.id_column]} version "
        f"{version['version_number']} ({dimension.key_column} {surrogate}), "
        f"valid_from {version['valid_from']}, valid_to {valid_to}"
    )


def render(trace: Trace) -> str:
    title = f"{trace.fact.table} {describe_key(trace.key)}"
    row = trace.row
    if row is None:
        lines = [f"{title}: not found in the warehouse"]
    else:
        lines = [
            title,
            f"  {'landing file':<12} {row['source_file']}",
            f"  {'line':<12} {row['source_line']}",
            f"  {'ingested at':<12} {row['ingested_at']}",
            f"  {'raw record':<12} {trace.raw_record or '(not in bronze any more)'}",
        ]
        lines += [dimension_line(d, row, v) for d, v in trace.dimensions]
        if not trace.dimensions:
            lines.append(f"  {'dimensions':<12} none (the fact joins no SCD2 dimension)")
    lines.append(f"quarantined records of this key: {len(trace.quarantined)}")
    for q in trace.quarantined:
        lines.append(f"  dt={q.dt} {q.source_file} line {q.source_line}: {q.reason}")
        lines.append(f"    {q.raw_record}")
    return "\n".join(lines)


def trace_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the trace; exit code 1 when the fact holds no row with the key."""
    if settings.target is Target.AWS:
        raise TraceError(
            "trace reads the local DuckDB warehouse; not supported on Redshift "
            "(ECOM_TARGET=aws) yet"
        )
    fact = FACTS[args.fact]
    trace = load_trace(settings, fact, key_values(fact, args))
    print(render(trace))
    return 0 if trace.row is not None else 1
