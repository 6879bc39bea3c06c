"""Valid spellings of typed values: every variant CONTRACT.md section 1 allows, mixed.

Readers must accept all of them, so the generator uses all of them: `T` or a
space, 0-6 fraction digits, `Z`, offsets or naive timestamps; booleans as
true/FALSE/1/no; enums in odd case or padded. Every spelling is lossless: it
parses back to exactly the simulated value (an offset shifts the wall clock
to match, and no fraction digit that carries information is dropped).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ecom_platform.lib.entities import Column, ColumnType, Entity, Normalize

Renderer = Callable[[Any], str]
Texts = dict[str, str | None]

VARIANT_SHARE = 0.1  # share of enum and normalised values written in an unusual but valid form
# (offset in minutes, suffix); None is a naive timestamp, which means UTC.
TIMEZONES: tuple[tuple[int, str] | None, ...] = (
    None,
    None,
    None,
    (0, "Z"),
    (0, "+00:00"),
    (60, "+01:00"),
    (120, "+02:00"),
    (-300, "-05:00"),
    (330, "+05:30"),
)
TRUE_SPELLINGS = ("true", "TRUE", "True", "1", "yes", "Yes", "YES")
FALSE_SPELLINGS = ("false", "FALSE", "False", "0", "no", "No", "NO")


def timestamp_text(value: datetime, fraction: str, separator: str = " ", suffix: str = "") -> str:
    return f"{value.isoformat(separator, 'seconds')}{fraction}{suffix}"


def canonical_timestamp(value: datetime) -> str:
    fraction = f".{value.microsecond:06d}" if value.microsecond else ""
    return timestamp_text(value, fraction)


WHOLE_SECOND_FRACTIONS = ("", "", "", ".0", ".000", ".000000")


# TIMEZONES as (shift of the wall clock, suffix), the shifts built once.
ZONE_SHIFTS: tuple[tuple[timedelta, str] | None, ...] = tuple(
    None if zone is None else (timedelta(minutes=zone[0]), zone[1]) for zone in TIMEZONES
)
# `HH:MM:SS` for every second of a day: looking one up is about three times faster than
# datetime.isoformat, and almost every record carries one or more timestamps.
CLOCK_TEXTS: tuple[str, ...] = tuple(
    f"{hour:02d}:{minute:02d}:{second:02d}"
    for hour in range(24)
    for minute in range(60)
    for second in range(60)
)


class DateTexts(dict[int, str]):
    """ISO dates by proleptic Gregorian ordinal, each one formatted when first asked for."""

    def __missing__(self, ordinal: int) -> str:
        text = self[ordinal] = date.fromordinal(ordinal).isoformat()
        return text


def timestamp_renderer(rng: random.Random) -> Renderer:
    draw = rng.random  # one float per choice: this runs for millions of values
    zones, zone_count = ZONE_SHIFTS, len(ZONE_SHIFTS)
    whole, whole_count = WHOLE_SECOND_FRACTIONS, len(WHOLE_SECOND_FRACTIONS)
    dates, clock = DateTexts(), CLOCK_TEXTS

    def render(value: datetime) -> str:
        zone = zones[int(draw() * zone_count)]
        separator = "T" if draw() < 0.6 else " "
        microsecond = value.microsecond
        if microsecond == 0:
            fraction = whole[int(draw() * whole_count)]
        else:
            # Enough digits to keep the value exact, sometimes padded to six.
            digits = f"{microsecond:06d}"
            fraction = f".{digits}" if draw() < 0.3 else f".{digits.rstrip('0')}"
        suffix = ""
        if zone is not None:
            shift, suffix = zone
            value = value + shift
        # value.isoformat(separator, "seconds"), from the tables
        day = dates[value.toordinal()]
        time = clock[value.hour * 3_600 + value.minute * 60 + value.second]
        return f"{day}{separator}{time}{fraction}{suffix}"

    return render


def decimal_renderer(rng: random.Random) -> Renderer:
    def render(value: Decimal) -> str:
        text = f"{value:.2f}"
        if rng.random() < 0.3 and text.endswith("0"):
            return text[:-3] if text.endswith(".00") and rng.random() < 0.5 else text[:-1]
        return text

    return render


def bool_renderer(rng: random.Random) -> Renderer:
    def render(value: bool) -> str:
        return rng.choice(TRUE_SPELLINGS if value else FALSE_SPELLINGS)

    return render


def odd_case_renderer(rng: random.Random, normalize: Normalize | None) -> Renderer:
    """Values matched case-insensitively after trimming: sometimes shouted, titled or padded."""

    def render(value: str) -> str:
        if rng.random() >= VARIANT_SHARE:
            return value
        if normalize is Normalize.UPPER:
            return value.lower()
        variant = rng.randrange(4)
        if variant == 0:
            return value.upper()
        if variant == 1:
            return value.title()
        if variant == 2:
            return f" {value} "
        return f"  {value.capitalize()}"

    return render


def column_renderer(rng: random.Random, column: Column) -> Renderer:
    if column.type is ColumnType.TIMESTAMP:
        return timestamp_renderer(rng)
    if column.type is ColumnType.DECIMAL:
        return decimal_renderer(rng)
    if column.type is ColumnType.BOOL:
        return bool_renderer(rng)
    if column.type is ColumnType.INT:
        return str
    if column.type is ColumnType.DATE:
        return date.isoformat
    if column.enum is not None or column.normalize is not None:
        return odd_case_renderer(rng, column.normalize)
    return str


class RecordRenderer:
    """Spells one partition's records, each column by its renderer.

    Records come keyed by the spec's columns in the spec's order, with a value in
    every required column (the model builds them so), and a plain string value is
    already its own text: only the other columns are rendered, in spec order, which
    is the order their draws are taken in.
    """

    def __init__(self, rng: random.Random, entity: Entity) -> None:
        self.optional = tuple(column.name for column in entity.columns if not column.required)
        renderers = ((column, column_renderer(rng, column)) for column in entity.columns)
        self.rendered = tuple(
            (column.name, render)
            for column, render in renderers
            if not (column.type is ColumnType.STRING and render is str)
        )

    def texts(self, record: dict[str, Any], keep_nulls: bool = True) -> Texts:
        """The record's values as text; None stays None (an empty field or JSON null).

        Without `keep_nulls` a None value leaves its column out (a JSON key left absent).
        """
        texts = record.copy()
        if not keep_nulls:
            for name in self.optional:
                if texts[name] is None:
                    del texts[name]
        for name, render in self.rendered:
            value = texts.get(name)
            if value is not None:
                texts[name] = render(value)
        return texts
