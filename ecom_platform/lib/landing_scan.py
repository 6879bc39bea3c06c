"""Which landing folders differ from what bronze ingested: the landing sensor's pure logic.

A folder is `<landing>/<entity>/dt=YYYY-MM-DD/`. It needs a run when one of its
files is missing from the bronze file ledger or its content tag (S3 ETag, local
size-mtime) differs from the ledger's `etag`, so a sensor switched on over
processed history requests nothing, and a late or rewritten file re-runs its day.

Listing stays bounded however large the landing zone grows:

- the *open* folders (the last `open_days` days up to the newest partition, where
  files usually land) are listed on every tick, starting at the first open
  `dt=` key of each entity (S3 `StartAfter`), so older keys are not even paged;
- older folders are *swept*: each tick continues where the previous one stopped
  and lists at most `max_keys` keys (or `max_seconds`), ending on a folder
  boundary; the position is carried in the cursor and the sweep starts over once
  it has passed every entity. A late file in an old folder is therefore found
  within one sweep cycle, and a small landing zone is swept whole on every tick.

The cursor remembers, per folder, the digest of the listing it last handled and
whether bronze had caught up with it. An open folder whose digest is unchanged
and settled costs no ledger read; a requested folder is not requested again until
its listing changes (so a queued or failed run is not doubled), and a folder
whose listing changes again is requested again whatever happened before.

Keys that do not fit the layout (no `dt=` folder, an impossible or
out-of-range date, odd characters, `..`, symlinks on a local landing) are
skipped with a reason and never reach a path, a ledger read or a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path

from ecom_platform.lib.lake import DT_PREFIX
from ecom_platform.lib.storage import join_uri, local_path, split_s3_uri

# One path segment of a file name: letters, digits and a few separators; no leading dot.
SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._=+-]{0,254}")
DT_FOLDER = re.compile(r"dt=(\d{4}-\d{2}-\d{2})")
CURSOR_VERSION = 2
MAX_LOGGED_SKIPS = 20


@dataclass(frozen=True)
class Entry:
    """One key below an entity folder, as a store lists it."""

    folder: str  # the first segment below the entity: should be `dt=YYYY-MM-DD`
    name: str  # the rest of the key below that folder ('' for a key directly in the entity)
    uri: str
    size: int
    etag: str
    symlink: bool = False


@dataclass(frozen=True)
class Folder:
    """The valid, visible files of one entity and day."""

    entity: str
    dt: str
    files: tuple[Entry, ...]

    @property
    def key(self) -> str:
        return f"{self.entity}/{self.dt}"

    def digest(self) -> str:
        """Short digest of every (name, content tag): any added or changed file changes it."""
        lines = sorted(f"{f.name}\t{f.etag}" for f in self.files)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Window:
    """The partitions that exist (`first`..`last`) and where the open folders begin."""

    first: date
    last: date
    open_from: date

    @property
    def open_after(self) -> str:
        """The folder the open folders' listing starts after (the day before the first)."""
        return f"{DT_PREFIX}{(self.open_from - timedelta(days=1)).isoformat()}"

    @classmethod
    def ending(cls, first: date, last: date, open_days: int) -> Window:
        return cls(first, last, max(first, last - timedelta(days=open_days)))


@dataclass(frozen=True)
class ScanLimits:
    open_days: int = 7  # folders this close to the newest partition are listed on every tick
    max_keys: int = 20_000  # keys the sweep of older folders lists per tick
    max_seconds: float = 20.0  # and time it may take (the sensor times out at 60 s)


@dataclass
class Handled:
    digest: str
    settled: bool  # bronze's ledger matched this listing (else: a run was requested for it)


@dataclass
class ScanCursor:
    handled: dict[str, Handled] = field(default_factory=dict)
    sweep_after: str | None = None  # `entity/dt` the sweep completed last; None: start over

    def encode(self) -> str:
        return json.dumps(
            {
                "v": CURSOR_VERSION,
                "sweep_after": self.sweep_after,
                "handled": {k: f"{h.digest}:{int(h.settled)}" for k, h in self.handled.items()},
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, text: str | None) -> ScanCursor:
        """A cursor of another format starts afresh: every folder is compared with the ledger."""
        try:
            raw = json.loads(text) if text else {}
            if raw.get("v") != CURSOR_VERSION:
                return cls()
            handled = {}
            for key, value in raw["handled"].items():
                digest, settled = value.split(":")
                handled[key] = Handled(digest, settled == "1")
            return cls(handled, raw.get("sweep_after"))
        except (ValueError, KeyError, TypeError, AttributeError):
            return cls()


@dataclass
class SkipLog:
    """Why keys were skipped: counts by reason and a few examples for the tick's log."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def skip(self, reason: str, what: str, keys: int = 1) -> None:
        self.counts[reason] = self.counts.get(reason, 0) + keys
        if len(self.examples) < MAX_LOGGED_SKIPS:
            self.examples.append(f"{what!r}: {reason}")

    def summary(self) -> str:
        counts = ", ".join(f"{n} {reason}" for reason, n in sorted(self.counts.items()))
        return f"skipped landing keys ({counts}); e.g. " + "; ".join(self.examples)


@dataclass
class ScanResult:
    changed: dict[str, str]  # folder key -> digest, of folders that need a run
    cursor: ScanCursor
    skipped: SkipLog
    folders_seen: int = 0
    keys_listed: int = 0
    ledger_reads: int = 0


def folder_dt(folder: str, window: Window) -> tuple[str | None, str]:
    """(dt, '') for a `dt=` folder of an existing partition, else (None, why it is skipped)."""
    match = DT_FOLDER.fullmatch(folder)
    if not match:
        return None, "not inside a dt=YYYY-MM-DD folder"
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return None, "impossible date"
    if not window.first <= day <= window.last:
        return None, f"date outside the partitions {window.first}..{window.last}"
    return day.isoformat(), ""


def name_problem(entry: Entry) -> str | None:
    """Why a file name inside a valid folder is skipped ('hidden' for dot-files), or None."""
    if entry.symlink:
        return "symlink (never followed)"
    parts = entry.name.split("/")
    if any(part.startswith(".") and part not in (".", "..") for part in parts):
        return "hidden"
    if not all(SAFE_SEGMENT.fullmatch(part) for part in parts):
        return "odd characters or '..' in the name"
    return None


def group_folders(
    entity: str,
    entries: Iterable[Entry],
    window: Window,
    skipped: SkipLog,
    until: str | None = None,
) -> Iterator[tuple[Folder | None, int]]:
    """Consecutive entries of one folder as a Folder (None when the folder is skipped), with
    the number of keys listed for it; stops before the first folder sorting after `until`."""
    for folder_name, group in groupby(entries, key=lambda e: e.folder):
        if until is not None and f"{folder_name}/" > after_folder_marker(until):
            return
        members = list(group)
        dt, why = folder_dt(folder_name, window) if members[0].name else (None, "")
        if dt is None:
            what = f"{entity}/{folder_name}" + ("/" if members[0].name else "")
            skipped.skip(why or "not inside a dt=YYYY-MM-DD folder", what, len(members))
            yield None, len(members)
            continue
        files = []
        for entry in members:
            problem = name_problem(entry)
            if problem == "hidden":
                continue  # upload and editor temp files: bronze skips them too
            if problem:
                skipped.skip(problem, f"{entity}/{folder_name}/{entry.name}")
                continue
            files.append(entry)
        yield Folder(entity, dt, tuple(files)), len(members)


def ledger_file_name(source_file: str, dt: str) -> str:
    """A ledger row's file name below its `dt=` folder, whatever form the landing URI had."""
    return source_file.rsplit(f"/{DT_PREFIX}{dt}/", 1)[-1]


def matches_ledger(folder: Folder, ledger: list[dict] | None) -> bool:
    """True when bronze has read every file of the folder as it is listed now.

    Ledgers written before the `etag` column fall back to the size (a same-size
    rewrite of such a file is not seen until the next change of its folder).
    """
    if ledger is None:
        return not folder.files
    rows = {ledger_file_name(row["source_file"], folder.dt): row for row in ledger}
    for entry in folder.files:
        row = rows.get(entry.name)
        if row is None:
            return False
        if row.get("etag") is not None and row["etag"] != entry.etag:
            return False
        if row.get("etag") is None and row["size_bytes"] != entry.size:
            return False
    return True


ListEntries = Callable[[str, str | None], Iterator[Entry]]
ReadLedger = Callable[[str, str], list[dict] | None]


@dataclass
class _Scan:
    """One tick's state: what it found and the cursor it leaves."""

    window: Window
    read_ledger: ReadLedger
    cursor: ScanCursor
    result: ScanResult

    def evaluate(self, folder: Folder) -> None:
        is_open = date.fromisoformat(folder.dt) >= self.window.open_from
        digest = folder.digest()
        seen = self.cursor.handled.get(folder.key)
        if seen and seen.digest == digest and seen.settled:
            return
        self.result.ledger_reads += 1
        if matches_ledger(folder, self.read_ledger(folder.entity, folder.dt)):
            if is_open:
                self.cursor.handled[folder.key] = Handled(digest, True)
            else:
                self.cursor.handled.pop(folder.key, None)  # the sweep re-reads it next cycle
            return
        if seen and seen.digest == digest:
            return  # requested before, its run has not caught up yet (queued, running, failed)
        self.cursor.handled[folder.key] = Handled(digest, False)
        self.result.changed[folder.key] = digest


def open_pass(scan: _Scan, entities: list[str], list_entries: ListEntries) -> None:
    """Every open folder of every entity; forget settled ones that left the window or vanished."""
    listed: set[str] = set()
    for entity in entities:
        for folder, keys in group_folders(
            entity, list_entries(entity, scan.window.open_after), scan.window, scan.result.skipped
        ):
            scan.result.keys_listed += keys
            if folder is not None:
                scan.result.folders_seen += 1
                listed.add(folder.key)
                scan.evaluate(folder)
    for key, seen in list(scan.cursor.handled.items()):
        is_open = date.fromisoformat(key.split("/")[1]) >= scan.window.open_from
        if seen.settled and (not is_open or key not in listed):
            del scan.cursor.handled[key]


def sweep_pass(
    scan: _Scan,
    entities: list[str],
    list_entries: ListEntries,
    limits: ScanLimits,
    clock: Callable[[], float],
) -> None:
    """Older folders from where the last tick stopped, up to the key and time budget."""
    started, keys = clock(), 0
    position = scan.cursor.sweep_after
    first_entity, after_dt = position.split("/") if position else (entities[0], None)
    todo = entities[entities.index(first_entity) :] if first_entity in entities else entities
    for entity in todo:
        start_after = f"{DT_PREFIX}{after_dt}" if after_dt and entity == first_entity else None
        listing = list_entries(entity, start_after)
        # The sweep ends where the open folders begin: they were listed already.
        for folder, listed in group_folders(
            entity, listing, scan.window, scan.result.skipped, until=scan.window.open_after
        ):
            keys += listed
            scan.result.keys_listed += listed
            if folder is not None:
                scan.result.folders_seen += 1
                scan.evaluate(folder)
                scan.cursor.sweep_after = folder.key
            if keys >= limits.max_keys or clock() - started > limits.max_seconds:
                return
        scan.cursor.sweep_after = None if entity == todo[-1] else f"{todo[todo.index(entity) + 1]}/"
    scan.cursor.sweep_after = None


def scan_landing(
    entities: list[str],
    list_entries: ListEntries,
    read_ledger: ReadLedger,
    cursor: ScanCursor,
    window: Window,
    limits: ScanLimits = ScanLimits(),
    clock: Callable[[], float] = time.monotonic,
) -> ScanResult:
    """One sensor tick: the folders that need a run and the cursor to keep.

    `list_entries(entity, start_after_folder)` lists an entity's keys in key order
    after every key of that folder (None: from the start).
    """
    result = ScanResult(changed={}, cursor=cursor, skipped=SkipLog())
    scan = _Scan(window, read_ledger, cursor, result)
    open_pass(scan, entities, list_entries)
    sweep_pass(scan, entities, list_entries, limits, clock)
    return result


def plan_ranges(days: Iterable[str], max_days: int = 31, max_gap: int = 1) -> list[tuple[str, str]]:
    """Changed days as few inclusive ranges as possible: a run costs a Spark start and a dbt
    build, so a gap of up to `max_gap` unchanged days is processed again rather than split
    off; no range is longer than `max_days` (one run's memory and duration stay bounded)."""
    ranges: list[tuple[date, date]] = []
    for day in sorted({date.fromisoformat(d) for d in days}):
        if ranges:
            start, end = ranges[-1]
            if (day - end).days <= max_gap + 1 and (day - start).days < max_days:
                ranges[-1] = (start, day)
                continue
        ranges.append((day, day))
    return [(start.isoformat(), end.isoformat()) for start, end in ranges]


def run_key_digest(folders: dict[str, str]) -> str:
    """Digest of the folder listings a run was planned from (its run key)."""
    lines = sorted(f"{key}\t{digest}" for key, digest in folders.items())
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


# Listing: keys of one entity in key order, starting after a folder (S3 `StartAfter`).


def after_folder_marker(folder: str) -> str:
    """A key that sorts after every key inside `folder/` and before the next folder:
    '0' is the character after '/'."""
    return f"{folder}0"


def s3_entries(client, landing: str, entity: str, start_after: str | None) -> Iterator[Entry]:
    """The entity's keys, paged lazily (1,000 a request), from after `start_after`'s folder."""
    bucket, prefix = split_s3_uri(join_uri(landing, entity))
    prefix = f"{prefix.rstrip('/')}/"
    kwargs = {"Bucket": bucket, "Prefix": prefix}
    if start_after:
        kwargs["StartAfter"] = prefix + after_folder_marker(start_after)
    for page in client.get_paginator("list_objects_v2").paginate(**kwargs):
        for obj in page.get("Contents", []):
            rest = obj["Key"][len(prefix) :]
            if rest.endswith("/"):
                continue  # a folder marker object
            folder, _, name = rest.partition("/")
            uri = f"s3://{bucket}/{obj['Key']}"
            yield Entry(folder, name, uri, obj["Size"], obj["ETag"].strip('"'))


def local_entries(landing: str, entity: str, start_after: str | None) -> Iterator[Entry]:
    """The same for a local folder: sorted, symlinks reported but never followed."""
    root = local_path(join_uri(landing, entity))
    if root.is_symlink() or not root.is_dir():
        return
    marker = after_folder_marker(start_after) if start_after else None
    for child in sorted(os.scandir(root), key=lambda e: e.name):
        if marker and f"{child.name}/" <= marker:
            continue
        if child.is_dir(follow_symlinks=False):
            yield from _walk(Path(child.path), child.name, "")
        else:
            yield _local_entry(child, child.name, "")


def _walk(folder: Path, top: str, below: str) -> Iterator[Entry]:
    for child in sorted(os.scandir(folder), key=lambda e: e.name):
        name = f"{below}{child.name}"
        if child.is_dir(follow_symlinks=False):
            yield from _walk(Path(child.path), top, f"{name}/")
        elif child.is_symlink() or child.is_file(follow_symlinks=False):
            yield _local_entry(child, top, name)


def _local_entry(child: os.DirEntry, folder: str, name: str) -> Entry:
    """The content tag is LocalStore's (size-mtime), which bronze writes to the ledger."""
    if child.is_symlink():
        return Entry(folder, name or child.name, child.path, 0, "", symlink=True)
    info = child.stat(follow_symlinks=False)
    return Entry(folder, name, child.path, info.st_size, f"{info.st_size}-{info.st_mtime_ns}")
