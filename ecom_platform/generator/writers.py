"""Landing file formatting: CSV and JSON Lines with every allowed variation.

A file is built record by record as a list of text chunks, so the physical
line where any record starts can be told (the manifest points at lines, and
quoted newlines and blank lines shift them); lines are counted only when a
record's line is asked for, once per chunk. Encoding, BOM and gzip happen
once at the end; gzip headers carry no timestamp so the bytes depend only on
the seed.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from types import SimpleNamespace

import orjson

from ecom_platform.generator.values import Texts
from ecom_platform.lib.entities import Entity

GZIP_LEVEL = 6
UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class FileStyle:
    """How one landing file is spelled; every choice here is valid per the contract."""

    format: str  # "csv" or "jsonl"
    columns: tuple[str, ...]  # data columns in file order (extra columns included)
    shuffled: bool = False  # columns not in the spec's order (then extra columns)
    header: tuple[str, ...] = ()  # CSV header names as written: odd case, padded
    bom: bool = False
    crlf: bool = False
    blank_line_share: float = 0.0
    gzip: bool = False
    compact_json: bool = False
    ascii_json: bool = False
    absent_nulls: bool = False  # JSON: leave null optional values out instead of writing null
    extra_columns: tuple[str, ...] = ()
    dropped_optional: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        return f".{self.format}.gz" if self.gzip else f".{self.format}"

    @property
    def omits_nulls(self) -> bool:
        """Whether a null leaves its key out (CSV writes any null as an empty field)."""
        return self.absent_nulls and self.format == "jsonl"


def header_spelling(rng: random.Random, name: str) -> str:
    variant = rng.randrange(5)
    if variant == 0:
        return name.upper()
    if variant == 1:
        return name.title()
    if variant == 2:
        return f" {name} "
    if variant == 3:
        return f"{name.capitalize()}  "
    return name


def choose_style(
    rng: random.Random,
    entity: Entity,
    *,
    gzip_file: bool | None = None,
    extra_columns: tuple[str, ...] = (),
    drop_column: str | None = None,
) -> FileStyle:
    """A random but valid file style; `drop_column` leaves a column out of the file entirely."""
    dropped = optional_column_to_drop(rng, entity) if drop_column is None else drop_column
    columns = [name for name in entity.column_names if name != dropped]
    shuffled = rng.random() < 0.3
    if shuffled:
        rng.shuffle(columns)
    columns.extend(extra_columns)
    odd_header = rng.random() < 0.3
    header = tuple(header_spelling(rng, name) if odd_header else name for name in columns)
    is_csv = entity.file_format == "csv"
    return FileStyle(
        format=entity.file_format,
        columns=tuple(columns),
        shuffled=shuffled,
        header=header,
        bom=is_csv and rng.random() < 0.2,
        crlf=is_csv and rng.random() < 0.3,
        blank_line_share=0.01 if is_csv and rng.random() < 0.15 else 0.0,
        gzip=rng.random() < 0.2 if gzip_file is None else gzip_file,
        compact_json=rng.random() < 0.5,
        ascii_json=rng.random() < 0.3,
        absent_nulls=rng.random() < 0.5,
        extra_columns=extra_columns,
        dropped_optional=(dropped,) if dropped and not entity.column(dropped).required else (),
    )


def optional_column_to_drop(rng: random.Random, entity: Entity) -> str | None:
    """Now and then a CSV file lacks an optional column (valid: its values are null).

    Columns that take part in a rule stay, so no rule is silently switched off.
    """
    if entity.file_format != "csv" or rng.random() >= 0.05:
        return None
    ruled = {rule.column for rule in entity.cross_rules}
    ruled.update(operand for rule in entity.cross_rules for operand in rule.operands)
    ruled.update(rule.column for rule in entity.required_when)
    candidates = [c.name for c in entity.columns if not c.required and c.name not in ruled]
    return rng.choice(candidates) if candidates else None


def encode_file(text: str, bom: bool, compress: bool) -> bytes:
    data = ((UTF8_BOM if bom else "") + text).encode("utf-8")
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if compress else data


@dataclass
class LandingFile(ABC):
    """A file being built; `last_line` is the 1-based physical line where the last record starts."""

    name: str
    style: FileStyle
    rng: random.Random
    records: int = 0
    chunks: list[str] = field(default_factory=list)
    _last_start: int = 0  # index of the chunk the last record starts with
    _counted_chunks: int = 0  # chunks whose line breaks `_counted_lines` includes
    _counted_lines: int = 1  # the line where chunk `_counted_chunks` starts

    @abstractmethod
    def add(self, texts: Texts) -> None:
        """Write one record from its column texts (a key left out of `texts` is absent).

        The keys must come in the spec's column order, then the extra columns, as
        `PartitionWriter.texts_for` makes them; `in_file_order` puts any texts so.
        """

    @abstractmethod
    def add_raw(self, line: str) -> None:
        """Write one record's raw text as is (how malformed records get in)."""

    @property
    def last_line(self) -> int:
        return self._line_of_chunk(self._last_start)

    def in_file_order(self, texts: Texts) -> Texts:
        """The texts of this file's columns, keyed in the order they are written."""
        return {name: texts[name] for name in self.style.columns if name in texts}

    def to_bytes(self) -> bytes:
        return encode_file("".join(self.chunks), self.style.bom, self.style.gzip)

    def _line_of_chunk(self, index: int) -> int:
        """The line where chunk `index` starts; each chunk's line breaks are counted once."""
        if index > self._counted_chunks:
            counted = "".join(self.chunks[self._counted_chunks : index]).count("\n")
            self._counted_lines += counted
            self._counted_chunks = index
        return self._counted_lines

    def _append(self, text: str) -> None:
        self._last_start = len(self.chunks)
        self.chunks.append(text)
        self.records += 1


class CsvFile(LandingFile):
    def __init__(self, name: str, style: FileStyle, rng: random.Random) -> None:
        super().__init__(name, style, rng)
        self.terminator = "\r\n" if style.crlf else "\n"
        # The csv module writes each row with one call to its sink's `write`: the list's
        # own `append`, so no Python code runs per row.
        sink = SimpleNamespace(write=self.chunks.append)
        self._writer = csv.writer(sink, lineterminator=self.terminator)
        self._writer.writerow(style.header)
        self._blank_line_share = style.blank_line_share

    def fields(self, texts: Texts) -> list[str | None]:
        return list(map(texts.get, self.style.columns))

    def line_of(self, fields: list[str]) -> str:
        """One row in this file's quoting, without its line terminator."""
        self._writer.writerow(fields)
        return self.chunks.pop()[: -len(self.terminator)]

    def add(self, texts: Texts) -> None:
        self._maybe_blank_line()
        self._last_start = len(self.chunks)
        self._writer.writerow(map(texts.get, self.style.columns))
        self.records += 1

    def add_raw(self, line: str) -> None:
        self._maybe_blank_line()
        self._append(line + self.terminator)

    def _maybe_blank_line(self) -> None:
        share = self._blank_line_share
        if share and self.rng.random() < share:
            self.chunks.append(self.terminator)


class JsonlFile(LandingFile):
    def json_text(self, texts: Texts) -> str:
        # JSON Lines files keep every spec column, so texts in spec order are in file
        # order unless the columns were shuffled.
        obj = self.in_file_order(texts) if self.style.shuffled else texts
        return json_object_text(obj, self.style.compact_json, self.style.ascii_json)

    def add(self, texts: Texts) -> None:
        self._append(self.json_text(texts) + "\n")

    def add_raw(self, line: str) -> None:
        self._append(line + "\n")


def json_object_text(obj: dict[str, str | None], compact: bool, ascii_only: bool) -> str:
    """`json.dumps(obj, ensure_ascii=ascii_only, separators=...)` for a flat object of texts.

    orjson writes it about ten times faster, in the very same spelling: its strings are
    escaped as json.dumps escapes them without ensure_ascii (tests check every code
    point). Its indented form gives the spaced one, as a raw line break is never inside
    a JSON string: each one there ends an item. With ensure_ascii the spellings agree
    only for ASCII text without DEL, so json.dumps writes any other.
    """
    try:
        data = orjson.dumps(obj) if compact else orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # e.g. a lone surrogate, which json.dumps writes escaped
        data = None
    if data is None or (ascii_only and (not data.isascii() or b"\x7f" in data)):
        separators = (",", ":") if compact else (", ", ": ")
        return json.dumps(obj, ensure_ascii=ascii_only, separators=separators)
    text = data.decode()
    if compact:
        return text
    # {\n  "a": "x",\n  "b": null\n}  ->  {"a": "x", "b": null}
    return "{" + text[4:-2].replace(",\n  ", ", ") + "}"


def open_file(name: str, style: FileStyle, rng: random.Random) -> LandingFile:
    return CsvFile(name, style, rng) if style.format == "csv" else JsonlFile(name, style, rng)


def header_only_bytes(style: FileStyle) -> bytes:
    terminator = "\r\n" if style.crlf else "\n"
    return encode_file(",".join(style.header) + terminator, style.bom, style.gzip)
