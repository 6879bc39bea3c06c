"""Local working folders owned by a live process, and clearing those whose owner died.

A run killed with SIGKILL leaves its staging output and Spark's temp folders behind.
The owner of `<parent>/<name>` holds an exclusive `flock` on `<parent>/<name>.lock`
while it uses the folder; the kernel drops that lock however the process ends, so a
later run can take the lock of an abandoned folder (and only of an abandoned one) and
delete it, while the folders of runs still going are left alone.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

# Locks held for the life of the process (Spark's temp folder lives as long as its session).
_HELD: list[IO[str]] = []


def _lock_path(folder: Path) -> Path:
    return folder.with_name(f"{folder.name}.lock")


def _take_lock(lock_path: Path, blocking: bool) -> IO[str] | None:
    """An open, locked handle on `lock_path`, or None when another live process holds it.

    Retries when the file was replaced between opening and locking it (a cleaner removes
    the lock file of the folder it deleted), so the lock held is always the one on disk.
    """
    while True:
        handle = lock_path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()


def claim_folder(folder: Path) -> Path:
    """Create `folder` (empty) and own it until this process exits."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    handle = _take_lock(_lock_path(folder), blocking=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    _HELD.append(handle)
    return folder


@contextmanager
def owned_folder(folder: Path) -> Iterator[Path]:
    """Own `folder` while the block runs, then delete it and its lock."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    handle = _take_lock(_lock_path(folder), blocking=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        _lock_path(folder).unlink(missing_ok=True)
        handle.close()


@contextmanager
def lent_folder(folder: Path) -> Iterator[Path]:
    """Create `folder` and own it while the block runs, then leave it for a look afterwards
    (`remove_abandoned` may delete it from then on)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    handle = _take_lock(_lock_path(folder), blocking=True)
    try:
        folder.mkdir()
        yield folder
    finally:
        handle.close()


def _modified(folder: Path) -> float:
    try:
        return folder.stat().st_mtime
    except FileNotFoundError:  # another process's cleaner got there first
        return 0.0


def remove_abandoned(parent: Path, keep_newest: int = 0) -> list[Path]:
    """Delete every sub-folder of `parent` whose owner is gone, but the `keep_newest` last
    modified ones; return the folders deleted."""
    if not parent.is_dir():
        return []
    folders = [Path(e.path) for e in os.scandir(parent) if e.is_dir(follow_symlinks=False)]
    folders.sort(key=_modified, reverse=True)
    removed = []
    for folder in sorted(folders[keep_newest:]):
        handle = _take_lock(_lock_path(folder), blocking=False)
        if handle is None:
            continue  # a live process owns it
        try:
            shutil.rmtree(folder, ignore_errors=True)
            _lock_path(folder).unlink(missing_ok=True)
        finally:
            handle.close()
        removed.append(folder)
    return removed
