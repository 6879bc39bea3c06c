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


def reader(entity: Entity, files: list[str], parallel: bool = True) -> str:
    listed = "[" + ", ".join(f"'{f}'" for f in files) + "]"
    if entity.file_format == "jsonl":
        columns = "{" + ", ".join(f"'{c}': 'varchar'" for c in entity.column_names) + "}"
        return (
            f"read_json({listed}, format = 'newline_delimited', columns = {columns}, "
            "ignore_errors = true)"
        )
    serial = "" if parallel else ", parallel = false"
    return f"read_csv({listed}, header = true, all_varchar = true, union_by_name = true, " + (
        f"ignore_errors = true, null_padding = true{serial})"
    )


def typed_columns(con: duckdb.DuckDBPyConnection, entity: Entity, source: str) -> str:
    present = {row[0] for row in con.execute(f"describe select * from {source}").fetchall()}
    return ", ".join(
        f'try_cast("{c.name}" as {SQL_TYPES[c.type]}) as {c.name}'
        if c.name in present
        else f"cast(null as {SQL_TYPES[c.type]}) as {c.name}"
        for c in entity.columns
    )


def write_typed(con: duckdb.DuckDBPyConnection, entity: Entity, source: str, target: Path) -> int:
    con.execute(
        f"copy (select {typed_columns(con, entity, source)} from {source}) "
        f"to '{target}' (format parquet)"
    )
    return con.execute(f"select count(*) from '{target}'").fetchone()[0]


def write_file_by_file(
    con: duckdb.DuckDBPyConnection, entity: Entity, files: list[str], out: Path
) -> int:
    """One Parquet file per landing file, for entities whose files DuckDB cannot scan as one:
    a file its parallel CSV scanner refuses (quoted newlines with padded rows) is read
    serially, and a file it cannot read at all (binary, mis-encoded) is left out."""
    rows = 0
    for number, file in enumerate(files):
        target = out / f"{entity.name}-{number}.parquet"
        for parallel in (True, False):
            try:
                rows += write_typed(con, entity, reader(entity, [file], parallel), target)
                break
            except duckdb.Error:
                continue
    return rows


def convert_entity(con: duckdb.DuckDBPyConnection, landing: Path, entity: Entity, out: Path) -> int:
    files = entity_files(landing, entity)
    if not files:
        return 0
    try:
        return write_typed(con, entity, reader(entity, files), out / f"{entity.name}.parquet")
    except duckdb.Error:
        return write_file_by_file(con, entity, files, out)


def floor_pass(landing: Path, out: Path) -> dict[str, float]:
    """Seconds and rows of the bare pass over every entity."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with duckdb.connect() as con:
        rows = sum(convert_entity(con, landing, entity, out) for entity in ENTITIES)
    return {"seconds": round(time.perf_counter() - started, 2), "rows": rows}
