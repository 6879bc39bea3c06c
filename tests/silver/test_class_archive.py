"""The Spark driver's class archive (spark_jobs/class_archive.py): named after what it
depends on, written whole or not at all, and mapped by the sessions of this install."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest
from pyspark.sql import SparkSession

from ecom_platform.spark_jobs import class_archive


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """A fake JDK and Spark install the archive's name is derived from."""
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("")
    jars = tmp_path / "pyspark" / "jars"
    jars.mkdir(parents=True)
    (jars / "spark-core_2.12-3.5.1.jar").write_text("")
    fake_pyspark = SimpleNamespace(__file__=str(jars.parent / "__init__.py"), __version__="3.5.1")
    monkeypatch.setattr(class_archive, "pyspark", fake_pyspark)
    monkeypatch.setenv("JAVA_HOME", str(java.parent.parent))
    return SimpleNamespace(java=java, jars=jars, pyspark=fake_pyspark)


def test_the_archive_name_changes_with_the_jdk_the_spark_version_and_the_jars(install):
    first = class_archive.archive_path()
    assert first is not None and first.parent == class_archive.ARCHIVE_FOLDER
    assert class_archive.archive_path() == first
    (install.jars / "extra.jar").write_text("")
    after_new_jar = class_archive.archive_path()
    os.utime(install.java, ns=(1, 1))
    after_new_jdk = class_archive.archive_path()
    install.pyspark.__version__ = "3.5.2"
    after_upgrade = class_archive.archive_path()
    assert len({first, after_new_jar, after_new_jdk, after_upgrade}) == 4


def test_without_a_jdk_there_is_no_archive_and_no_option(install, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(install.java.parent / "missing"))
    assert class_archive.archive_path() is None
    assert class_archive.archive_options(None) == []


def test_the_archive_is_published_under_its_name_only_when_the_jvm_wrote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    archive = tmp_path / "share" / "classes.jsa"

    def jvm_that_writes(work: Path, dump_to: Path) -> None:
        assert not archive.exists()
        dump_to.write_bytes(b"classes")

    monkeypatch.setattr(class_archive, "warm_up", jvm_that_writes)
    class_archive.make_archive(archive)
    assert archive.read_bytes() == b"classes"
    assert sorted(archive.parent.iterdir()) == [archive]

    archive.unlink()
    monkeypatch.setattr(class_archive, "warm_up", lambda work, dump_to: None)
    with pytest.raises(RuntimeError, match="without writing the class archive"):
        class_archive.make_archive(archive)
    assert list(archive.parent.iterdir()) == []


def test_a_failed_warm_up_leaves_no_archive_and_says_so_without_failing_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    archive = tmp_path / "classes.jsa"
    monkeypatch.setattr(class_archive, "archive_path", lambda: archive)

    def failing_silver(work: Path, dump_to: Path) -> None:
        dump_to.write_bytes(b"half")
        raise ValueError("silver failed")

    monkeypatch.setattr(class_archive, "warm_up", failing_silver)
    assert class_archive.main() == 0
    assert "not made (silver failed)" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def shared_class_counts(spark: SparkSession) -> tuple[int, int]:
    """(classes mapped from an archive, classes loaded from jars) of the session's JVM."""
    pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()  # type: ignore[union-attr]
    java = class_archive.java_binary()
    assert java is not None
    counters = subprocess.run(
        [str(java.parent / "jcmd"), str(pid), "PerfCounter.print"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    values = dict(line.split("=", 1) for line in counters.splitlines() if "=" in line)
    return int(values["java.cls.sharedLoadedClasses"]), int(values["java.cls.loadedClasses"])


def test_the_install_made_the_archive_and_a_session_maps_most_of_its_classes_from_it(spark):
    archive = class_archive.archive_path()
    assert archive is not None and archive.is_file(), "`make venv` makes the class archive"
    spark.range(10).selectExpr("sum(id)").collect()
    mapped, loaded = shared_class_counts(spark)
    # The JDK's own archive maps ~1,200 classes; with Spark's, ~10,000 are mapped.
    assert mapped > 5_000, f"{mapped} classes mapped, {loaded} loaded from jars"
