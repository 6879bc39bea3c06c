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


def timestamp_renderer(rng: random.Random) -> Renderer:
    draw = rng.random  # one float per choice: this runs for millions of values
    zones, zone_count = ZONE_SHIFTS, len(ZONE_SHIFTS)
    whole, whole_count = WHOLE_SECOND_FRACTIONS, len(WHOLE_SECOND_FRACTIONS)

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
        if zone is None:
            return f"{value.isoformat(separator, 'seconds')}{fraction}"
        shift, suffix = zone
        return f"{(value + shift).isoformat(separator, 'seconds')}{fraction}{suffix}"

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


def entity_renderers(rng: random.Random, entity: Entity) -> dict[str, Renderer]:
    return {column.name: column_renderer(rng, column) for column in entity.columns}


def render_record(
    renderers: dict[str, Renderer], record: dict[str, Any], keep_nulls: bool = True
) -> Texts:
    """The record's values as text; None stays None (written as an empty field or JSON null).

    Without `keep_nulls` a None value leaves its column out (a JSON key left absent).
    """
    if keep_nulls:
        return {
            name: None if (value := record[name]) is None else render(value)
            for name, render in renderers.items()
        }
    return {
        name: render(value)
        for name, render in renderers.items()
        if (value := record[name]) is not None
    }
