"""Typed, tolerant casts from bronze strings to silver types (CONTRACT.md section 1 grammar).

Each parser returns NULL for a value that does not follow the contract grammar,
so the caller can tell "missing" (raw NULL) from "invalid_type" (raw set, typed
NULL). A regular expression first fixes the exact text shape, because Spark's
own casts accept more than the contract does (`1,234.50`, `2024-1-5`, `12.5`
as an integer). Only `try_*` functions touch the value afterwards, so nothing
raises under ANSI mode either.
"""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from ecom_platform.lib.entities import ColumnType

TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DECIMAL_PATTERN = r"^-?\d+(\.\d{1,2})?$"
INT_PATTERN = r"^-?\d+$"
OFFSET_PATTERN = r"^[+-]([01]\d|2[0-3]):[0-5]\d$"
TRUE_SPELLINGS = ("true", "1", "yes")
FALSE_SPELLINGS = ("false", "0", "no")
DATETIME_FORMAT = "yyyy-MM-dd HH:mm:ss"
DATE_FORMAT = "yyyy-MM-dd"
MICROS_PER_SECOND = 1_000_000


def trimmed(raw: Column) -> Column:
    """Trim any Unicode whitespace (Spark's `trim` strips spaces only); empty becomes NULL."""
    value = F.regexp_replace(raw, r"(?U)^\s+|\s+$", "")
    return F.when(value != "", value)


def strict_datetime(text: Column) -> Column:
    """Parse `yyyy-MM-dd HH:mm:ss`, rejecting impossible dates and times.

    The parsed value must print back as the same text, so no lenient resolution
    (Feb 30 -> Mar 1, hour 25) can slip through on any Spark version.
    """
    parsed = F.try_to_timestamp(text, F.lit(DATETIME_FORMAT))
    return F.when(F.date_format(parsed, DATETIME_FORMAT) == text, parsed)


def offset_seconds(offset: Column) -> Column:
    """Seconds east of UTC for `Z`, `±HH:MM` or nothing (naive = UTC); NULL if out of range."""
    sign = F.when(F.substring(offset, 1, 1) == "-", F.lit(-1)).otherwise(F.lit(1))
    hours = F.substring(offset, 2, 2).cast("int")
    minutes = F.substring(offset, 5, 2).cast("int")
    return (
        F.when((offset == "") | (offset == "Z"), F.lit(0))
        .when(offset.rlike(OFFSET_PATTERN), sign * (hours * 3600 + minutes * 60))
        .cast("long")
    )


def parse_timestamp(name: str) -> Column:
    """Contract timestamp -> UTC wall-clock `timestamp_ntz` (session time zone is UTC)."""
    text = F.col(name)
    tail = F.substring(text, 20, 20)  # after `YYYY-MM-DD HH:MM:SS`: fraction and offset
    local = strict_datetime(
        F.concat(F.substring(text, 1, 10), F.lit(" "), F.substring(text, 12, 8))
    )
    fraction = F.regexp_extract(tail, r"^\.(\d{1,6})", 1)
    micros = F.when(fraction == "", F.lit(0)).otherwise(F.rpad(fraction, 6, "0").cast("long"))
    offset = F.regexp_extract(tail, r"(Z|[+-]\d{2}:\d{2})$", 1)
    utc_micros = F.unix_micros(local) + micros - offset_seconds(offset) * MICROS_PER_SECOND
    instant = F.timestamp_micros(utc_micros)
    return F.when(text.rlike(TIMESTAMP_PATTERN), instant.cast("timestamp_ntz"))


def parse_date(name: str) -> Column:
    text = F.col(name)
    parsed = F.try_to_timestamp(text, F.lit(DATE_FORMAT))
    valid = text.rlike(DATE_PATTERN) & (F.date_format(parsed, DATE_FORMAT) == text)
    return F.when(valid, F.to_date(parsed))


def try_cast(name: str, sql_type: str) -> Column:
    """SQL `try_cast` (no Column method before Spark 4): NULL instead of an error on overflow."""
    return F.expr(f"try_cast(`{name}` AS {sql_type})")


def parse_decimal(name: str) -> Column:
    """decimal(18,2); too many digits overflows to NULL (invalid_type), never raises."""
    return F.when(F.col(name).rlike(DECIMAL_PATTERN), try_cast(name, "DECIMAL(18,2)"))


def parse_int(name: str) -> Column:
    """int64; a value beyond the int64 range is NULL (invalid_type)."""
    return F.when(F.col(name).rlike(INT_PATTERN), try_cast(name, "BIGINT"))


def parse_bool(name: str) -> Column:
    lowered = F.lower(F.col(name))
    return F.when(lowered.isin(*TRUE_SPELLINGS), F.lit(True)).when(
        lowered.isin(*FALSE_SPELLINGS), F.lit(False)
    )


def parse_string(name: str) -> Column:
    return F.col(name)


# Each parser takes the name of a trimmed raw column (try_cast needs a name, not an expression).
PARSERS: dict[ColumnType, Callable[[str], Column]] = {
    ColumnType.STRING: parse_string,
    ColumnType.TIMESTAMP: parse_timestamp,
    ColumnType.DATE: parse_date,
    ColumnType.DECIMAL: parse_decimal,
    ColumnType.INT: parse_int,
    ColumnType.BOOL: parse_bool,
}
