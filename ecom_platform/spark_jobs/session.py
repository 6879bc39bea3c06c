"""Spark settings shared by local runs, tests, the benchmark and the Glue entry script.

The SQL settings are set explicitly because their defaults differ between Spark
3.5 (Glue 5) and 4.x: ANSI mode turns a bad cast into a job failure, and the
datetime parser policy turns an odd timestamp into an exception. With these,
one bad value quarantines one row on any version.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from py4j.java_gateway import java_import
from pyspark import SparkContext
from pyspark.sql import SparkSession

from ecom_platform.lib.owned_folders import claim_folder, remove_abandoned
from ecom_platform.spark_jobs import class_archive

# Safe to apply to a running session (Glue's, or one a resource built).
SQL_SETTINGS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}

# Only for a session this process starts itself: two cores, few shuffle partitions.
LOCAL_SPARK_CONFIG: dict[str, Any] = {
    "spark.app.name": "ecom-silver",
    # A scale-100 day (1.9M rows) runs as fast in 3g as in 4g, and the JVM's resident memory
    # stays about 250 MiB lower (2.3-2.4 against 2.5-2.7 GiB): the run's peak is the JVM
    # beside the run process at the end of silver.
    "spark.driver.memory": "3g",
    "spark.sql.shuffle.partitions": "4",
    # With 4 shuffle partitions there is little to re-plan; measured ~2x faster per entity.
    "spark.sql.adaptive.enabled": "false",
    # A cluster's executors (ECOM_SPARK_MASTER=spark://...) hold the rows: see DRIVER_JIT.
    "spark.executor.extraJavaOptions": "-XX:-DontCompileHugeMethods",
    # The cached classified rows are read once or twice within seconds: encoding them
    # (dictionary, run-length) costs more than it saves.
    "spark.sql.inMemoryColumnarStorage.compressed": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
DEFAULT_MASTER = "local[2]"

# An entity with fewer bronze rows than this has its expressions interpreted, not compiled:
# for a few thousand rows, generating, compiling (Janino) and JIT-compiling each entity's code
# costs more than it saves. Measured entity by entity in a fresh JVM: shipments (9k rows)
# 0.92 s interpreted against 1.23 s compiled, web events (9k) even, orders (20k) 2.09 s
# against 1.50 s. A scale-1 silver run (19k rows in all) took 8.1 s instead of 9.8 s.
# `factoryMode` is an internal setting, there since Spark 2.4.
INTERPRETED_BELOW_ROWS = 12_000
INTERPRETED_SETTINGS: dict[str, str] = {
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}

# The driver JVM's JIT. The generated code of an entity's parse/judge projection is one
# method above the JVM's 8,000-byte JIT limit, so by default it runs interpreted: a big input
# wants it compiled anyway. It is compiled with C1 only: C2 (the JVM's default top tier)
# spent 32-44 s of CPU compiling Spark's and the generated code in one scale-100 silver run
# on 2 cores, against 2-5 s for C1, while the tasks' CPU rose from 33-50 s to 49-71 s.
# Measured side by side on a scale-100 day, silver of 9 entities: C1 37.8 / 46.3 / 51.8 s,
# C2 42.3 / 56.4 s (the machine's speed drifted between pairs). A scale-1 day without
# compiling huge methods took 15.6 s against 16.0 s with (4 runs each, within the noise),
# so one setting serves every input and the JVM can start before the input is known.
DRIVER_JIT = "-XX:TieredStopAtLevel=1 -XX:-DontCompileHugeMethods"


def apply_sql_settings(spark: SparkSession) -> SparkSession:
    """Pin the settings our parsing relies on, whoever built the session."""
    for key, value in SQL_SETTINGS.items():
        spark.conf.set(key, value)
    import_functions_class(spark)
    return spark


def interpreting_session(spark: SparkSession) -> SparkSession:
    """A sibling of `spark` (same JVM and cache) that interprets expressions. Entities run side
    by side, so the setting cannot change on the shared session; a new session starts from the
    context's settings, so `SQL_SETTINGS` are applied again."""
    sibling = apply_sql_settings(spark.newSession())
    for key, value in INTERPRETED_SETTINGS.items():
        sibling.conf.set(key, value)
    return sibling


def import_functions_class(spark: SparkSession) -> None:
    """PySpark finds Spark's `functions` (behind every F.col, F.when...) through py4j's
    package imports: five failed class look-ups across Spark's 250 jars each time. Imported
    by name it is found first: a scale-1 silver run makes about 3,300 such calls, whose
    round trips took 3.7 s of its threads' time, and 1.8 s with the import."""
    java_import(spark.sparkContext._jvm, "org.apache.spark.sql.functions")


def spark_temp_folder(root: Path) -> Path:
    """This process's folder for Spark's and Java's temp files under `root`, after clearing
    the folders that killed runs left there (a SIGKILLed JVM deletes nothing)."""
    remove_abandoned(root)
    return claim_folder(root / f"{os.getpid()}-{uuid.uuid4().hex[:8]}")


def driver_java_options(temp: Path | None, dump_classes_to: Path | None = None) -> str:
    """The JIT, the class archive (used, or written at exit: `class_archive`), and
    java.io.tmpdir inside `temp`."""
    options = [DRIVER_JIT]
    if dump_classes_to is None:
        options += class_archive.archive_options(class_archive.archive_path())
    else:
        options += class_archive.dump_options(dump_classes_to)
    if temp is not None:
        options.append(f"-Djava.io.tmpdir={temp}")
    return " ".join(options)


@contextmanager
def spark_local_dirs(folder: Path | None) -> Iterator[None]:
    """SPARK_LOCAL_DIRS for the JVM being launched (the `spark.local.dir` setting works too,
    but makes Spark warn on the console that a cluster manager may override it)."""
    if folder is None:
        yield
        return
    saved = os.environ.get("SPARK_LOCAL_DIRS")
    os.environ["SPARK_LOCAL_DIRS"] = str(folder)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SPARK_LOCAL_DIRS", None)
        else:
            os.environ["SPARK_LOCAL_DIRS"] = saved


def build_local_session(
    master: str = DEFAULT_MASTER,
    temp_root: Path | None = None,
    dump_classes_to: Path | None = None,
) -> SparkSession:
    """A session this process owns, on local cores or on any Spark master (`spark://...`).

    With `temp_root`, Spark's scratch files live under it instead of the system temp folder;
    with `dump_classes_to`, the driver JVM writes its class archive there as it ends.
    """
    builder = SparkSession.builder.master(master)
    temp = None if temp_root is None else spark_temp_folder(temp_root)
    config = {
        **LOCAL_SPARK_CONFIG,
        "spark.driver.extraJavaOptions": driver_java_options(temp, dump_classes_to),
    }
    for key, value in config.items():
        builder = builder.config(key, value)
    with spark_local_dirs(temp):
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return apply_sql_settings(spark)


def session_running() -> bool:
    """Whether this process already has a Spark session (a test's, or Glue's)."""
    return SparkContext._active_spark_context is not None


def end_session(spark: SparkSession, timeout_s: float = 30) -> None:
    """Stop the session and end its JVM, so the next session starts a new one.

    `stop()` alone leaves PySpark's gateway JVM running with its heap committed: 2.2 GiB
    after a scale-100 silver run, held while dbt builds gold, the run's memory peak. The
    gateway JVM exits when its stdin closes (it watches it for its parent's death).
    """
    spark.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if process is not None:
        process.stdin.close()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
