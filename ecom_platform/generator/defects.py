"""Row defects: one broken thing per record, with the exact reason code the contract expects.

What can break in a record is derived from the entity spec (required
columns, types, enums, allowed sets, minimums, cross-column rules), so the
nine entities need no code of their own. Each defect touches one rule only:
a record with a cross-column violation keeps every value valid, and an
out-of-range operand is paired with a repaired dependent value so it cannot
also break a cross-column rule.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from ecom_platform.generator.values import Texts, canonical_timestamp
from ecom_platform.lib.entities import Column, ColumnType, CrossColumnRule, Entity, get_entity

MALFORMED_RECORD = "malformed_record"


class DefectKind(StrEnum):
    MALFORMED = "malformed"
    MISSING_REQUIRED = "missing_required"
    INVALID_TYPE = "invalid_type"
    INVALID_VALUE = "invalid_value"
    CROSS_COLUMN = "cross_column"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class DefectChoice:
    kind: DefectKind
    variant: str
    column: str | None = None

    @property
    def reason(self) -> str | None:
        """The contract reason code silver must give the record (None: a valid duplicate)."""
        if self.kind is DefectKind.MALFORMED:
            return MALFORMED_RECORD
        if self.kind is DefectKind.MISSING_REQUIRED:
            return f"missing_required:{self.column}"
        if self.kind is DefectKind.INVALID_TYPE:
            return f"invalid_type:{self.column}"
        if self.kind in (DefectKind.INVALID_VALUE, DefectKind.CROSS_COLUMN):
            return f"invalid_value:{self.column}"
        return None


MALFORMED_VARIANTS = {
    "csv": ("short_row", "long_row", "broken_quoting"),
    "jsonl": ("invalid_json", "not_an_object"),
}
MISSING_VARIANTS = {"csv": ("empty", "whitespace"), "jsonl": ("null", "empty_string", "absent_key")}
TYPE_VARIANTS: dict[ColumnType, tuple[str, ...]] = {
    ColumnType.TIMESTAMP: ("impossible_date", "hour_25", "slash_date"),
    ColumnType.DATE: ("impossible_date", "slash_date"),
    ColumnType.DECIMAL: ("decimal_comma", "thousands_separator", "word"),
    ColumnType.INT: ("word", "fraction"),
    ColumnType.BOOL: ("maybe",),
}
UNKNOWN_ENUM_VALUES = ("unknown", "other", "legacy", "tbd", "pending_review")
UNKNOWN_CODES = ("XX", "UK", "ZZ", "EU", "QQ")
BROKEN_FIELD = "\x1fbroken\x1f"  # placeholder swapped for the badly quoted field


def is_required(entity: Entity, column: Column, record: dict[str, Any]) -> bool:
    if column.required:
        return True
    return any(
        rule.column == column.name and record.get(rule.when_column) in rule.values
        for rule in entity.required_when
    )


def out_of_range(column: Column, value: Any, rng: random.Random) -> int | Decimal:
    """A number that parses but lies below the column's minimum (negative when min is 0)."""
    if column.min_value == 0 and not value:
        return below_minimum(column, empty_stand_in(column, rng))
    return below_minimum(column, value)


def below_minimum(column: Column, value: Any) -> int | Decimal:
    """Just below a non-zero minimum, or the negated value (which must not be empty)."""
    minimum = column.min_value
    if minimum != 0:
        step = 1 if column.type is ColumnType.INT else Decimal("0.01")
        return minimum - step
    return -value


def empty_stand_in(column: Column, rng: random.Random) -> int | Decimal:
    """A positive amount to negate when the value is empty (None or zero)."""
    if column.type is ColumnType.INT:
        return rng.randint(1, 50)
    return Decimal(rng.randint(1, 5_000)).scaleb(-2)


@cache
def probe_stand_in(column: Column) -> int | Decimal:
    """`empty_stand_in` from a fresh `random.Random(0)`: always the same, so drawn once."""
    return empty_stand_in(column, random.Random(0))


def invalid_value_variant(column: Column) -> str | None:
    if column.enum is not None:
        return "unknown_enum"
    if column.allowed is not None:
        return "unknown_code"
    if column.min_value is not None:
        return "negative" if column.min_value == 0 else "below_minimum"
    return None


def rule_bound(rule: CrossColumnRule, values: dict[str, Any]) -> Any:
    """The right-hand side of a rule: one operand as is, several multiplied."""
    first, *others = (values[name] for name in rule.operands)
    return math.prod(others, start=first) if others else first


def rule_holds(op: str, value: Any, bound: Any) -> bool:
    return value <= bound if op == "<=" else value >= bound


def cross_repairs(
    entity: Entity, record: dict[str, Any], column: str, new_value: Any
) -> dict[str, Any] | None:
    """Values that keep every cross-column rule true once `column` holds `new_value`.

    None when no valid repair exists (a negative price makes any discount too big).
    """
    values = {**record, column: new_value}
    repairs: dict[str, Any] = {}
    for rule in entity.cross_rules:
        if column not in rule.operands or values.get(rule.column) is None:
            continue
        bound = rule_bound(rule, values)
        if rule_holds(rule.op, values[rule.column], bound):
            continue
        minimum = entity.column(rule.column).min_value
        if minimum is not None and bound < minimum:
            return None
        repairs[rule.column] = bound
    return repairs


def defect_options(
    entity: Entity, record: dict[str, Any], file_columns: tuple[str, ...], can_move: bool
) -> list[DefectChoice]:
    """Every single defect this record can carry in a file with these columns."""
    malformed, columns, rules_and_duplicates = file_options(entity.name, file_columns, can_move)
    options = list(malformed)
    for column, missing, types, invalid in columns:
        if record[column.name] is not None and is_required(entity, column, record):
            options += missing
        options += types
        if invalid is not None and invalid_value_fits(entity, column, record):
            options.append(invalid)
    options += rules_and_duplicates
    return options


ColumnOptions = tuple[
    Column, tuple[DefectChoice, ...], tuple[DefectChoice, ...], DefectChoice | None
]


@cache
def file_options(
    entity_name: str, file_columns: tuple[str, ...], can_move: bool
) -> tuple[tuple[DefectChoice, ...], tuple[ColumnOptions, ...], tuple[DefectChoice, ...]]:
    """What `defect_options` offers whatever the record, built once per file layout.

    Malformed variants; then per column in the file (spec order) the missing-value
    variants (offered when the record has a value that is required), the type variants
    and the invalid-value variant (offered when it fits); then the cross-column rules
    and the duplicates.
    """
    entity = get_entity(entity_name)
    fmt = entity.file_format
    malformed = tuple(DefectChoice(DefectKind.MALFORMED, v) for v in MALFORMED_VARIANTS[fmt])
    columns = []
    for column in entity.columns:
        name = column.name
        if name not in file_columns:
            continue
        missing = tuple(
            DefectChoice(DefectKind.MISSING_REQUIRED, v, name) for v in MISSING_VARIANTS[fmt]
        )
        types = tuple(
            DefectChoice(DefectKind.INVALID_TYPE, v, name)
            for v in TYPE_VARIANTS.get(column.type, ())
        )
        variant = invalid_value_variant(column)
        invalid = DefectChoice(DefectKind.INVALID_VALUE, variant, name) if variant else None
        columns.append((column, missing, types, invalid))
    tail = [
        DefectChoice(DefectKind.CROSS_COLUMN, "cross_rule", rule.column)
        for rule in entity.cross_rules
        if {rule.column, *rule.operands} <= set(file_columns)
    ]
    tail.append(DefectChoice(DefectKind.DUPLICATE, "same_file"))
    if can_move:
        tail.append(DefectChoice(DefectKind.DUPLICATE, "other_file"))
    return malformed, tuple(columns), tuple(tail)


def invalid_value_fits(entity: Entity, column: Column, record: dict[str, Any]) -> bool:
    """An out-of-range number must not also break a cross-column rule that cannot be repaired.

    The probe is the number `out_of_range` gives with a fresh `random.Random(0)`.
    """
    if column.min_value is None or column.enum is not None or column.allowed is not None:
        return True
    value = record[column.name]
    if column.min_value == 0 and not value:
        probe = below_minimum(column, probe_stand_in(column))
    else:
        probe = below_minimum(column, value)
    return cross_repairs(entity, record, column.name, probe) is not None


def canonical_text(column_type: ColumnType, value: Any) -> str:
    if column_type is ColumnType.TIMESTAMP:
        return canonical_timestamp(value)
    if column_type is ColumnType.DATE:
        return value.isoformat()
    if column_type is ColumnType.DECIMAL:
        return f"{value:.2f}"
    return str(value)


def invalid_type_text(
    variant: str, column: Column, value: Any, rng: random.Random, day: date
) -> str:
    """Text that does not parse as the column's type, in one of the contract's named ways."""
    with_time = column.type is ColumnType.TIMESTAMP
    time_part = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    if variant == "impossible_date":
        bad = rng.choice((f"{day.year}-02-30", f"{day.year}-04-31", f"{day.year}-13-05"))
        return f"{bad}T{time_part}" if with_time else bad
    if variant == "hour_25":
        return f"{day.isoformat()}T25:{rng.randint(0, 59):02d}:00"
    if variant == "slash_date":
        slashed = f"{day.year}/{day.month:02d}/{day.day:02d}"
        return f"{slashed} {time_part}" if with_time else slashed
    if variant == "decimal_comma":
        amount = value if value is not None else Decimal(rng.randint(100, 9_999)).scaleb(-2)
        return f"{amount:.2f}".replace(".", ",")
    if variant == "thousands_separator":
        return f"{rng.randint(1_000, 99_999):,}.{rng.randint(0, 99):02d}"
    if variant == "word":
        return rng.choice(("two", "three", "ten", "twelve"))
    if variant == "fraction":
        return f"{value if value is not None else rng.randint(1, 20)}.5"
    if variant == "maybe":
        return rng.choice(("maybe", "Maybe", "unknown"))
    raise ValueError(f"unknown invalid_type variant {variant!r}")


def invalid_value_texts(
    entity: Entity, column: Column, record: dict[str, Any], rng: random.Random
) -> Texts:
    """The out-of-domain text for `column`, plus any repair that keeps the other rules true."""
    if column.enum is not None:
        return {column.name: rng.choice([v for v in UNKNOWN_ENUM_VALUES if v not in column.enum])}
    if column.allowed is not None:
        return {column.name: rng.choice([c for c in UNKNOWN_CODES if c not in column.allowed])}
    new_value = out_of_range(column, record[column.name], rng)
    repairs = cross_repairs(entity, record, column.name, new_value) or {}
    texts = {column.name: canonical_text(column.type, new_value)}
    texts.update({name: canonical_text(entity.column(name).type, v) for name, v in repairs.items()})
    return texts


def operand_fallback(entity: Entity, record: dict[str, Any], operand: str, day: date) -> Any:
    """A valid value for an empty operand, so a cross-column rule can be broken at all."""
    if entity.column(operand).type is ColumnType.TIMESTAMP:
        return record.get("updated_at") or datetime(day.year, day.month, day.day, 12)
    return day


def cross_violation_texts(
    entity: Entity, target: str, record: dict[str, Any], rng: random.Random, day: date
) -> Texts:
    """Valid values that break exactly one cross-column rule (the one on `target`)."""
    rule = next(r for r in entity.cross_rules if r.column == target)
    values = dict(record)
    texts: Texts = {}
    for operand in rule.operands:
        if values[operand] is None:
            values[operand] = operand_fallback(entity, record, operand, day)
            texts[operand] = canonical_text(entity.column(operand).type, values[operand])
    bound = rule_bound(rule, values)
    target_type = entity.column(target).type
    if rule.op == "<=":
        step = 1 if target_type is ColumnType.INT else Decimal(rng.randint(1, 5_000)).scaleb(-2)
        violating = bound + step
    elif target_type is ColumnType.DATE:
        violating = bound - timedelta(days=rng.randint(1, 30))
    else:
        violating = bound - timedelta(minutes=rng.randint(1, 72 * 60))
    texts[target] = canonical_text(target_type, violating)
    return texts


def missing_texts(texts: Texts, column: str, variant: str) -> Texts:
    changed = dict(texts)
    if variant == "absent_key":
        changed.pop(column, None)
    elif variant == "null":
        changed[column] = None
    elif variant == "whitespace":
        changed[column] = "   "
    else:
        changed[column] = ""
    return changed


def apply_value_defect(
    choice: DefectChoice,
    entity: Entity,
    record: dict[str, Any],
    texts: Texts,
    rng: random.Random,
    day: date,
) -> Texts:
    """The record's texts with the one defect described by `choice` (not malformed)."""
    assert choice.column is not None
    column = entity.column(choice.column)
    if choice.kind is DefectKind.MISSING_REQUIRED:
        return missing_texts(texts, choice.column, choice.variant)
    changed = dict(texts)
    if choice.kind is DefectKind.INVALID_TYPE:
        changed[choice.column] = invalid_type_text(
            choice.variant, column, record[choice.column], rng, day
        )
    elif choice.kind is DefectKind.INVALID_VALUE:
        changed.update(invalid_value_texts(entity, column, record, rng))
    else:
        changed.update(cross_violation_texts(entity, choice.column, record, rng, day))
    return changed


def malformed_csv_line(
    variant: str,
    fields: list[str | None],
    line_of: Callable[[list[str]], str],
    rng: random.Random,
) -> str:
    """A single physical line that no CSV reader can take as a record of this file."""
    flat = [(value or "").replace("\n", " ").replace("\r", " ") for value in fields]
    if variant == "short_row":
        return line_of(flat[:-1])
    if variant == "long_row":
        return line_of([*flat, flat[-1] or "x"])
    index = rng.randrange(len(flat) - 1)
    clean = flat[index].replace('"', "").replace(",", " ") or "x"
    flat[index] = BROKEN_FIELD
    # Text after a closing quote, then one comma too many: an error for a strict reader,
    # one field too many for a lenient one.
    return line_of(flat).replace(BROKEN_FIELD, f'"{clean}"x,{clean}')


def malformed_json_line(variant: str, json_text: str, texts: Texts) -> str:
    if variant == "not_an_object":
        return json.dumps([value for value in texts.values() if value is not None])
    return json_text[: max(1, len(json_text) * 2 // 3)]
