"""Publishing a partition on S3 (SeaweedFS): readers see the old version or the new one whole.

Failures are injected between the steps of lib/silver_publish.py; the Glue catalog is a
stand-in at boto3's Glue API (tests/glue_standin.py), everything else is the real S3 path.
"""

from __future__ import annotations

import threading
import time
import uuid

import pyarrow as pa
import pytest

from ecom_platform.lib import lake as layout
from ecom_platform.lib import partition_pointer, silver_publish
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.glue_catalog import CatalogPartition, GlueCatalog
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.parquet_files import count_rows, parquet_bytes
from ecom_platform.lib.partition_pointer import read_pointer, swap_pointer
from ecom_platform.lib.silver_publish import publish_version, remove_old_versions, versions
from ecom_platform.lib.silver_tables import quarantine_files, silver_arrow_schema, silver_files
from ecom_platform.lib.storage import open_store
from ecom_platform.spark_jobs import io
from tests.glue_standin import StandInGlue

pytestmark = pytest.mark.slow

DAY = "2024-01-01"
ENTITY = "inventory"
PARTITION = CatalogPartition.of(Layer.SILVER, ENTITY, DAY)


@pytest.fixture
def lake(s3_env) -> str:
    bucket = s3_env.create_bucket(f"publish-{uuid.uuid4().hex[:16]}")
    return f"s3://{bucket}/lake"


@pytest.fixture
def glue(lake: str) -> StandInGlue:
    return StandInGlue(lake)


def rows_file(run: str, rows: int) -> bytes:
    """A silver file of `rows` rows whose warehouse_id names the run that wrote it."""
    row = {"warehouse_id": run, "product_id": "p", "on_hand_qty": 1}
    return parquet_bytes(
        pa.Table.from_pylist([row] * rows, silver_arrow_schema(get_entity(ENTITY)))
    )


def stage(lake: str, run: str, files: int = 3, rows: int = 2) -> str:
    """A run's staged output for the partition: `files` files of `rows` rows each."""
    staged = f"{lake}/_staging/silver/{ENTITY}/{run}/__dt={DAY}"
    store = open_store(staged)
    for part in range(files):
        store.write_bytes(f"{staged}/part-{run}-{part}.parquet", rows_file(run, rows))
    return staged


def publish(lake: str, run: str, glue: StandInGlue | None, **options) -> None:
    catalog = GlueCatalog(glue, glue.database) if glue else None
    publish_version(stage(lake, run), lake, Layer.SILVER, ENTITY, DAY, run, catalog, **options)


def runs_read(lake: str) -> set[str]:
    """Which runs wrote the files a reader of the partition gets."""
    return {uri.rsplit("/", 1)[-1].split("-")[1] for uri in silver_files(lake, ENTITY, DAY)}


def version_location(lake: str, run: str) -> str:
    return layout.version_uri(lake, Layer.SILVER, ENTITY, DAY, run) + "/"


def test_a_published_version_is_what_every_reader_and_the_catalog_see(lake, glue) -> None:
    publish(lake, "a", glue)
    assert silver_files(lake, ENTITY, DAY) == [
        f"{layout.version_uri(lake, Layer.SILVER, ENTITY, DAY, 'a')}/part-a-{i}.parquet"
        for i in range(3)
    ]
    assert count_rows(silver_files(lake, ENTITY, DAY)) == 6
    assert read_pointer(layout.pointer_uri(lake, Layer.SILVER, ENTITY, DAY)).version == "a"
    assert glue.location(ENTITY, DAY) == version_location(lake, "a")
    assert layout.partitions(lake, Layer.SILVER, ENTITY) == [DAY]


def test_a_crash_before_the_pointer_leaves_the_old_partition_whole(lake, glue, monkeypatch):
    publish(lake, "a", glue)

    def crash(*_args, **_kwargs):
        raise RuntimeError("killed after writing its version")

    monkeypatch.setattr(silver_publish, "point_to", crash)
    with pytest.raises(RuntimeError, match="killed"):
        publish(lake, "b", glue)
    monkeypatch.undo()
    assert len(versions(lake, Layer.SILVER, ENTITY, DAY)["b"]) == 3  # written, never current
    assert runs_read(lake) == {"a"}
    assert count_rows(silver_files(lake, ENTITY, DAY)) == 6
    assert glue.location(ENTITY, DAY) == version_location(lake, "a")

    publish(lake, "c", glue, keep_recent_s=0)  # the next run clears the orphan version
    assert runs_read(lake) == {"c"}
    assert set(versions(lake, Layer.SILVER, ENTITY, DAY)) == {"a", "c"}


def test_a_crash_before_the_catalog_is_repaired_by_the_next_publish(lake, glue) -> None:
    publish(lake, "a", glue)
    glue.failures.append("GetPartition")  # the run dies at its catalog step
    with pytest.raises(Exception, match="InternalServiceException"):
        publish(lake, "b", glue)
    assert runs_read(lake) == {"b"}  # readers that follow the pointer get the new partition
    assert glue.location(ENTITY, DAY) == version_location(lake, "a")  # Spectrum: the old one
    assert "a" in versions(lake, Layer.SILVER, ENTITY, DAY)  # whole, until the catalog moves

    publish(lake, "c", glue, keep_recent_s=0)
    assert glue.location(ENTITY, DAY) == version_location(lake, "c")
    assert set(versions(lake, Layer.SILVER, ENTITY, DAY)) == {"b", "c"}


def test_a_pointer_swap_fails_when_another_run_swapped_first(lake: str) -> None:
    uri = layout.pointer_uri(lake, Layer.SILVER, ENTITY, DAY)
    assert swap_pointer(uri, "a", seen=None)
    assert not swap_pointer(uri, "b", seen=None)  # If-None-Match: * on an existing pointer
    seen = read_pointer(uri)
    assert swap_pointer(uri, "c", seen)
    assert not swap_pointer(uri, "d", seen)  # If-Match on an ETag that is gone
    assert (read_pointer(uri).version, read_pointer(uri).previous) == ("c", "a")


def test_concurrent_publishes_leave_one_whole_version(lake, glue, monkeypatch) -> None:
    """Both runs read the pointer before either swaps: one loses the compare-and-swap,
    reads again and wins on retry, so the last to finish is current, and never a mix."""
    publish(lake, "a", glue)
    both_read = threading.Barrier(2, timeout=30)
    swaps: list[tuple[str, bool]] = []
    real_swap = partition_pointer.swap_pointer

    def racing_swap(uri: str, version: str, seen):
        if not any(v == version for v, _ in swaps):
            both_read.wait()  # each run's first attempt starts from the same pointer
        won = real_swap(uri, version, seen)
        swaps.append((version, won))
        return won

    monkeypatch.setattr(partition_pointer, "swap_pointer", racing_swap)
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            publish(lake, name, glue)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    losers = [version for version, won in swaps if not won]
    assert len(losers) == 1  # exactly one first attempt lost the race ...
    winner = swaps[-1][0]
    assert swaps[-1] == (losers[0], True)  # ... and won on its retry
    assert runs_read(lake) == {winner}
    assert count_rows(silver_files(lake, ENTITY, DAY)) == 6
    assert read_pointer(layout.pointer_uri(lake, Layer.SILVER, ENTITY, DAY)).version == winner
    assert glue.location(ENTITY, DAY) == version_location(lake, winner)


def test_old_versions_go_keeping_current_previous_and_recent(lake: str) -> None:
    for run in ("a", "b", "c"):
        publish(lake, run, None)
    assert set(versions(lake, Layer.SILVER, ENTITY, DAY)) == {"a", "b", "c"}  # all < 1 h old
    publish(lake, "d", None, keep_recent_s=0)
    assert set(versions(lake, Layer.SILVER, ENTITY, DAY)) == {"c", "d"}
    assert remove_old_versions(lake, Layer.SILVER, ENTITY, DAY, keep_recent_s=0) == []


def test_a_version_younger_than_the_window_is_kept(lake: str) -> None:
    """A reader may still be reading it (it resolved the pointer just before a swap), and a
    version another run is still writing is young too."""
    publish(lake, "a", None)
    time.sleep(3)  # S3 times have whole seconds
    for run in ("b", "c"):
        publish(lake, run, None)
    publish(lake, "d", None, keep_recent_s=2)
    assert set(versions(lake, Layer.SILVER, ENTITY, DAY)) == {"b", "c", "d"}


def test_write_partitions_publishes_versions_on_s3_and_the_catalog_follows(lake, glue) -> None:
    """The Spark writer's S3 branch (the Glue job's path), up to the DataFrame calls."""
    store = open_store(lake)
    schema = silver_arrow_schema(get_entity(ENTITY))

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
            store.write_bytes(f"{path}/{io.PARTITION}={DAY}/part-0.parquet", rows_file("x", 4))

    catalog = GlueCatalog(glue, glue.database)
    for layer in (Layer.SILVER, Layer.QUARANTINE):
        io.write_partitions(Frame(), lake, layer, ENTITY, [DAY], schema, catalog)
    assert count_rows(silver_files(lake, ENTITY, DAY)) == 4
    assert count_rows(quarantine_files(lake, ENTITY, DAY)) == 4
    for layer, partition in (
        (Layer.SILVER, PARTITION),
        (Layer.QUARANTINE, CatalogPartition.of(Layer.QUARANTINE, ENTITY, DAY)),
    ):
        current = layout.current_partition_uri(lake, layer, ENTITY, DAY)
        assert layout.version_of_folder(current.rsplit("/", 1)[-1])  # a version, not dt=
        assert glue.location(partition.table, *partition.values) == f"{current}/"
    assert store.list_files(f"{lake}/_staging") == []
