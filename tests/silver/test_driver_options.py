"""The driver JVM's options (spark_jobs/session.py) and the input measure the run order uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecom_platform.lib.bronze import bronze_bytes
from ecom_platform.lib.lake import bronze_partition_uri
from ecom_platform.lib.storage import local_path
from ecom_platform.spark_jobs import class_archive
from ecom_platform.spark_jobs.session import DRIVER_JIT, driver_java_options


def test_the_driver_compiles_huge_methods_with_c1_and_keeps_temp_files_in_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(class_archive, "archive_path", lambda: None)
    assert DRIVER_JIT.split() == ["-XX:TieredStopAtLevel=1", "-XX:-DontCompileHugeMethods"]
    assert driver_java_options(None) == DRIVER_JIT
    assert driver_java_options(tmp_path).split() == [
        *DRIVER_JIT.split(),
        f"-Djava.io.tmpdir={tmp_path}",
    ]


def test_the_driver_maps_the_class_archive_once_it_exists_and_a_dump_writes_a_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    archive = tmp_path / "classes.jsa"
    monkeypatch.setattr(class_archive, "archive_path", lambda: archive)
    assert driver_java_options(None) == DRIVER_JIT
    archive.write_bytes(b"archive")
    assert f"-XX:SharedArchiveFile={archive}" in driver_java_options(None).split()
    dumping = driver_java_options(None, dump_classes_to=tmp_path / "new.jsa").split()
    assert f"-XX:ArchiveClassesAtExit={tmp_path / 'new.jsa'}" in dumping
    assert not any(option.startswith("-XX:SharedArchiveFile") for option in dumping)


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
