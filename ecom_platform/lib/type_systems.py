"""Each column type of `entities.ColumnType` in every type system that stores it.

Spark's names live beside the Spark code (`spark_jobs/schemas.py`, pyspark stays
out of `lib/`); everything else that turns a spec into a schema reads this table:
the Arrow writers and readers, Pandera, the Glue catalog and the dbt sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from ecom_platform.lib.entities import Column, ColumnType


@dataclass(frozen=True)
class TypeNames:
    arrow: pa.DataType
    catalog: str  # Glue Data Catalog (Hive), what Redshift Spectrum reads
    dbt: str  # `data_type` of a dbt source column (DuckDB and Redshift both parse it)


TYPES: dict[ColumnType, TypeNames] = {
    ColumnType.STRING: TypeNames(pa.string(), "string", "varchar"),
    # No zone in the file: the value is UTC wall-clock (Spark's TimestampNTZType).
    ColumnType.TIMESTAMP: TypeNames(pa.timestamp("us"), "timestamp", "timestamp"),
    ColumnType.DATE: TypeNames(pa.date32(), "date", "date"),
    ColumnType.DECIMAL: TypeNames(pa.decimal128(18, 2), "decimal(18,2)", "decimal(18,2)"),
    ColumnType.INT: TypeNames(pa.int64(), "bigint", "bigint"),
    ColumnType.BOOL: TypeNames(pa.bool_(), "boolean", "boolean"),
    ColumnType.INSTANT: TypeNames(pa.timestamp("us", tz="UTC"), "timestamp", "timestamp"),
    ColumnType.STRING_LIST: TypeNames(pa.list_(pa.string()), "array<string>", "varchar[]"),
}


def arrow_field(column: Column) -> pa.Field:
    return pa.field(column.name, TYPES[column.type].arrow)


def arrow_schema(columns: Iterable[Column]) -> pa.Schema:
    return pa.schema([arrow_field(c) for c in columns])


def catalog_columns(columns: Iterable[Column]) -> list[dict[str, str]]:
    """Glue catalog `columns` blocks, in file order."""
    return [{"name": c.name, "type": TYPES[c.type].catalog} for c in columns]
