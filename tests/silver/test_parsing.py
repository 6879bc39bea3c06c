"""Typed casts: the contract grammar exactly, never Spark's more lenient one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pyspark.sql import SparkSession

from ecom_platform.lib.entities import ColumnType
from ecom_platform.spark_jobs.parsing import PARSERS, WHITESPACE, trimmed
from ecom_platform.spark_jobs.session import interpreting_session


@pytest.fixture(params=["compiled", "interpreted"])
def spark(spark: SparkSession, request: pytest.FixtureRequest) -> SparkSession:
    """Each rule both ways Spark evaluates it (small inputs are interpreted: pipeline)."""
    return spark if request.param == "compiled" else interpreting_session(spark)


def parse_all(spark: SparkSession, column_type: ColumnType, texts: list[str]) -> list:
    frame = spark.createDataFrame([(t,) for t in texts], "v string")
    return [row[0] for row in frame.select(PARSERS[column_type]("v")).collect()]


TIMESTAMPS = {
    "2024-03-10T12:00:00Z": datetime(2024, 3, 10, 12, 0),
    "2024-03-10 12:00:00": datetime(2024, 3, 10, 12, 0),  # naive = UTC
    "2024-03-10T12:00:00+02:00": datetime(2024, 3, 10, 10, 0),
    "2024-03-10T12:00:00-05:30": datetime(2024, 3, 10, 17, 30),
    "2024-03-10T23:30:00-01:00": datetime(2024, 3, 11, 0, 30),  # crosses midnight
    "2024-01-01T00:30:00+01:00": datetime(2023, 12, 31, 23, 30),  # crosses the year
    "2024-03-10T12:00:00.123456Z": datetime(2024, 3, 10, 12, 0, 0, 123456),
    "2024-03-10T12:00:00.5+01:00": datetime(2024, 3, 10, 11, 0, 0, 500000),
    "2024-02-29T00:00:00": datetime(2024, 2, 29),
    "2024-02-30T00:00:00": None,
    "2023-02-29T00:00:00": None,
    "2024-01-01T25:00:00": None,
    "2024-01-01T12:60:00": None,
    "2024-01-01T12:00:60": None,
    "2024-01-01T12:00:00.1234567Z": None,
    "2024-01-01T12:00": None,
    "2024-01-01": None,
    "2024/01/01 12:00:00": None,
    "2024-1-01T12:00:00": None,
    "2024-01-01T12:00:00z": None,
    "2024-01-01T12:00:00+24:00": None,
    "2024-01-01T12:00:00+0200": None,
    "yesterday": None,
}


def test_timestamps_become_utc_wall_clock_and_impossible_ones_are_null(spark: SparkSession):
    parsed = parse_all(spark, ColumnType.TIMESTAMP, list(TIMESTAMPS))
    assert dict(zip(TIMESTAMPS, parsed, strict=True)) == TIMESTAMPS


# Corners where a Java parser or zone offset might disagree with the contract grammar.
TIMESTAMP_CORNERS = {
    "2024-01-01T12:00:00+19:00": datetime(2023, 12, 31, 17, 0),  # beyond ZoneOffset's ±18:00
    "2024-01-01T12:00:00-23:59": datetime(2024, 1, 2, 11, 59),
    "2024-01-01 12:00:00.000001-00:00": datetime(2024, 1, 1, 12, 0, 0, 1),
    "2024-12-31T23:59:59.999999Z": datetime(2024, 12, 31, 23, 59, 59, 999999),
    "2000-02-29T00:00:00": datetime(2000, 2, 29),
    "1900-02-29T00:00:00": None,
    "2024-04-31T00:00:00": None,
    "2024-00-10T00:00:00": None,
    "2024-01-00T00:00:00": None,
    "2024-01-01T24:00:00": None,
    "2024-01-01T12:00:00.Z": None,
    "2024-01-01T12:00:00+05:60": None,
    "2024-01-01T12:00:00+05:30Z": None,
    "2024-01-01t12:00:00": None,
}


def test_timestamp_corners(spark: SparkSession):
    parsed = parse_all(spark, ColumnType.TIMESTAMP, list(TIMESTAMP_CORNERS))
    assert dict(zip(TIMESTAMP_CORNERS, parsed, strict=True)) == TIMESTAMP_CORNERS


def test_dates_follow_the_contract_format_only(spark: SparkSession):
    cases = {
        "2024-02-29": date(2024, 2, 29),
        "2024-02-30": None,
        "2024/03/05": None,
        "2024-3-05": None,
        "05.03.2024": None,
        "2024-03-05T00:00:00": None,
    }
    assert parse_all(spark, ColumnType.DATE, list(cases)) == list(cases.values())


def test_decimals_are_exact_two_place_values(spark: SparkSession):
    cases = {
        "12.5": Decimal("12.50"),
        "-0.01": Decimal("-0.01"),
        "007": Decimal("7.00"),
        "9999999999999999.99": Decimal("9999999999999999.99"),
        "12345678901234567.00": None,  # 17 integer digits overflow decimal(18,2)
        "12,5": None,
        "1,234.50": None,
        "1.234": None,
        "1e3": None,
        "+5": None,
        ".5": None,
    }
    assert parse_all(spark, ColumnType.DECIMAL, list(cases)) == list(cases.values())


def test_integers_reject_fractions_words_and_int64_overflow(spark: SparkSession):
    cases = {
        "-5": -5,
        "9223372036854775807": 9223372036854775807,
        "9223372036854775808": None,
        "12.5": None,
        "two": None,
        "1,000": None,
    }
    assert parse_all(spark, ColumnType.INT, list(cases)) == list(cases.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("TRUE", True), ("Yes", True), ("1", True), ("false", False), ("NO", False), ("0", False)]
    + [("maybe", None), ("t", None), ("2", None)],
)
def test_booleans_in_every_contract_spelling(spark: SparkSession, text: str, expected):
    assert parse_all(spark, ColumnType.BOOL, [text]) == [expected]


def test_trimming_strips_any_whitespace_and_empty_becomes_null(spark: SparkSession):
    frame = spark.createDataFrame(
        [(" a b\t",), ("\t \r\n",), ("",), ("\u00a0x\u00a0",)], "v string"
    )
    values = [row[0] for row in frame.select(trimmed(frame.v)).collect()]
    assert values == ["a b", None, None, "x"]


def test_whitespace_is_every_character_python_strips():
    assert tuple(chr(c) for c in range(0x110000) if chr(c).isspace()) == WHITESPACE


def test_trimming_matches_python_strip_for_every_whitespace_character(spark: SparkSession):
    """The byte pre-test must let every padded value through, and leave others unchanged."""
    texts = [
        text
        for ws in WHITESPACE
        for text in (f"{ws}a", f"a{ws}", f"{ws}{ws}", f"\u00e9{ws}\u00e9", ws)
    ] + ["\u00e9", "\u2000x\u3000", "\u00a9", "x\u00a0\u00e9", "a", ""]
    frame = spark.createDataFrame([(text,) for text in texts], "v string")
    values = [row[0] for row in frame.select(trimmed(frame.v)).collect()]
    assert values == [text.strip() or None for text in texts]
