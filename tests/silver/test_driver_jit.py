"""The driver's JIT follows the size of the run's bronze input (spark_jobs/session.py)."""

from __future__ import annotations

from pathlib import Path

from ecom_platform.lib.bronze import bronze_bytes
from ecom_platform.lib.lake import bronze_partition_uri
from ecom_platform.lib.storage import local_path
from ecom_platform.spark_jobs.session import (
    BIG_INPUT_JIT,
    SMALL_INPUT_BYTES,
    SMALL_INPUT_JIT,
    driver_java_options,
)


def test_small_inputs_stop_at_c1_and_big_or_unknown_ones_compile_huge_methods(tmp_path: Path):
    assert driver_java_options(SMALL_INPUT_BYTES - 1, None) == SMALL_INPUT_JIT
    assert driver_java_options(SMALL_INPUT_BYTES, None) == BIG_INPUT_JIT
    assert driver_java_options(None, None) == BIG_INPUT_JIT
    with_temp = driver_java_options(0, tmp_path).split()
    assert with_temp == [SMALL_INPUT_JIT, f"-Djava.io.tmpdir={tmp_path}"]


def test_bronze_bytes_add_up_the_selected_partitions_only(tmp_path: Path):
    lake = str(tmp_path / "lake")
    sizes = {
        ("orders", "2024-01-01"): 100,
        ("orders", "2024-01-02"): 30,
        ("customers", "2024-01-01"): 7,
    }
    for (entity, dt), size in sizes.items():
        path = local_path(bronze_partition_uri(lake, entity, dt))
        path.parent.mkdir(parents=True)
        path.write_bytes(b"x" * size)
    assert bronze_bytes(lake, ["orders", "customers"], ["2024-01-01"]) == 107
    assert bronze_bytes(lake, ["orders"], ["2024-01-01", "2024-01-02", "2024-01-03"]) == 130
