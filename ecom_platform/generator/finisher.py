"""Finished landing files encoded, compressed and stored on a second thread.

zlib releases the GIL while it compresses, and so does writing the bytes out,
so a file's gzip overlaps with simulating and spelling the next file's
records: on two cores, the forked web events partition (see `parallel`)
then no longer outlasts the others by its compression time. At most one
file waits for the thread, so no more than two files' text is held at once.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from ecom_platform.generator.writers import LandingFile
from ecom_platform.lib.storage import Store


class FileFinisher:
    """Stores each finished file's bytes under one or more URIs, one file at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="finish-file")
        self._pending: Future[None] | None = None

    def finish(self, file: LandingFile, uris: list[str]) -> None:
        self.wait()
        self._pending = self._pool.submit(self.store_file, file, uris)

    def store_file(self, file: LandingFile, uris: list[str]) -> None:
        data = file.to_bytes()
        for uri in uris:
            self.store.write_bytes(uri, data)

    def wait(self) -> None:
        """Until the file handed over last is stored; its error, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> FileFinisher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.wait()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
