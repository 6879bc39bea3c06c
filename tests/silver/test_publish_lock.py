"""Two runs publishing one S3 partition take turns (SeaweedFS supports conditional PUTs)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from ecom_platform.lib import lake as layout
from ecom_platform.lib.publish_lock import PartitionLocked, partition_lock
from ecom_platform.lib.storage import open_store
from ecom_platform.spark_jobs import io

pytestmark = pytest.mark.slow

DAY = "2024-01-01"


@pytest.fixture
def lake(s3_env) -> str:
    bucket = s3_env.create_bucket(f"lock-{uuid.uuid4().hex[:16]}")
    return f"s3://{bucket}/lake"


def names(uri: str) -> set[str]:
    return {f.uri.rsplit("/", 1)[-1] for f in open_store(uri).list_files(uri)}


def test_a_second_run_waits_until_the_first_releases(lake: str) -> None:
    lock = layout.publish_lock_uri(lake, layout.Layer.SILVER, "orders", DAY)
    events: list[str] = []
    with partition_lock(lock, owner="first"):
        waiting = threading.Thread(target=lambda: hold(lock, "second", events))
        waiting.start()
        time.sleep(1.5)
        events.append("first releases")
    waiting.join(timeout=30)
    assert events == ["first releases", "second holds"]
    assert not open_store(lock).exists(lock)


def hold(lock: str, owner: str, events: list[str]) -> None:
    with partition_lock(lock, owner=owner, poll_s=0.1):
        events.append(f"{owner} holds")


def test_a_held_lock_stops_a_run_after_its_wait_with_the_lock_named(lake: str) -> None:
    lock = layout.publish_lock_uri(lake, layout.Layer.QUARANTINE, "orders", DAY)
    second = partition_lock(lock, owner="second", wait_s=0.5, poll_s=0.1)
    with partition_lock(lock, owner="first"), pytest.raises(PartitionLocked, match="dt=2024"):
        second.__enter__()


def test_a_lock_left_by_a_dead_run_is_taken_over(lake: str) -> None:
    lock = layout.publish_lock_uri(lake, layout.Layer.SILVER, "orders", DAY)
    open_store(lock).write_bytes(lock, b'{"owner": "crashed"}')
    with partition_lock(lock, owner="next", wait_s=0.5, stale_after_s=0.0):
        assert b"next" in open_store(lock).read_bytes(lock)


def concurrent_swaps(lake: str, monkeypatch: pytest.MonkeyPatch, locked: bool) -> set[str]:
    """Two runs swap three files each into one partition at once; what the partition holds."""
    store = open_store(lake)
    target = layout.partition_uri(lake, layout.Layer.SILVER, "orders", DAY)
    lock = layout.publish_lock_uri(lake, layout.Layer.SILVER, "orders", DAY)
    staged = {}
    for run in ("a", "b"):
        staged[run] = f"{lake}/_staging/silver/orders/{run}/__dt={DAY}"
        for part in range(3):
            store.write_bytes(f"{staged[run]}/part-{run}{part}.parquet", run.encode())
    write = type(store).write_bytes

    def slow_write(self, uri: str, data: bytes) -> None:
        time.sleep(0.2)  # copies take a while: the other run's swap overlaps this one
        write(self, uri, data)

    monkeypatch.setattr(type(store), "write_bytes", slow_write)

    def publish(run: str) -> None:
        if locked:
            with partition_lock(lock, owner=run, poll_s=0.05):
                io.replace_s3_prefix(staged[run], target)
        else:
            io.replace_s3_prefix(staged[run], target)

    threads = [threading.Thread(target=publish, args=(run,)) for run in staged]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return names(target)


def test_unlocked_swaps_of_one_partition_mix_two_runs_files(lake: str, monkeypatch) -> None:
    """Why the lock exists: both runs delete, then both copy."""
    held = concurrent_swaps(lake, monkeypatch, locked=False)
    assert {name[5] for name in held} == {"a", "b"}


def test_locked_swaps_of_one_partition_leave_one_runs_files_whole(lake: str, monkeypatch) -> None:
    held = concurrent_swaps(lake, monkeypatch, locked=True)
    assert held in ({f"part-{run}{i}.parquet" for i in range(3)} for run in "ab")


def test_write_partitions_publishes_under_the_lock_on_s3(
    lake: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spark writer's S3 branch takes the partition's lock around its swap."""
    taken: list[str] = []
    real_lock = io.partition_lock

    def recording_lock(uri: str, owner: str):
        taken.append(uri)
        return real_lock(uri, owner=owner)

    monkeypatch.setattr(io, "partition_lock", recording_lock)
    store = open_store(lake)
    staging_writes = []
    monkeypatch.setattr(io, "replace_s3_prefix", lambda s, t: staging_writes.append((s, t)))

    class Frame:  # the one DataFrame call chain write_partitions makes
        def coalesce(self, _n):
            return self

        @property
        def write(self):
            return self

        def mode(self, _m):
            return self

        def partitionBy(self, _c):  # noqa: N802 - Spark's name
            return self

        def parquet(self, path: str) -> None:
            store.write_bytes(f"{path}/{io.PARTITION}={DAY}/part-0.parquet", b"x")

    io.write_partitions(Frame(), lake, layout.Layer.SILVER, "orders", [DAY], schema=None)
    assert taken == [layout.publish_lock_uri(lake, layout.Layer.SILVER, "orders", DAY)]
    assert [t for _, t in staging_writes] == [
        layout.partition_uri(lake, layout.Layer.SILVER, "orders", DAY)
    ]
