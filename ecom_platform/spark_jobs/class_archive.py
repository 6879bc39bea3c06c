"""A class-data-sharing archive of the classes a silver run loads, made once per install.

A Spark driver JVM spends most of its 2.5-3 s start (and of the first job's)
loading and verifying classes from 250 jars, on both cores at once, while
bronze runs beside it. The JVM can map those classes from an archive
instead (JDK 13+ "dynamic" AppCDS: `-XX:ArchiveClassesAtExit` writes one
as a JVM ends, `-XX:SharedArchiveFile` uses it): measured here, session
start 2.8-3.0 -> 1.4-1.7 s and the first job 2.7-2.8 -> 1.5-1.8 s.

    .venv/bin/python -m ecom_platform.spark_jobs.class_archive

(`make venv` runs it) makes the archive by running silver over a small
generated day, so the classes of a real run are the ones archived. It is
named after what it depends on (the JDK, Spark's jars), so after an upgrade
the name changes, no archive is found, and the JVM loads classes as usual:
the archive only ever saves time. Glue and Spark clusters start their own
JVMs and are not affected.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pyspark

ARCHIVE_FOLDER = Path(sys.prefix) / "share" / "ecom-platform"
# Big enough that web events are compiled (12,000 rows, see pipeline.session_for) and the
# small entities interpreted, so the classes of both ways are archived.
WARM_UP_SCALE = 2.0
WARM_UP_DAY = date(2024, 1, 1)


def java_binary() -> Path | None:
    """The `java` PySpark launches: JAVA_HOME's, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    found = Path(home) / "bin" / "java" if home else shutil.which("java")
    return Path(found).resolve() if found else None


def archive_path() -> Path | None:
    """Where this JDK and Spark installation's archive lives (None without a JDK)."""
    java = java_binary()
    if java is None or not java.exists():
        return None
    jars = Path(pyspark.__file__).parent / "jars"
    identity = [pyspark.__version__, str(java), str(java.stat().st_mtime_ns)]
    identity += sorted(os.listdir(jars)) if jars.is_dir() else []
    digest = hashlib.sha256("\n".join(identity).encode()).hexdigest()[:16]
    return ARCHIVE_FOLDER / f"spark-classes-{digest}.jsa"


def archive_options(archive: Path | None) -> list[str]:
    """JVM options that map the archive's classes, if it exists (nothing otherwise)."""
    if archive is None or not archive.is_file():
        return []
    return [f"-XX:SharedArchiveFile={archive}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]


def dump_options(target: Path) -> list[str]:
    """JVM options that write the archive as the JVM ends."""
    return [f"-XX:ArchiveClassesAtExit={target}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]


def warm_up(work: Path, dump_to: Path) -> None:
    """Generate, ingest and run silver over one small day in a JVM that dumps its classes."""
    from ecom_platform.generator import generate
    from ecom_platform.lib.bronze import build_bronze_partition, write_bronze_partition
    from ecom_platform.lib.entities import ENTITIES
    from ecom_platform.lib.ingest_pool import IngestPool
    from ecom_platform.spark_jobs.pipeline import run_silver
    from ecom_platform.spark_jobs.session import build_local_session, end_session

    landing, lake = str(work / "landing"), str(work / "lake")
    generate(landing, WARM_UP_DAY, 1, WARM_UP_SCALE, 42, 0.02)
    dt = WARM_UP_DAY.isoformat()
    with IngestPool(workers=1) as pool:
        for entity in ENTITIES:
            partition = build_bronze_partition(entity, dt, landing, datetime.now(UTC), pool)
            write_bronze_partition(lake, partition)
    spark = build_local_session(temp_root=work / "spark", dump_classes_to=dump_to)
    try:
        run_silver(spark, lake, [entity.name for entity in ENTITIES], [dt])
    finally:
        end_session(spark, timeout_s=300)  # the JVM writes the archive as it exits


def make_archive(archive: Path) -> None:
    """Write `archive` through a temporary name, so a JVM never maps a half-written one."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="class-archive-") as work:
        partial = archive.parent / f".{archive.name}.{os.getpid()}"
        try:
            warm_up(Path(work), partial)
            if not partial.is_file():
                raise RuntimeError("the JVM ended without writing the class archive")
            partial.replace(archive)
        finally:
            partial.unlink(missing_ok=True)


def main() -> int:
    archive = archive_path()
    if archive is None:
        print("class archive: no java found (JAVA_HOME or PATH); Spark starts without one")
        return 0
    if archive.is_file():
        return 0
    began = time.perf_counter()
    print(f"class archive: running silver over a small day to make {archive} ...")
    try:
        make_archive(archive)
    except Exception as error:  # the archive only saves time: never fail an install over it
        print(f"class archive: not made ({error}); Spark starts without it", file=sys.stderr)
        return 0
    size_mib = archive.stat().st_size / 2**20
    print(f"class archive: {size_mib:,.0f} MiB in {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
