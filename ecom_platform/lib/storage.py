"""One small file API over local folders and `s3://` URIs.

Landing and lake locations are URIs (CONTRACT.md section 1). Code above this
module never branches on the scheme: it lists, reads and writes through a
`Store`. S3 goes through boto3, which honours `AWS_ENDPOINT_URL`, so the same
code talks to AWS or to a local SeaweedFS.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

SUPPORTED_SCHEMES = ("", "file", "s3")


@dataclass(frozen=True)
class FileInfo:
    uri: str
    size: int
    etag: str  # content tag: S3 ETag, or size+mtime locally; changes when the object changes
    modified: float = 0.0  # seconds since the epoch


class EntryKind(StrEnum):
    """What a name in a folder is; only FILE is ever read."""

    FILE = "file"
    FOLDER = "folder"
    SYMLINK = "symbolic link"
    SPECIAL = "special file (device, fifo or socket)"


@dataclass(frozen=True)
class Entry:
    """One name directly inside a folder (an S3 key, or a common prefix as FOLDER)."""

    name: str
    kind: EntryKind
    info: FileInfo | None = None  # for FILE entries


class Store(Protocol):
    def list_files(self, prefix_uri: str) -> list[FileInfo]:
        """Every regular file below `prefix_uri` (recursive, never through a link), by URI."""
        ...

    def list_entries(self, prefix_uri: str) -> list[Entry]:
        """What is directly inside `prefix_uri`, links and special files included, by name."""
        ...

    def list_dirs(self, prefix_uri: str) -> list[str]:
        """Names of the immediate sub-folders of `prefix_uri`, sorted."""
        ...

    def read_bytes(self, uri: str) -> bytes: ...

    def write_bytes(self, uri: str, data: bytes) -> None:
        """Write a whole file atomically: readers see the old or the new content, never half."""
        ...

    def delete(self, uri: str) -> None: ...

    def exists(self, uri: str) -> bool: ...


def join_uri(base: str, *parts: str) -> str:
    """Join path parts onto a local path or URI with single slashes."""
    out = base.rstrip("/")
    for part in parts:
        out = f"{out}/{part.strip('/')}"
    return out


def uri_scheme(uri: str) -> str:
    scheme = urlparse(uri).scheme
    # A Windows drive letter or a relative path has no real scheme.
    return "" if len(scheme) <= 1 else scheme


def validate_uri(uri: str, setting: str) -> None:
    """Raise a ValueError naming the setting when a URI has a scheme we cannot serve."""
    if not uri:
        raise ValueError(f"{setting} is empty; give a local folder or an s3://bucket/prefix URI")
    scheme = uri_scheme(uri)
    if scheme not in SUPPORTED_SCHEMES:
        raise ValueError(
            f"{setting}={uri!r} has unsupported scheme {scheme!r}; "
            "use a local folder or s3://bucket/prefix"
        )
    if scheme == "s3" and not urlparse(uri).netloc:
        raise ValueError(f"{setting}={uri!r} names no bucket; use s3://bucket/prefix")


def is_s3(uri: str) -> bool:
    return uri_scheme(uri) == "s3"


def open_store(uri: str) -> Store:
    """The store that serves `uri`."""
    return _s3_store() if is_s3(uri) else LocalStore()


def local_path(uri: str) -> Path:
    return Path(uri[len("file://") :] if uri.startswith("file://") else uri)


def relative_name(prefix_uri: str, uri: str) -> str:
    """`uri` below `prefix_uri`; local listings give plain normalised paths (no `file://`, `./`)."""
    prefix = prefix_uri.rstrip("/")
    if not uri.startswith(f"{prefix}/"):
        prefix = str(local_path(prefix))
    return uri[len(prefix) + 1 :]


def local_file_info(path: str, st: os.stat_result) -> FileInfo:
    return FileInfo(
        uri=path,
        size=st.st_size,
        etag=f"{st.st_size}-{st.st_mtime_ns}",
        modified=st.st_mtime,
    )


def entry_kind(mode: int) -> EntryKind:
    if stat.S_ISLNK(mode):
        return EntryKind.SYMLINK
    if stat.S_ISDIR(mode):
        return EntryKind.FOLDER
    return EntryKind.FILE if stat.S_ISREG(mode) else EntryKind.SPECIAL


class LocalStore:
    """Local folders; symbolic links are never followed, so nothing outside is read."""

    def list_files(self, prefix_uri: str) -> list[FileInfo]:
        root = local_path(prefix_uri)
        if not root.is_dir():
            return []
        found = []
        for folder, _, files in os.walk(root):  # os.walk does not descend into links
            for name in files:
                path = os.path.join(folder, name)
                st = os.lstat(path)
                if stat.S_ISREG(st.st_mode) and not name.startswith("."):
                    found.append(local_file_info(path, st))
        return sorted(found, key=lambda f: f.uri)

    def list_entries(self, prefix_uri: str) -> list[Entry]:
        root = local_path(prefix_uri)
        if not root.is_dir():
            return []
        entries = []
        with os.scandir(root) as scan:
            for item in scan:
                st = item.stat(follow_symlinks=False)
                kind = entry_kind(st.st_mode)
                info = local_file_info(item.path, st) if kind is EntryKind.FILE else None
                entries.append(Entry(item.name, kind, info))
        return sorted(entries, key=lambda e: e.name)

    def list_dirs(self, prefix_uri: str) -> list[str]:
        root = local_path(prefix_uri)
        if not root.is_dir():
            return []
        with os.scandir(root) as scan:
            return sorted(e.name for e in scan if e.is_dir(follow_symlinks=False))

    def read_bytes(self, uri: str) -> bytes:
        """The file's bytes; a link or special file put in its place after listing is refused."""
        fd = os.open(local_path(uri), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(f"{uri} is not a regular file")
            return handle.read()

    def write_bytes(self, uri: str, data: bytes) -> None:
        path = local_path(uri)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, uri: str) -> None:
        local_path(uri).unlink(missing_ok=True)

    def exists(self, uri: str) -> bool:
        return local_path(uri).exists()


def split_s3_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    return parsed.netloc, parsed.path.lstrip("/")


class S3Store:
    def __init__(self, client) -> None:  # a boto3 S3 client
        self.client = client

    def _pages(self, bucket: str, prefix: str, **kwargs) -> Iterator[dict]:
        paginator = self.client.get_paginator("list_objects_v2")
        yield from paginator.paginate(Bucket=bucket, Prefix=prefix, **kwargs)

    def list_files(self, prefix_uri: str) -> list[FileInfo]:
        bucket, prefix = split_s3_uri(prefix_uri)
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        found = [
            FileInfo(
                uri=f"s3://{bucket}/{obj['Key']}",
                size=obj["Size"],
                etag=obj["ETag"].strip('"'),
                modified=obj["LastModified"].timestamp(),
            )
            for page in self._pages(bucket, prefix)
            for obj in page.get("Contents", [])
            if not obj["Key"].endswith("/")
        ]
        return sorted(found, key=lambda f: f.uri)

    def list_entries(self, prefix_uri: str) -> list[Entry]:
        """Keys directly under the prefix are FILEs; deeper keys show as FOLDER prefixes."""
        bucket, prefix = split_s3_uri(prefix_uri)
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        entries = []
        for page in self._pages(bucket, prefix, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                name = common["Prefix"][len(prefix) :].removesuffix("/")
                entries.append(Entry(name, EntryKind.FOLDER))
            for obj in page.get("Contents", []):
                name = obj["Key"][len(prefix) :]
                if not name:
                    continue  # the folder's own marker object
                info = FileInfo(
                    uri=f"s3://{bucket}/{obj['Key']}",
                    size=obj["Size"],
                    etag=obj["ETag"].strip('"'),
                    modified=obj["LastModified"].timestamp(),
                )
                entries.append(Entry(name, EntryKind.FILE, info))
        return sorted(entries, key=lambda e: e.name)

    def list_dirs(self, prefix_uri: str) -> list[str]:
        bucket, prefix = split_s3_uri(prefix_uri)
        prefix = f"{prefix.rstrip('/')}/" if prefix else ""
        names = {
            common["Prefix"][len(prefix) :].rstrip("/")
            for page in self._pages(bucket, prefix, Delimiter="/")
            for common in page.get("CommonPrefixes", [])
        }
        return sorted(names)

    def read_bytes(self, uri: str) -> bytes:
        bucket, key = split_s3_uri(uri)
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def write_bytes(self, uri: str, data: bytes) -> None:
        # A single PUT is atomic on S3: the object is either the old or the new one.
        bucket, key = split_s3_uri(uri)
        self.client.put_object(Bucket=bucket, Key=key, Body=data)

    def delete(self, uri: str) -> None:
        bucket, key = split_s3_uri(uri)
        self.client.delete_object(Bucket=bucket, Key=key)

    def exists(self, uri: str) -> bool:
        bucket, key = split_s3_uri(uri)
        response = self.client.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1)
        return any(obj["Key"] == key for obj in response.get("Contents", []))


# Throttling (SlowDown, 503), dropped connections and timeouts are retried with exponential
# backoff and jitter ("standard" mode); "adaptive" adds client-side rate limiting after throttling.
RUN_RETRIES = {"mode": "adaptive", "max_attempts": 8}
# A sensor tick must answer within 60 s even when the endpoint is down: fewer, quicker tries.
QUICK_RETRIES = {"mode": "standard", "max_attempts": 3}


def s3_client(retries: dict | None = None, connect_timeout: float = 60):
    """A boto3 S3 client (boto3 client types are generated at run time); AWS_ENDPOINT_URL
    (e.g. a local SeaweedFS) is honoured by boto3."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        config=Config(
            s3={"addressing_style": "path"},
            retries=retries or RUN_RETRIES,
            connect_timeout=connect_timeout,
        ),
    )


@cache
def _s3_store() -> S3Store:
    return S3Store(s3_client())
