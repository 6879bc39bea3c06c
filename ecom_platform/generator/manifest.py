"""What the generator delivered, and what the layers after it must make of it.

The manifest is the answer key for tests of bronze, silver and gold: for
every entity and `dt` it lists each file with its expected outcome, each
injected row defect with its file, line and exact contract reason code, each
injected duplicate, and the expected counts of the row balance
`rows_read = valid_rows + quarantined_rows + duplicates`.

It is written to `<out>/_manifest/generate-<seed>.json`: outside every
`<entity>/dt=*/` folder, so bronze never mistakes it for landing data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

from ecom_platform.lib.storage import join_uri, open_store

MANIFEST_FOLDER = "_manifest"
FORMAT_VERSION = 1


def manifest_uri(out: str, seed: int) -> str:
    return join_uri(out, MANIFEST_FOLDER, f"generate-{seed}.json")


class FileOutcome(StrEnum):
    """What bronze must do with the whole file (its ledger status)."""

    INGESTED = "ingested"
    EMPTY = "empty"
    QUARANTINED = "quarantined"
    DUPLICATE_CONTENT = "duplicate_content"


class FileDefect(StrEnum):
    MISSING_COLUMN = "missing_column"
    EXTRA_COLUMNS = "extra_columns"
    EMPTY_FILE = "empty_file"
    HEADER_ONLY = "header_only"
    UNREADABLE = "unreadable"
    DUPLICATE_CONTENT = "duplicate_content"
    LATE_FILE = "late_file"


@dataclass
class FileEntry:
    name: str  # file name inside `<entity>/dt=<dt>/`
    format: str  # "csv" or "jsonl"
    compression: str | None  # "gzip" or None
    records: int | None  # records in the file (malformed included); None when unreadable
    outcome: FileOutcome
    reason: str | None = None  # ledger reason: schema:missing_column:<c>, unreadable_file, ...
    defect: FileDefect | None = None
    extra_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)
    delivered_after: str | None = None  # late file: written after this later dt was delivered
    bom: bool = False
    crlf: bool = False

    @property
    def rows_read(self) -> int:
        """Records bronze reads from the file: files skipped or quarantined whole add none."""
        return (self.records or 0) if self.outcome is FileOutcome.INGESTED else 0


@dataclass
class RowDefect:
    file: str
    line: int  # 1-based physical line where the record starts (CSV header = line 1)
    reason: str  # the one contract reason code silver must give, e.g. invalid_type:order_ts
    defect: str  # how it was broken, e.g. impossible_date, short_row, absent_key
    column: str | None = None


@dataclass
class Duplicate:
    """A valid record repeated: same key and version as the record at `original_*`."""

    file: str
    line: int
    original_file: str
    original_line: int
    placement: str  # "same_file" or "other_file"


@dataclass
class PartitionManifest:
    entity: str
    dt: str
    files: list[FileEntry] = field(default_factory=list)
    row_defects: list[RowDefect] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)

    def expected(self) -> dict[str, Any]:
        rows_read = sum(entry.rows_read for entry in self.files)
        quarantined = len(self.row_defects)
        duplicates = len(self.duplicates)
        by_outcome = {outcome.value: 0 for outcome in FileOutcome}
        for entry in self.files:
            by_outcome[entry.outcome.value] += 1
        return {
            "rows_read": rows_read,
            "quarantined_rows": quarantined,
            "duplicates": duplicates,
            "valid_rows": rows_read - quarantined - duplicates,
            "files": by_outcome,
            "quarantined_files": {
                entry.name: entry.reason
                for entry in self.files
                if entry.outcome is FileOutcome.QUARANTINED
            },
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected(),
            "files": [flat_dict(entry) for entry in self.files],
            "row_defects": [flat_dict(defect) for defect in self.row_defects],
            "duplicates": [flat_dict(duplicate) for duplicate in self.duplicates],
        }

    @classmethod
    def from_dict(cls, entity: str, dt: str, data: dict[str, Any]) -> PartitionManifest:
        files = [
            FileEntry(
                **{
                    **entry,
                    "outcome": FileOutcome(entry["outcome"]),
                    "defect": entry["defect"] and FileDefect(entry["defect"]),
                }
            )
            for entry in data["files"]
        ]
        return cls(
            entity=entity,
            dt=dt,
            files=files,
            row_defects=[RowDefect(**defect) for defect in data["row_defects"]],
            duplicates=[Duplicate(**duplicate) for duplicate in data["duplicates"]],
        )


@dataclass
class Manifest:
    params: dict[str, Any]
    uri: str = ""
    partitions: dict[tuple[str, str], PartitionManifest] = field(default_factory=dict)

    def add(self, partition: PartitionManifest) -> None:
        self.partitions[(partition.entity, partition.dt)] = partition

    def partition(self, entity: str, dt: str) -> PartitionManifest:
        return self.partitions[(entity, dt)]

    def totals(self) -> dict[str, int]:
        totals = {"files": 0, "rows_read": 0, "quarantined_rows": 0, "duplicates": 0}
        for partition in self.partitions.values():
            expected = partition.expected()
            totals["files"] += len(partition.files)
            for key in ("rows_read", "quarantined_rows", "duplicates"):
                totals[key] += expected[key]
        totals["valid_rows"] = (
            totals["rows_read"] - totals["quarantined_rows"] - totals["duplicates"]
        )
        return totals

    def to_dict(self) -> dict[str, Any]:
        entities: dict[str, dict[str, Any]] = {}
        for (entity, dt), partition in self.partitions.items():
            entities.setdefault(entity, {})[dt] = partition.to_dict()
        return {
            "format_version": FORMAT_VERSION,
            "params": self.params,
            "totals": self.totals(),
            "entities": entities,
        }

    def to_json(self) -> bytes:
        return json_with_indent_one(self.to_dict())

    @classmethod
    def from_json(cls, data: bytes, uri: str = "") -> Manifest:
        raw = json.loads(data)
        manifest = cls(params=raw["params"], uri=uri)
        for entity, partitions in raw["entities"].items():
            for dt, partition in partitions.items():
                manifest.add(PartitionManifest.from_dict(entity, dt, partition))
        return manifest


def load_manifest(out: str, seed: int) -> Manifest:
    """The manifest a `generate` run with this seed wrote under `out` (local or s3://)."""
    uri = manifest_uri(out, seed)
    return Manifest.from_json(open_store(uri).read_bytes(uri), uri)


def flat_dict(entry: FileEntry | RowDefect | Duplicate) -> dict[str, Any]:
    """`dataclasses.asdict` for a dataclass of plain values, without its deep copies.

    Its instance dict holds exactly its fields, in their order; lists are copied.
    """
    return {name: list(v) if isinstance(v, list) else v for name, v in vars(entry).items()}


def json_with_indent_one(value: Any) -> bytes:
    """`json.dumps(value, indent=1, ensure_ascii=False)` as UTF-8, written by orjson.

    json.dumps indents in pure Python (seconds for a big manifest); orjson writes the
    same text, only indented by two spaces. A raw line break is never inside a JSON
    string, so each line's leading spaces are all indentation and are halved.
    """
    try:
        data = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:  # e.g. an int beyond 64 bits, which json.dumps writes
        return json.dumps(value, indent=1, ensure_ascii=False).encode("utf-8")
    lines = data.split(b"\n")
    return b"\n".join(line[(len(line) - len(line.lstrip(b" "))) // 2 :] for line in lines)
