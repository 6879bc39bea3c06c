"""Spark's half of `lib/type_systems.py`: the lake's columns as Spark types."""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
    TimestampType,
)

from ecom_platform.lib.entities import Column, ColumnType

SPARK_TYPES: dict[ColumnType, DataType] = {
    ColumnType.STRING: StringType(),
    ColumnType.TIMESTAMP: TimestampNTZType(),
    ColumnType.DATE: DateType(),
    ColumnType.DECIMAL: DecimalType(18, 2),
    ColumnType.INT: LongType(),
    ColumnType.BOOL: BooleanType(),
    ColumnType.INSTANT: TimestampType(),
    ColumnType.STRING_LIST: ArrayType(StringType()),
}


def spark_schema(columns: Iterable[Column]) -> StructType:
    return StructType([StructField(c.name, SPARK_TYPES[c.type]) for c in columns])
