"""The pooled SQLite event log keeps what Dagster's readers rely on: the same files, a
webserver following a run live, a bounded number of open databases, and a wipe that
really starts over."""

from __future__ import annotations

import os
import queue
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType, EngineEventData
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from ecom_platform.event_log_storage import OPEN_DATABASES, PooledSqliteEventLogStorage

ROOT = Path(__file__).resolve().parent.parent
RUN = "0a1b2c3d-0000-4000-8000-000000000001"


def engine_event(run_id: str, message: str) -> EventLogEntry:
    event = DagsterEvent(
        DagsterEventType.ENGINE_EVENT.value, "daily_pipeline", event_specific_data=EngineEventData()
    )
    return EventLogEntry(
        error_info=None,
        level=20,
        user_message=message,
        run_id=run_id,
        timestamp=time.time(),
        dagster_event=event,
        job_name="daily_pipeline",
    )


def messages(storage: SqliteEventLogStorage, run_id: str) -> list[str]:
    return [r.event_log_entry.message for r in storage.get_records_for_run(run_id).records]


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[PooledSqliteEventLogStorage]:
    pooled = PooledSqliteEventLogStorage(str(tmp_path))
    yield pooled
    pooled.dispose()


def test_the_instance_stores_where_dagsters_own_storage_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        run = instance.add_run(dg.DagsterRun(job_name="daily_pipeline"))
        instance.report_engine_event("from the pooled storage", run)
    dagsters = SqliteEventLogStorage(str(tmp_path / "history" / "runs"))
    assert messages(dagsters, run.run_id) == ["from the pooled storage"]


def test_a_watcher_sees_each_event_while_the_writer_stays_open(
    tmp_path: Path, storage: PooledSqliteEventLogStorage
) -> None:
    """The webserver follows a run by watching its database file; the writer (the run
    worker) keeps its connection open the whole run."""
    storage.store_event(engine_event(RUN, "before the watch"))
    watcher = SqliteEventLogStorage(str(tmp_path))
    received: queue.Queue[str] = queue.Queue()

    def on_event(entry: EventLogEntry, cursor: str) -> None:
        received.put(entry.message)

    watcher.watch(RUN, None, on_event)
    try:
        for n in range(3):
            storage.store_event(engine_event(RUN, f"event {n}"))
            assert arrives(received, f"event {n}")
    finally:
        watcher.end_watch(RUN, on_event)
        watcher.dispose()


def arrives(received: queue.Queue[str], message: str, timeout_s: float = 10) -> bool:
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        try:
            if received.get(timeout=left) == message:
                return True
        except queue.Empty:
            break
    return False


def open_databases(folder: Path) -> int:
    fds = Path("/proc/self/fd")
    targets = (os.readlink(fds / fd) for fd in os.listdir(fds) if (fds / fd).is_symlink())
    return sum(1 for target in targets if target.startswith(str(folder)) and target.endswith(".db"))


def test_open_databases_are_bounded_and_every_run_reads_back(
    tmp_path: Path, storage: PooledSqliteEventLogStorage
) -> None:
    runs = [f"0a1b2c3d-0000-4000-8000-{n:012d}" for n in range(OPEN_DATABASES + 5)]
    for run_id in runs:
        storage.store_event(engine_event(run_id, f"event of {run_id}"))
    assert open_databases(tmp_path) <= OPEN_DATABASES
    for run_id in runs:
        assert messages(storage, run_id) == [f"event of {run_id}"]


def test_events_stored_after_a_wipe_land_in_the_new_files(
    tmp_path: Path, storage: PooledSqliteEventLogStorage
) -> None:
    storage.store_event(engine_event(RUN, "before the wipe"))
    storage.wipe()
    storage.store_event(engine_event(RUN, "after the wipe"))
    assert messages(SqliteEventLogStorage(str(tmp_path)), RUN) == ["after the wipe"]
