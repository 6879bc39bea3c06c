"""The parents' keys the orphan count checks against: every current silver partition's,
while a run reads only the partitions published since the last one (the issue's "no re-read
of every silver partition")."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from ecom_platform.lib import lake, silver_tables
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.parquet_files import parquet_bytes
from ecom_platform.lib.silver_publish import publish_version
from ecom_platform.lib.silver_tables import known_keys
from ecom_platform.lib.storage import open_store
from ecom_platform.spark_jobs.io import remove_folder


def customers(*ids: str | None) -> bytes:
    return parquet_bytes(pa.table({"customer_id": pa.array(ids, pa.string())}))


def write_partition(lake_uri: str, dt: str, *ids: str | None, name: str = "part-0") -> None:
    uri = f"{lake.silver_partition_uri(lake_uri, 'customers', dt)}/{name}.parquet"
    open_store(uri).write_bytes(uri, customers(*ids))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The partitions known_keys reads from silver, in order."""
    read: list[str] = []
    real = silver_tables.partition_keys

    def recording(lake_uri: str, entity: str, column: str, dt: str) -> pa.Table:
        read.append(dt)
        return real(lake_uri, entity, column, dt)

    monkeypatch.setattr(silver_tables, "partition_keys", recording)
    return read


def keys(lake_uri: str) -> list[str]:
    return sorted(known_keys(lake_uri, "customers", "customer_id").to_pylist())


def test_reads_only_partitions_published_since_the_last_call(tmp_path: Path, reads) -> None:
    lake_uri = str(tmp_path / "lake")
    write_partition(lake_uri, "2024-01-01", "C1", "C2", None)
    write_partition(lake_uri, "2024-01-02", "C2", "C3")
    write_partition(lake_uri, "2024-01-03", None)  # no key at all: still remembered as read

    assert keys(lake_uri) == ["C1", "C2", "C3"]
    assert reads == ["2024-01-01", "2024-01-02", "2024-01-03"]

    reads.clear()
    assert keys(lake_uri) == ["C1", "C2", "C3"]
    assert reads == []

    write_partition(lake_uri, "2024-01-02", "C4", name="part-0")  # a rerun's new files
    write_partition(lake_uri, "2024-01-04", "C5")
    assert keys(lake_uri) == ["C1", "C2", "C4", "C5"]  # C3 went with 01-02's old version
    assert reads == ["2024-01-02", "2024-01-04"]


def test_a_removed_partition_takes_its_keys_along(tmp_path: Path, reads) -> None:
    lake_uri = str(tmp_path / "lake")
    write_partition(lake_uri, "2024-01-01", "C1")
    write_partition(lake_uri, "2024-01-02", "C2")
    assert keys(lake_uri) == ["C1", "C2"]

    remove_folder(lake.silver_partition_uri(lake_uri, "customers", "2024-01-01"))
    reads.clear()
    assert keys(lake_uri) == ["C2"]
    assert reads == []


@pytest.mark.parametrize(
    "damage",
    [
        b"not parquet",
        parquet_bytes(pa.table({"dt": ["2024-01-01"], "key": ["C9"]})),  # no fingerprints
    ],
    ids=["torn", "foreign"],
)
def test_an_unreadable_cache_is_rebuilt_from_silver(tmp_path: Path, reads, damage) -> None:
    lake_uri = str(tmp_path / "lake")
    write_partition(lake_uri, "2024-01-01", "C1")
    assert keys(lake_uri) == ["C1"]
    cache = lake.known_keys_uri(lake_uri, "customers", "customer_id")
    open_store(cache).write_bytes(cache, damage)

    reads.clear()
    assert keys(lake_uri) == ["C1"]
    assert reads == ["2024-01-01"]
    reads.clear()
    assert keys(lake_uri) == ["C1"]  # and written again
    assert reads == []


def test_no_silver_yet_knows_no_keys(tmp_path: Path) -> None:
    assert keys(str(tmp_path / "lake")) == []


@pytest.mark.slow
def test_on_s3_a_new_version_is_read_and_the_old_one_forgotten(s3_env, reads) -> None:
    """On S3 a partition is the version its pointer names; one listing tells what changed."""
    lake_uri = f"s3://{s3_env.create_bucket('lake-keys')}/lake"
    store = open_store(lake_uri)

    def publish(dt: str, run: str, *ids: str) -> None:
        staged = f"{lake_uri}/_staging/silver/customers/{run}/__dt={dt}"
        store.write_bytes(f"{staged}/part-{run}.parquet", customers(*ids))
        publish_version(staged, lake_uri, Layer.SILVER, "customers", dt, run, catalog=None)
        remove_folder(f"{lake_uri}/_staging")

    publish("2024-01-01", "run0", "C1")
    publish("2024-01-02", "run0", "C2")
    assert keys(lake_uri) == ["C1", "C2"]
    assert reads == ["2024-01-01", "2024-01-02"]

    reads.clear()
    publish("2024-01-02", "run1", "C3")  # the older version stays in the bucket for a while
    assert keys(lake_uri) == ["C1", "C3"]
    assert reads == ["2024-01-02"]
    reads.clear()
    assert keys(lake_uri) == ["C1", "C3"]
    assert reads == []
