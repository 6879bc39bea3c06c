"""The landing zone as bronze sees it: which files a partition holds and how to read them.

`<landing>/<entity>/dt=YYYY-MM-DD/<name>.<ext>` (CONTRACT.md section 1), local or
on S3 through `storage`. File-level outcomes (section 3) are named here so the
ledger, the asset check and the tests use the same words.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from enum import StrEnum

from ecom_platform.lib.lake import landing_partition_uri
from ecom_platform.lib.storage import FileInfo, local_path, open_store


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


def relative_name(prefix_uri: str, uri: str) -> str:
    """`uri` below `prefix_uri`; local listings give plain normalised paths (no `file://`, `./`)."""
    prefix = prefix_uri.rstrip("/")
    if not uri.startswith(f"{prefix}/"):
        prefix = str(local_path(prefix))
    return uri[len(prefix) + 1 :]


def is_hidden(name: str) -> bool:
    """Dot-files (editor and upload temp files) are skipped, as LocalStore already does."""
    return any(part.startswith(".") for part in name.split("/"))


def list_partition_files(landing_uri: str, entity: str, dt: str) -> list[FileInfo]:
    """Every visible file in the entity's `dt=` folder (sub-folders included), in name order."""
    prefix = landing_partition_uri(landing_uri, entity, dt)
    files = [
        info
        for info in open_store(prefix).list_files(prefix)
        if not is_hidden(relative_name(prefix, info.uri))
    ]
    return sorted(files, key=lambda info: relative_name(prefix, info.uri))


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
