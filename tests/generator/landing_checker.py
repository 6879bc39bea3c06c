"""An independent reading of CONTRACT.md sections 1 and 3, to hold the generator to account.

Written from the contract text, not from the generator's code: it decodes
landing files, finds records and their starting lines, validates each value
against the entity spec and reports the reason codes silver must give. The
generator's manifest must agree with it record for record.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ecom_platform.lib.entities import Column, ColumnType, Entity, Normalize

TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?"
)
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DECIMAL = re.compile(r"-?\d+(\.\d{1,2})?")
INTEGER = re.compile(r"-?\d+")
BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


class UnreadableError(ValueError):
    pass


def parse_timestamp(text: str) -> datetime:
    match = TIMESTAMP.fullmatch(text)
    if not match:
        raise ValueError(text)
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    value = datetime(year, month, day, hour, minute, second, micro)
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        value -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return value


def parse_value(column_type: ColumnType, text: str) -> Any:
    """The typed value, or ValueError when the text is not of the type (invalid_type)."""
    if column_type is ColumnType.TIMESTAMP:
        return parse_timestamp(text)
    if column_type is ColumnType.DATE:
        if not DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    if column_type is ColumnType.DECIMAL:
        if not DECIMAL.fullmatch(text):
            raise ValueError(text)
        return Decimal(text)
    if column_type is ColumnType.INT:
        if not INTEGER.fullmatch(text):
            raise ValueError(text)
        return int(text)
    if column_type is ColumnType.BOOL:
        return BOOLEANS[text.lower()]
    return text


def decode(name: str, data: bytes) -> str:
    try:
        raw = gzip.decompress(data) if name.endswith(".gz") else data
        text = raw.decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise UnreadableError(str(exc)) from None
    return text.removeprefix("\ufeff")


@dataclass
class LandingRecord:
    line: int
    values: dict[str, str | None] | None  # None: malformed


@dataclass
class LandingFileContent:
    header: list[str] | None  # lower-cased, trimmed; None for JSON Lines
    records: list[LandingRecord]


def read_csv(text: str) -> LandingFileContent:
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records = []
    consumed = 0
    for row in reader:
        start, consumed = consumed + 1, reader.line_num
        if not row:
            continue
        if header is None:
            header = [name.strip().lower() for name in row]
            continue
        values = dict(zip(header, row, strict=True)) if len(row) == len(header) else None
        records.append(LandingRecord(start, values))
    return LandingFileContent(header, records)


def json_text_value(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def read_jsonl(text: str) -> LandingFileContent:
    records = []
    for index, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        values = (
            {k.strip().lower(): json_text_value(v) for k, v in obj.items()}
            if isinstance(obj, dict)
            else None
        )
        records.append(LandingRecord(index, values))
    return LandingFileContent(None, records)


def read_landing_file(entity: Entity, name: str, data: bytes) -> LandingFileContent:
    text = decode(name, data)
    return read_jsonl(text) if entity.file_format == "jsonl" else read_csv(text)


def cleaned(text: str | None) -> str | None:
    return None if text is None or not text.strip() else text.strip()


def is_required(entity: Entity, column: Column, texts: dict[str, str | None]) -> bool:
    if column.required:
        return True
    for rule in entity.required_when:
        when = cleaned(texts.get(rule.when_column))
        if rule.column == column.name and when is not None and when.lower() in rule.values:
            return True
    return False


def column_codes(
    entity: Entity, column: Column, texts: dict[str, str | None]
) -> tuple[list[str], Any]:
    text = cleaned(texts.get(column.name))
    if text is None:
        missing = is_required(entity, column, texts)
        return ([f"missing_required:{column.name}"] if missing else []), None
    try:
        value = parse_value(column.type, text)
    except (ValueError, KeyError):
        return [f"invalid_type:{column.name}"], None
    bad = (
        (column.enum is not None and value.lower() not in column.enum)
        or (column.allowed is not None and value.upper() not in column.allowed)
        or (column.min_value is not None and value < column.min_value)
    )
    return ([f"invalid_value:{column.name}"] if bad else []), (
        None if bad else normal(column, value)
    )


def normal(column: Column, value: Any) -> Any:
    """How silver stores a valid value: enums and emails lower-case, country codes upper."""
    if column.normalize is Normalize.UPPER:
        return value.upper()
    if column.normalize is Normalize.LOWER or column.enum is not None:
        return value.lower()
    return value


def record_codes(entity: Entity, texts: dict[str, str | None] | None) -> tuple[list[str], dict]:
    """Reason codes for one record (empty: valid) and its typed values."""
    if texts is None:
        return ["malformed_record"], {}
    codes: list[str] = []
    values: dict[str, Any] = {}
    for column in entity.columns:
        column_errors, value = column_codes(entity, column, texts)
        codes += column_errors
        values[column.name] = value
    for rule in entity.cross_rules:
        operands = [values[name] for name in rule.operands]
        target = values[rule.column]
        if target is None or any(v is None for v in operands):
            continue
        bound = operands[0]
        for operand in operands[1:]:
            bound *= operand
        holds = target <= bound if rule.op == "<=" else target >= bound
        if not holds:
            codes.append(f"invalid_value:{rule.column}")
    return codes, values


@dataclass
class PartitionCheck:
    outcomes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    defects: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    duplicates: set[tuple[str, int]] = field(default_factory=set)
    valid: list[tuple[str, int, dict[str, Any]]] = field(default_factory=list)
    rows_read: int = 0


def file_outcome(
    entity: Entity, name: str, data: bytes, seen: dict[bytes, str]
) -> tuple[str, str | None, LandingFileContent | None]:
    try:
        content = read_landing_file(entity, name, data)
    except UnreadableError:
        content = None
    if data in seen:
        return "duplicate_content", f"duplicate_of:{seen[data]}", content
    seen[data] = name
    if content is None:
        return "quarantined", "unreadable_file", None
    if content.header is not None:
        for column in entity.required_columns:
            if column not in content.header:
                return "quarantined", f"schema:missing_column:{column}", content
    if not content.records:
        return "empty", None, content
    return "ingested", None, content


def check_partition(entity: Entity, files: dict[str, bytes]) -> PartitionCheck:
    """What silver must make of one entity's `dt=` folder, file by file, record by record."""
    check = PartitionCheck()
    seen: dict[bytes, str] = {}
    keys: set[tuple] = set()
    for name in sorted(files):
        outcome, reason, content = file_outcome(entity, name, files[name], seen)
        check.outcomes[name] = (outcome, reason)
        check.records[name] = len(content.records) if content else 0
        if outcome != "ingested":
            continue
        check.rows_read += len(content.records)
        for record in content.records:
            codes, values = record_codes(entity, record.values)
            if codes:
                check.defects[(name, record.line)] = codes
                continue
            key = tuple(values[column] for column in entity.dedupe_key)
            if key in keys:
                check.duplicates.add((name, record.line))
            keys.add(key)
            check.valid.append((name, record.line, values))
    return check
