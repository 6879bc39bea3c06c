"""The floor: one bare DuckDB pass over the same landing files.

Read every readable file, `try_cast` each contract column to its type, write
Parquet once per entity. No quarantine, no dedupe, no star schema: the least
work any implementation of the contract must do, so the platform's time is
reported as a ratio to it, measured in the same run on the same machine.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from ecom_platform.lib.entities import ENTITIES, ColumnType, Entity

SQL_TYPES = {
    ColumnType.STRING: "varchar",
    ColumnType.TIMESTAMP: "timestamp",
    ColumnType.DATE: "date",
    ColumnType.DECIMAL: "decimal(18,2)",
    ColumnType.INT: "bigint",
    ColumnType.BOOL: "boolean",
}


def entity_files(landing: Path, entity: Entity) -> list[str]:
    return sorted(
        str(path)
        for path in (landing / entity.name).glob("dt=*/*")
        if path.is_file() and not path.name.startswith(".")
    )


def reader(entity: Entity, files: list[str]) -> str:
    listed = "[" + ", ".join(f"'{f}'" for f in files) + "]"
    if entity.file_format == "jsonl":
        columns = "{" + ", ".join(f"'{c}': 'varchar'" for c in entity.column_names) + "}"
        return (
            f"read_json({listed}, format = 'newline_delimited', columns = {columns}, "
            "ignore_errors = true)"
        )
    return f"read_csv({listed}, header = true, all_varchar = true, union_by_name = true, " + (
        "ignore_errors = true, null_padding = true)"
    )


def readable(con: duckdb.DuckDBPyConnection, entity: Entity, files: list[str]) -> list[str]:
    """The files DuckDB can read at all (a binary or mis-encoded file would fail the scan)."""
    kept = []
    for file in files:
        try:
            con.execute(f"select count(*) from {reader(entity, [file])}").fetchone()
            kept.append(file)
        except duckdb.Error:
            continue
    return kept


def convert_entity(con: duckdb.DuckDBPyConnection, landing: Path, entity: Entity, out: Path) -> int:
    files = entity_files(landing, entity)
    if not files:
        return 0
    try:
        source = reader(entity, files)
        con.execute(f"describe select * from {source}")
    except duckdb.Error:
        files = readable(con, entity, files)
        source = reader(entity, files)
    present = {row[0] for row in con.execute(f"describe select * from {source}").fetchall()}
    columns = ", ".join(
        f'try_cast("{c.name}" as {SQL_TYPES[c.type]}) as {c.name}'
        if c.name in present
        else f"cast(null as {SQL_TYPES[c.type]}) as {c.name}"
        for c in entity.columns
    )
    target = out / f"{entity.name}.parquet"
    con.execute(f"copy (select {columns} from {source}) to '{target}' (format parquet)")
    return con.execute(f"select count(*) from '{target}'").fetchone()[0]


def floor_pass(landing: Path, out: Path) -> dict[str, float]:
    """Seconds and rows of the bare pass over every entity."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with duckdb.connect() as con:
        rows = sum(convert_entity(con, landing, entity, out) for entity in ENTITIES)
    return {"seconds": round(time.perf_counter() - started, 2), "rows": rows}
