"""Typed, tolerant casts from bronze strings to silver types (CONTRACT.md section 1 grammar).

Each parser returns NULL for a value that does not follow the contract grammar,
so the caller can tell "missing" (raw NULL) from "invalid_type" (raw set, typed
NULL). A regular expression first fixes the exact text shape, because Spark's
own casts accept more than the contract does (`1,234.50`, `2024-1-5`, `12.5`
as an integer). Afterwards only `try_*` functions, and casts of text already
known to be digits, touch the value, so nothing raises under ANSI mode either.
"""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from ecom_platform.lib.entities import ColumnType

TIMESTAMP_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$"
)
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DECIMAL_PATTERN = r"^-?\d+(\.\d{1,2})?$"
INT_PATTERN = r"^-?\d+$"
TRUE_SPELLINGS = ("true", "1", "yes")
FALSE_SPELLINGS = ("false", "0", "no")
DATETIME_FORMAT = "yyyy-MM-dd HH:mm:ss"
DATE_FORMAT = "yyyy-MM-dd"
MICROS_PER_SECOND = 1_000_000
WHITESPACE = tuple(chr(code) for code in range(0x110000) if chr(code).isspace())


def trimmed(raw: Column) -> Column:
    """Strip what Python's `str.strip()` strips (Spark's `trim` strips spaces only); empty is NULL.

    Most values have nothing to strip, so `btrim` only runs when an end character
    is whitespace: half the cost of a regular expression on every value.
    """
    padded = F.substring(raw, 1, 1).isin(*WHITESPACE) | F.substring(raw, -1, 1).isin(*WHITESPACE)
    stripped = F.when(padded, F.btrim(raw, F.lit("".join(WHITESPACE)))).otherwise(raw)
    return F.nullif(stripped, F.lit(""))


def strict_datetime(text: Column) -> Column:
    """Parse `yyyy-MM-dd HH:mm:ss`, rejecting impossible dates and times.

    The parsed value must print back as the same text, so no lenient resolution
    (Feb 30 -> Mar 1, hour 25) can slip through on any Spark version.
    """
    parsed = F.try_to_timestamp(text, F.lit(DATETIME_FORMAT))
    return F.when(F.date_format(parsed, DATETIME_FORMAT) == text, parsed)


def offset_seconds(offset: Column) -> Column:
    """Seconds east of UTC of a `±HH:MM` offset (NULL: none or `Z`, that is UTC)."""
    sign = F.when(offset.startswith("-"), F.lit(-1)).otherwise(F.lit(1))
    hours = F.substring(offset, 2, 2).cast("int")
    minutes = F.substring(offset, 5, 2).cast("int")
    return F.coalesce(sign * (hours * 3600 + minutes * 60), F.lit(0)).cast("long")


def parse_timestamp(name: str) -> Column:
    """Contract timestamp -> UTC wall-clock `timestamp_ntz` (session time zone is UTC).

    Once the pattern matched, every part sits at a known place, so substrings
    (not more regular expressions) pick out the fraction and the offset.
    """
    text = F.col(name)
    tail = F.substring(text, 20, 20)  # after `YYYY-MM-DD HH:MM:SS`: `.ffffff` and offset
    length = F.length(tail)
    has_offset = (length >= 6) & tail.substr(length - 5, F.lit(1)).isin("+", "-")
    offset = F.when(has_offset, tail.substr(length - 5, F.lit(6)))
    offset_length = F.when(has_offset, 6).when(tail.endswith("Z"), 1).otherwise(0)
    digits = tail.substr(F.lit(2), length - 1 - offset_length)
    micros = F.when(tail.startswith("."), F.rpad(digits, 6, "0").cast("long")).otherwise(0)
    local = strict_datetime(
        F.concat(F.substring(text, 1, 10), F.lit(" "), F.substring(text, 12, 8))
    )
    utc_micros = F.unix_micros(local) + micros - offset_seconds(offset) * MICROS_PER_SECOND
    valid = text.rlike(TIMESTAMP_PATTERN)
    return F.when(valid, F.timestamp_micros(utc_micros).cast("timestamp_ntz"))


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
