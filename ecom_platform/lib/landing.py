"""The landing zone as bronze sees it: which files a partition holds and how to read them.

`<landing>/<entity>/dt=YYYY-MM-DD/<name>.<ext>` (CONTRACT.md section 1), local or
on S3 through `storage`. File-level outcomes (section 3) are named here so the
ledger, the asset check and the tests use the same words.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ecom_platform.lib.lake import landing_partition_uri, partition_folder
from ecom_platform.lib.storage import Entry, EntryKind, FileInfo, join_uri, open_store


class FileStatus(StrEnum):
    INGESTED = "ingested"
    EMPTY = "empty"  # 0 bytes, header only, or nothing but blank lines: zero rows, no error
    DUPLICATE = "duplicate_content"  # same raw bytes as a file sorting earlier in the folder
    QUARANTINED = "quarantined"  # whole file rejected; adds no rows


UNREADABLE_FILE = "unreadable_file"
MISSING_COLUMN_PREFIX = "schema:missing_column:"


def missing_column_reason(column: str) -> str:
    return f"{MISSING_COLUMN_PREFIX}{column}"


def duplicate_reason(original_uri: str) -> str:
    return f"duplicate_of:{original_uri}"


class UnreadableFileError(ValueError):
    """The file is not UTF-8 text (binary, wrong encoding, corrupt gzip)."""


def is_hidden(name: str) -> bool:
    """Dot-files (editor and upload temp files) are skipped, as LocalStore already does."""
    return any(part.startswith(".") for part in name.split("/"))


@dataclass(frozen=True)
class Skipped:
    """A name in the landing zone that bronze does not read, and why (logged by the run)."""

    uri: str
    reason: str


@dataclass(frozen=True)
class PartitionListing:
    files: tuple[FileInfo, ...]  # regular files directly in the `dt=` folder, in name order
    skipped: tuple[Skipped, ...]


def is_odd_name(name: str) -> bool:
    """Names no landing file has: empty or dot segments (`a//b`, `..` in an S3 key),
    backslashes, control characters. Read as paths they could point outside the zone."""
    return (
        name in ("", ".", "..") or "\\" in name or any(ord(c) < 32 or ord(c) == 127 for c in name)
    )


SKIP_REASONS = {
    EntryKind.SYMLINK: "is a symbolic link; links are never followed out of the landing zone",
    EntryKind.SPECIAL: "is not a regular file (device, fifo or socket)",
    EntryKind.FOLDER: (
        "is a folder inside a dt= folder; landing files sit directly in "
        "<entity>/dt=YYYY-MM-DD/, so it is not read"
    ),
}


def skip_reason(entry: Entry, in_partition: bool) -> str | None:
    """Why `entry` is not read (None: read it, or a dot-file skipped silently)."""
    if is_odd_name(entry.name):
        return "has an odd name (empty, '.', '..', a backslash or control characters)"
    if is_hidden(entry.name):
        return None
    if entry.kind is EntryKind.FOLDER and not in_partition:
        return None
    return SKIP_REASONS.get(entry.kind)


def entry_in(store_entries: list[Entry], name: str) -> Entry | None:
    return next((entry for entry in store_entries if entry.name == name), None)


def list_partition_files(landing_uri: str, entity: str, dt: str) -> PartitionListing:
    """The regular files directly in the entity's `dt=` folder, and what was skipped.

    Only what is really inside the landing zone is read: the entity and `dt=` folders
    must be real folders (not links), and in the `dt=` folder links, special files,
    sub-folders and odd names are skipped with a reason. Dot-files are skipped silently.
    """
    entity_uri = join_uri(landing_uri, entity)
    prefix = landing_partition_uri(landing_uri, entity, dt)
    store = open_store(prefix)
    for parent, name in ((landing_uri, entity), (entity_uri, partition_folder(dt))):
        entry = entry_in(store.list_entries(parent), name)
        if entry is None:
            return PartitionListing((), ())
        if entry.kind is not EntryKind.FOLDER:
            reason = SKIP_REASONS.get(entry.kind, "is not a folder")
            return PartitionListing((), (Skipped(join_uri(parent, name), reason),))
    files, skipped = [], []
    for entry in store.list_entries(prefix):
        reason = skip_reason(entry, in_partition=True)
        if reason is not None:
            skipped.append(Skipped(join_uri(prefix, entry.name), reason))
        elif entry.kind is EntryKind.FILE and entry.info and not is_hidden(entry.name):
            files.append(entry.info)
    return PartitionListing(tuple(files), tuple(skipped))


def unknown_entity_folders(landing_uri: str, entities: Iterable[str]) -> list[str]:
    """Top-level landing folders that are no entity (`refunds/`): reported, not read.
    Names starting with `_` or `.` are bookkeeping (the generator's `_manifest/`)."""
    known = set(entities)
    names = open_store(landing_uri).list_dirs(landing_uri)
    return [name for name in names if name not in known and not name.startswith(("_", "."))]


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def has_extension(name: str, extensions: tuple[str, ...]) -> bool:
    return name.lower().endswith(extensions)


def decode_landing_bytes(raw: bytes, name: str) -> str:
    """The file's text: gunzipped when `.gz`, strict UTF-8, BOM removed."""
    data = raw
    if name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFileError(f"is not readable gzip data ({exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(
            f"is not valid UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    if "\x00" in text:
        raise UnreadableFileError("is binary (NUL bytes), not text")
    return text.removeprefix("\ufeff")
