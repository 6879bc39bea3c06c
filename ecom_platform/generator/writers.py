"""Landing file formatting: CSV and JSON Lines with every allowed variation.

A file is built record by record so each record's starting physical line is
known when it is written (the manifest points at lines, and quoted newlines
and blank lines shift them). Encoding, BOM and gzip happen once at the end;
gzip headers carry no timestamp so the bytes depend only on the seed.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from ecom_platform.generator.values import Texts
from ecom_platform.lib.entities import Entity

GZIP_LEVEL = 6
UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class FileStyle:
    """How one landing file is spelled; every choice here is valid per the contract."""

    format: str  # "csv" or "jsonl"
    columns: tuple[str, ...]  # data columns in file order (extra columns included)
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
    if rng.random() < 0.3:
        rng.shuffle(columns)
    columns.extend(extra_columns)
    odd_header = rng.random() < 0.3
    header = tuple(header_spelling(rng, name) if odd_header else name for name in columns)
    is_csv = entity.file_format == "csv"
    return FileStyle(
        format=entity.file_format,
        columns=tuple(columns),
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
    """A file being built; `add` returns the 1-based physical line where the record starts."""

    name: str
    style: FileStyle
    rng: random.Random
    records: int = 0
    next_line: int = 1
    chunks: list[str] = field(default_factory=list)

    @abstractmethod
    def add(self, texts: Texts) -> int:
        """Write one record from its column texts (a key left out of `texts` is absent)."""

    @abstractmethod
    def add_raw(self, line: str) -> int:
        """Write one record's raw text as is (how malformed records get in)."""

    def to_bytes(self) -> bytes:
        return encode_file("".join(self.chunks), self.style.bom, self.style.gzip)

    def _append(self, text: str) -> int:
        line = self.next_line
        self.chunks.append(text)
        self.next_line += text.count("\n")
        self.records += 1
        return line


class CsvFile(LandingFile):
    def __init__(self, name: str, style: FileStyle, rng: random.Random) -> None:
        super().__init__(name, style, rng)
        self.terminator = "\r\n" if style.crlf else "\n"
        self._writer = csv.writer(self, lineterminator=self.terminator)
        self._writer.writerow(style.header)
        self.next_line = 1 + self.chunks[-1].count("\n")

    def write(self, text: str) -> None:
        """The csv module's sink: it calls this once per row."""
        self.chunks.append(text)

    def fields(self, texts: Texts) -> list[str | None]:
        return [texts.get(name) for name in self.style.columns]

    def line_of(self, fields: list[str]) -> str:
        """One row in this file's quoting, without its line terminator."""
        self._writer.writerow(fields)
        return self.chunks.pop()[: -len(self.terminator)]

    def add(self, texts: Texts) -> int:
        self._maybe_blank_line()
        line = self.next_line
        self._writer.writerow(self.fields(texts))
        self.next_line += self.chunks[-1].count("\n")
        self.records += 1
        return line

    def add_raw(self, line: str) -> int:
        self._maybe_blank_line()
        return self._append(line + self.terminator)

    def _maybe_blank_line(self) -> None:
        if self.style.blank_line_share and self.rng.random() < self.style.blank_line_share:
            self.chunks.append(self.terminator)
            self.next_line += 1


class JsonlFile(LandingFile):
    def json_text(self, texts: Texts) -> str:
        obj = {name: texts[name] for name in self.style.columns if name in texts}
        separators = (",", ":") if self.style.compact_json else (", ", ": ")
        return json.dumps(obj, ensure_ascii=self.style.ascii_json, separators=separators)

    def add(self, texts: Texts) -> int:
        return self._append(self.json_text(texts) + "\n")

    def add_raw(self, line: str) -> int:
        return self._append(line + "\n")


def open_file(name: str, style: FileStyle, rng: random.Random) -> LandingFile:
    return CsvFile(name, style, rng) if style.format == "csv" else JsonlFile(name, style, rng)


def header_only_bytes(style: FileStyle) -> bytes:
    terminator = "\r\n" if style.crlf else "\n"
    return encode_file(",".join(style.header) + terminator, style.bom, style.gzip)
