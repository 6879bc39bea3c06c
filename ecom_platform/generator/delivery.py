"""One entity's day as landing files: regular files, injected defects, and its manifest.

Records stream through: a regular file is written and dropped as soon as it
is full, so a day of a million web events never sits in memory at once.
Special files (schema-broken, late) are cut from the start of the stream and
carry clean records only, so every expected outcome has exactly one cause.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from ecom_platform.generator.coverage import Coverage
from ecom_platform.generator.defects import (
    DefectChoice,
    DefectKind,
    apply_value_defect,
    defect_options,
    malformed_csv_line,
    malformed_json_line,
)
from ecom_platform.generator.file_defects import (
    PartitionPlan,
    extra_column_value,
    unreadable_bytes,
)
from ecom_platform.generator.finisher import FileFinisher
from ecom_platform.generator.manifest import (
    Duplicate,
    FileDefect,
    FileEntry,
    FileOutcome,
    PartitionManifest,
    RowDefect,
)
from ecom_platform.generator.model import Batch
from ecom_platform.generator.values import RecordRenderer, Texts
from ecom_platform.generator.writers import (
    CsvFile,
    JsonlFile,
    LandingFile,
    choose_style,
    header_only_bytes,
    open_file,
)
from ecom_platform.lib.entities import Entity
from ecom_platform.lib.lake import landing_partition_uri
from ecom_platform.lib.storage import Store, join_uri

MAX_RECORDS_PER_FILE = 100_000
SLICE_SHARE = 0.03  # share of the day's records cut into a schema-broken or late file
MAX_SLICE = 500


@dataclass
class LateFile:
    """A file for an earlier `dt=` folder, held back until a later day has been written."""

    after_day: int
    uri: str
    data: bytes


@dataclass
class PendingCopy:
    texts: Texts
    file: str
    line: int
    other_file: bool


@dataclass
class PartitionWriter:
    entity: Entity
    day: date
    out: str
    store: Store
    rng: random.Random
    defect_rate: float
    coverage: Coverage
    plan: PartitionPlan
    delivery_dates: list[date]
    late_files: list[LateFile]
    manifest: PartitionManifest = field(init=False)
    _serial: int = 0
    _content_repeated: bool = False
    _copies: list[PendingCopy] = field(default_factory=list)
    _finisher: FileFinisher = field(init=False)

    def __post_init__(self) -> None:
        self.manifest = PartitionManifest(self.entity.name, self.day.isoformat())
        self.renderer = RecordRenderer(self.rng, self.entity)
        self.folder = landing_partition_uri(self.out, self.entity.name, self.day.isoformat())

    def write(self, batch: Batch) -> PartitionManifest:
        with FileFinisher(self.store) as finisher:
            self._finisher = finisher
            return self.write_files(batch)

    def write_files(self, batch: Batch) -> PartitionManifest:
        rows = iter(batch.rows)
        remaining = batch.count
        self.write_content_free_files()
        if self.plan.missing_column and remaining >= 2:
            size = slice_size(remaining)
            self.write_schema_broken_file(islice(rows, size), self.plan.missing_column)
            remaining -= size
        if self.plan.late_after is not None and remaining >= 2:
            size = slice_size(remaining)
            self.hold_late_file(islice(rows, size), self.plan.late_after)
            remaining -= size
        self.write_regular_files(rows, remaining)
        return self.manifest

    # naming and writing ------------------------------------------------------------------

    def next_name(self, extension: str) -> str:
        self._serial += 1
        return f"{self.entity.name}_{self.day:%Y%m%d}_{self._serial:03d}{extension}"

    def put(self, name: str, data: bytes) -> None:
        self.store.write_bytes(join_uri(self.folder, name), data)

    def entry(
        self, file: LandingFile, outcome: FileOutcome, name: str | None = None, **extra: Any
    ) -> FileEntry:
        style = file.style
        return FileEntry(
            name=name or file.name,
            format=style.format,
            compression="gzip" if style.gzip else None,
            records=file.records,
            outcome=outcome,
            extra_columns=list(style.extra_columns),
            missing_optional_columns=list(style.dropped_optional),
            bom=style.bom,
            crlf=style.crlf,
            **extra,
        )

    # files without records ---------------------------------------------------------------

    def write_content_free_files(self) -> None:
        fmt = self.entity.file_format
        if self.plan.empty_file:
            name = self.next_name(f".{fmt}")
            self.put(name, b"")
            self.add_entry(name, 0, FileOutcome.EMPTY, FileDefect.EMPTY_FILE)
        if self.plan.header_only:
            style = choose_style(self.rng, self.entity)
            name = self.next_name(style.extension)
            self.put(name, header_only_bytes(style))
            self.add_entry(name, 0, FileOutcome.EMPTY, FileDefect.HEADER_ONLY, style.gzip)
        if self.plan.unreadable:
            extension = f".{fmt}.gz" if self.plan.corrupt_gzip else f".{fmt}"
            name = self.next_name(extension)
            self.put(name, unreadable_bytes(self.rng, self.plan.corrupt_gzip))
            self.add_entry(
                name,
                None,
                FileOutcome.QUARANTINED,
                FileDefect.UNREADABLE,
                self.plan.corrupt_gzip,
                reason="unreadable_file",
            )

    def add_entry(
        self,
        name: str,
        records: int | None,
        outcome: FileOutcome,
        defect: FileDefect,
        gzip: bool = False,
        reason: str | None = None,
    ) -> None:
        self.manifest.files.append(
            FileEntry(
                name=name,
                format=self.entity.file_format,
                compression="gzip" if gzip else None,
                records=records,
                outcome=outcome,
                reason=reason,
                defect=defect,
            )
        )

    # special files cut from the stream ----------------------------------------------------

    def clean_file(self, records: Iterable[dict[str, Any]], drop_column: str | None) -> LandingFile:
        style = choose_style(self.rng, self.entity, drop_column=drop_column)
        file = open_file(self.next_name(style.extension), style, self.rng)
        for record in records:
            file.add(self.texts_for(file, record))
        return file

    def write_schema_broken_file(self, records: Iterable[dict[str, Any]], column: str) -> None:
        file = self.clean_file(records, drop_column=column)
        self.put(file.name, file.to_bytes())
        self.manifest.files.append(
            self.entry(
                file,
                FileOutcome.QUARANTINED,
                reason=f"schema:missing_column:{column}",
                defect=FileDefect.MISSING_COLUMN,
            )
        )

    def hold_late_file(self, records: Iterable[dict[str, Any]], after_day: int) -> None:
        file = self.clean_file(records, drop_column=None)
        uri = join_uri(self.folder, file.name)
        self.late_files.append(LateFile(after_day, uri, file.to_bytes()))
        delivered = self.delivery_dates[after_day].isoformat()
        self.manifest.files.append(
            self.entry(
                file, FileOutcome.INGESTED, defect=FileDefect.LATE_FILE, delivered_after=delivered
            )
        )

    # regular files ----------------------------------------------------------------------

    def part_count(self, records: int) -> int:
        if records <= 0:
            return 0
        wanted = max(self.rng.randint(1, 3), math.ceil(records / MAX_RECORDS_PER_FILE))
        if self.coverage.wants_other_file(self.entity.name):
            wanted = max(wanted, 2)
        return min(wanted, records)

    def open_part(self, index: int) -> LandingFile:
        first = index == 0
        style = choose_style(
            self.rng,
            self.entity,
            gzip_file=True if first and self.plan.force_gzip else None,
            extra_columns=self.plan.extra_columns if first else (),
        )
        return open_file(self.next_name(style.extension), style, self.rng)

    def write_regular_files(self, rows: Iterator[dict[str, Any]], records: int) -> None:
        parts = self.part_count(records)
        per_part = math.ceil(records / parts) if parts else 0
        part: LandingFile | None = None
        index = 0
        can_move = False  # whether a copy can go to a later file: not from the last one
        for record in rows:
            if part is None:
                part = self.open_part(index)
                self.place_copies(part, moved=True)
                can_move = index < parts - 1
            self.add_record(part, record, can_move)
            if can_move and part.records >= per_part:
                self.close_part(part, last=False)
                part, index = None, index + 1
        if part is not None:
            self.close_part(part, last=True)

    def close_part(self, part: LandingFile, last: bool) -> None:
        self.place_copies(part, moved=False, everything=last)
        names = [part.name]
        defect = FileDefect.EXTRA_COLUMNS if part.style.extra_columns else None
        self.manifest.files.append(self.entry(part, FileOutcome.INGESTED, defect=defect))
        if self.plan.duplicate_content and not self._content_repeated:
            self._content_repeated = True
            names.append(self.record_duplicate_content(part))
        self._finisher.finish(part, [join_uri(self.folder, name) for name in names])

    def record_duplicate_content(self, part: LandingFile) -> str:
        """Where the same bytes land again: a name sorting after the original, so it is skipped."""
        stem, dot, extension = part.name.partition(".")
        name = f"{stem}_resend{dot}{extension}"
        self.manifest.files.append(
            self.entry(
                part,
                FileOutcome.DUPLICATE_CONTENT,
                name=name,
                reason=f"duplicate_of:{part.name}",
                defect=FileDefect.DUPLICATE_CONTENT,
            )
        )
        return name

    # records ----------------------------------------------------------------------------

    def texts_for(self, file: LandingFile, record: dict[str, Any]) -> Texts:
        style = file.style
        texts = self.renderer.texts(record, keep_nulls=not style.omits_nulls)
        for column in style.extra_columns:
            texts[column] = extra_column_value(self.rng, column)
        return texts

    def choose_defect(
        self, record: dict[str, Any], file: LandingFile, can_move: bool
    ) -> DefectChoice | None:
        name = self.entity.name
        if self.coverage.has_pending(name):
            options = defect_options(self.entity, record, file.style.columns, can_move)
            forced = self.coverage.take(name, record, options)
            if forced is not None:
                return forced
        if not self.defect_rate or self.rng.random() >= self.defect_rate:
            return None
        options = defect_options(self.entity, record, file.style.columns, can_move)
        kind = self.rng.choice(sorted({option.kind for option in options}))
        return self.rng.choice([option for option in options if option.kind is kind])

    def add_record(self, file: LandingFile, record: dict[str, Any], can_move: bool) -> None:
        texts = self.texts_for(file, record)
        choice = self.choose_defect(record, file, can_move)
        if choice is None:
            file.add(texts)
            return
        if choice.kind is DefectKind.DUPLICATE:
            file.add(texts)
            other = choice.variant == "other_file"
            self._copies.append(PendingCopy(texts, file.name, file.last_line, other))
            return
        if choice.kind is DefectKind.MALFORMED:
            file.add_raw(self.malformed_line(choice.variant, file, texts))
        else:
            changed = apply_value_defect(choice, self.entity, record, texts, self.rng, self.day)
            file.add(file.in_file_order(changed))  # a defect may add a key absent so far
        reason = choice.reason
        assert reason is not None
        self.manifest.row_defects.append(
            RowDefect(file.name, file.last_line, reason, choice.variant, choice.column)
        )

    def malformed_line(self, variant: str, file: LandingFile, texts: Texts) -> str:
        if isinstance(file, CsvFile):
            return malformed_csv_line(variant, file.fields(texts), file.line_of, self.rng)
        assert isinstance(file, JsonlFile)
        return malformed_json_line(variant, file.json_text(texts), texts)

    def place_copies(self, file: LandingFile, moved: bool, everything: bool = False) -> None:
        """Write pending duplicates whose time has come.

        A copy meant for another file goes into the next file opened (`moved`); a
        copy meant for its own file goes in when that file closes. When the last
        file closes every copy left goes in, wherever it was meant to go.
        """
        keep = []
        for copy in self._copies:
            if not everything and copy.other_file != moved:
                keep.append(copy)
                continue
            file.add(copy.texts)
            placement = "same_file" if copy.file == file.name else "other_file"
            self.manifest.duplicates.append(
                Duplicate(file.name, file.last_line, copy.file, copy.line, placement)
            )
        self._copies = keep


def slice_size(records: int) -> int:
    return max(1, min(MAX_SLICE, round(records * SLICE_SHARE), records // 2))
