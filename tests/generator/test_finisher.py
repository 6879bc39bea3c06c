"""Files finished on the second thread: stored in order, every one before the partition ends,
and a failed write is raised, not lost on the thread."""

from __future__ import annotations

import random
import threading

import pytest

from ecom_platform.generator.finisher import FileFinisher
from ecom_platform.generator.writers import FileStyle, open_file


class RecordingStore:
    def __init__(self, fail_on: str | None = None) -> None:
        self.written: list[tuple[str, bytes, str]] = []
        self.fail_on = fail_on

    def write_bytes(self, uri: str, data: bytes) -> None:
        if uri == self.fail_on:
            raise OSError(f"disk full writing {uri}")
        self.written.append((uri, data, threading.current_thread().name))


def jsonl_file(name: str, gzip: bool):
    file = open_file(name, FileStyle("jsonl", ("a",), gzip=gzip), random.Random(1))
    file.add({"a": name})
    return file


def test_files_are_stored_in_order_off_the_calling_thread_before_the_block_ends():
    store = RecordingStore()
    files = [jsonl_file(f"f{index}", gzip=index % 2 == 1) for index in range(4)]
    with FileFinisher(store) as finisher:
        for file in files:
            finisher.finish(file, [f"mem://{file.name}", f"mem://{file.name}.again"])
    expected = [
        (f"mem://{file.name}{suffix}", file.to_bytes())
        for file in files
        for suffix in ("", ".again")
    ]
    assert [(uri, data) for uri, data, _ in store.written] == expected
    assert all(thread.startswith("finish-file") for _, _, thread in store.written)
    assert not any(t.name.startswith("finish-file") for t in threading.enumerate())


def test_a_failed_write_is_raised_to_the_writer():
    store = RecordingStore(fail_on="mem://f1")
    with (
        pytest.raises(OSError, match="disk full writing mem://f1"),
        FileFinisher(store) as finisher,
    ):
        for index in range(3):
            finisher.finish(jsonl_file(f"f{index}", gzip=True), [f"mem://f{index}"])
    assert [uri for uri, _, _ in store.written] == ["mem://f0"]
