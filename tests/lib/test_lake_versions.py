"""The versioned layout on S3 and the resolver every reader goes through (no S3 needed here)."""

from __future__ import annotations

from ecom_platform.lib import lake
from ecom_platform.lib.lake import Layer


def test_a_version_and_the_pointer_live_inside_the_partition_folder() -> None:
    base = "s3://b/lake/silver/orders/dt=2024-01-01"
    assert lake.version_uri("s3://b/lake", Layer.SILVER, "orders", "2024-01-01", "r1") == (
        f"{base}/v=r1"
    )
    assert lake.pointer_uri("s3://b/lake", Layer.SILVER, "orders", "2024-01-01") == (
        f"{base}/_current"
    )
    assert lake.version_of_folder("v=r1") == "r1"
    assert lake.version_of_folder("part-0.parquet") is None
    assert lake.POINTER_NAME.startswith("_")  # Spark, Spectrum and Hive skip it


def test_a_local_partition_is_its_dt_folder(tmp_path, monkeypatch) -> None:
    """Local lakes keep the rename swap: the resolver reads no pointer there."""

    def no_pointer(uri: str) -> None:
        raise AssertionError(f"read a pointer on a local lake: {uri}")

    monkeypatch.setattr(lake, "read_pointer", no_pointer)
    for layer in lake.VERSIONED_LAYERS:
        assert lake.current_partition_uri(str(tmp_path), layer, "orders", "2024-01-01") == (
            lake.partition_uri(str(tmp_path), layer, "orders", "2024-01-01")
        )


def test_only_silver_and_quarantine_are_versioned() -> None:
    assert set(lake.VERSIONED_LAYERS) == {Layer.SILVER, Layer.QUARANTINE}
    stats = lake.current_partition_uri("s3://b/lake", Layer.STATS, "orders", "2024-01-01")
    assert stats == lake.partition_uri("s3://b/lake", Layer.STATS, "orders", "2024-01-01")
