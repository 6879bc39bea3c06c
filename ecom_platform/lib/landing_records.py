"""Landing text into columnar record batches: CSV (RFC 4180) and JSON Lines.

Every record read becomes a row, malformed ones included (data columns null,
raw text kept), so silver can quarantine them as `malformed_record` and the
row balance `read = silver + quarantined + duplicates` holds. Records come in
batches so a large file never holds more than one batch of Python strings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

import pyarrow as pa

from ecom_platform.lib.lake import LINEAGE_COLUMNS

BATCH_RECORDS = 100_000


@dataclass(frozen=True)
class RecordBatch:
    columns: dict[str, pa.Array]  # lower-cased trimmed name -> raw values (Arrow strings)
    line_numbers: list[int]  # 1-based physical line where each record starts
    raw_records: list[str]
    malformed: list[bool]

    def __len__(self) -> int:
        return len(self.line_numbers)


@dataclass(frozen=True)
class CsvHeader:
    width: int  # field count every record must have
    columns: tuple[tuple[int, str], ...]  # (field index, column name) of the columns kept
    next_line: int  # 0-based index of the first line after the header

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for _, name in self.columns)


class MalformedHeaderError(ValueError):
    """The header row itself cannot be parsed, so no record in the file can be read."""


def split_physical_lines(text: str) -> list[str]:
    """Split on LF only, dropping a CR before it.

    `str.splitlines` would also split on form feeds and Unicode separators,
    which would shift line numbers away from what an editor shows.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if "\r" in text:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines


def is_blank(line: str) -> bool:
    return not line or line.isspace()


def normalize_name(name: str) -> str:
    return name.strip().lower()


def read_quoted_record(lines: list[str], start: int, width: int | None) -> tuple[list[str], int]:
    """Parse the record starting at `lines[start]`; return its fields and the lines it spans.

    An open quote may legitimately carry a value over several lines. When the
    result is not a valid record, only the first line is blamed (ValueError),
    so one broken quote cannot swallow the records after it.
    """
    reader = csv.reader((lines[i] + "\n" for i in range(start, len(lines))), strict=True)
    try:
        fields = next(reader)
    except (csv.Error, StopIteration) as exc:
        raise ValueError(f"line {start + 1}: {exc}") from None
    if width is not None and len(fields) != width:
        raise ValueError(f"line {start + 1}: {len(fields)} fields, expected {width}")
    return fields, reader.line_num


def read_csv_header(lines: list[str]) -> CsvHeader | None:
    """The header row (first non-blank line), or None when the file has no lines at all.

    Columns with an empty name, a repeated name or a lineage column's name are
    not kept (their fields still count towards the record width).
    """
    start = next((i for i, line in enumerate(lines) if not is_blank(line)), None)
    if start is None:
        return None
    try:
        fields, used = read_quoted_record(lines, start, None)
    except ValueError as exc:
        raise MalformedHeaderError(f"has a header row that cannot be parsed ({exc})") from None
    kept: dict[str, int] = {}
    for index, field in enumerate(fields):
        name = normalize_name(field)
        if name and name not in kept and name not in LINEAGE_COLUMNS:
            kept[name] = index
    columns = tuple((index, name) for name, index in kept.items())
    return CsvHeader(width=len(fields), columns=columns, next_line=start + used)


def csv_batches(
    lines: list[str], header: CsvHeader, batch_records: int = BATCH_RECORDS
) -> Iterator[RecordBatch]:
    """Records after the header; lines without quotes take a fast `str.split` path."""
    width = header.width
    null_row = (None,) * width
    rows: list[Sequence[str | None]] = []
    line_numbers: list[int] = []
    raw_records: list[str] = []
    malformed: list[bool] = []
    i, end = header.next_line, len(lines)
    while i < end:
        line = lines[i]
        if is_blank(line):
            i += 1
            continue
        used = 1
        if '"' in line:
            try:
                fields, used = read_quoted_record(lines, i, width)
            except ValueError:
                fields = None
        else:
            fields = line.split(",")
            if len(fields) != width:
                fields = None
        line_numbers.append(i + 1)
        raw_records.append(line if used == 1 else "\n".join(lines[i : i + used]))
        malformed.append(fields is None)
        rows.append(null_row if fields is None else fields)
        i += used
        if len(rows) >= batch_records:
            yield csv_batch(header, rows, line_numbers, raw_records, malformed)
            rows, line_numbers, raw_records, malformed = [], [], [], []
    if rows:
        yield csv_batch(header, rows, line_numbers, raw_records, malformed)


def csv_batch(
    header: CsvHeader,
    rows: list[Sequence[str | None]],
    line_numbers: list[int],
    raw_records: list[str],
    malformed: list[bool],
) -> RecordBatch:
    by_index = list(zip(*rows, strict=True))
    columns = {name: pa.array(by_index[index], pa.string()) for index, name in header.columns}
    return RecordBatch(columns, line_numbers, raw_records, malformed)


def reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


# Numbers stay as their JSON text (`1.50` stays `1.50`), as docs/architecture.md requires.
JSON_TEXT_DECODER = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=reject_constant)


def decode_json_line(line: str) -> object:
    """The line's JSON value, raising ValueError when it is not exactly one JSON value.

    Calls the decoder's C scanner directly (about a third faster than `decode`,
    which adds two regex matches per line); `decode` handles leading blanks.
    """
    try:
        value, end = JSON_TEXT_DECODER.scan_once(line, 0)
    except StopIteration:
        return JSON_TEXT_DECODER.decode(line)
    if end != len(line) and not line[end:].isspace():
        raise ValueError(f"extra data after the JSON value at column {end + 1}")
    return value


def json_object(line: str) -> dict | None:
    """The line's JSON object, or None when the line is not valid JSON or not an object.

    A `\\uD800`-style escape can decode to a lone surrogate, which is not
    UTF-8 and could not be written to Parquet: such a line is malformed too.
    """
    try:
        value = decode_json_line(line)
        if "\\ud" in line or "\\uD" in line:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def nested_json_text(line: str, key: str) -> str:
    """A nested value's JSON text; re-parsed plainly because numbers were decoded as text."""
    return json.dumps(json.loads(line)[key], ensure_ascii=False, separators=(",", ":"))


def may_hold_non_text(line: str) -> bool:
    """Whether the line could hold a boolean or a nested value (plain substring tests, C speed)."""
    return "true" in line or "false" in line or "[" in line or line.count("{") > 1


class JsonRecordReader:
    """Turns decoded objects into records: keys lower-cased and trimmed, values as strings.

    Most lines repeat the same clean keys with only text and null values; those
    objects are used as they are, which keeps a million-line file fast.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.clean_key_sets: set[tuple[str, ...]] = set()

    def record(self, obj: dict, line: str) -> dict[str, str | None]:
        keys = tuple(obj)
        if keys in self.clean_key_sets and not may_hold_non_text(line):
            return obj
        record: dict[str, str | None] = {}
        for key, value in obj.items():
            name = self.name(key)
            if not name or name in LINEAGE_COLUMNS:
                continue
            if value is None or value.__class__ is str:
                record[name] = value
            elif value is True or value is False:
                record[name] = "true" if value else "false"
            else:
                record[name] = nested_json_text(line, key)
        if keys == tuple(record):
            self.clean_key_sets.add(keys)
        return record

    def name(self, key: str) -> str:
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = normalize_name(key)
        return name


def jsonl_batches(text: str, batch_records: int = BATCH_RECORDS) -> Iterator[RecordBatch]:
    """One record per non-blank line; an absent key is a null value in that record."""
    reader = JsonRecordReader()
    records: list[dict[str, str | None]] = []
    line_numbers: list[int] = []
    raw_records: list[str] = []
    malformed: list[bool] = []
    for index, line in enumerate(split_physical_lines(text)):
        if is_blank(line):
            continue
        obj = json_object(line)
        line_numbers.append(index + 1)
        raw_records.append(line)
        malformed.append(obj is None)
        records.append({} if obj is None else reader.record(obj, line))
        if len(records) >= batch_records:
            yield jsonl_batch(records, line_numbers, raw_records, malformed)
            records, line_numbers, raw_records, malformed = [], [], [], []
    if records:
        yield jsonl_batch(records, line_numbers, raw_records, malformed)


def jsonl_batch(
    records: list[dict[str, str | None]],
    line_numbers: list[int],
    raw_records: list[str],
    malformed: list[bool],
) -> RecordBatch:
    # Arrow converts dicts to a struct in C++, nulls for absent keys: far faster than
    # one Python list per column.
    names = dict.fromkeys(chain.from_iterable(set(map(tuple, records))))
    struct_type = pa.struct([(name, pa.string()) for name in names])
    columns = dict(zip(names, pa.array(records, struct_type).flatten(), strict=True))
    return RecordBatch(columns, line_numbers, raw_records, malformed)
