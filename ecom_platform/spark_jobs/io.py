"""Reading bronze and publishing silver/quarantine partitions, locally or on S3.

A run writes every partition of its range in one Spark job per table
(`partitionBy`) into a staging folder, then swaps each `dt=` folder into
place. Locally the swap is two renames on one file system (readers see the old
or the new folder, never a mix); on S3 it is "delete the old objects, copy the
new ones", which is not atomic, and a reader may briefly see a partial folder
(docs/architecture.md, "Publishing silver on S3", says what replaces it). Two runs never
interleave their S3 swaps of one partition: each holds the partition's lock object.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from ecom_platform.lib import lake as layout
from ecom_platform.lib.entities import Column, Entity
from ecom_platform.lib.lake import MALFORMED, Layer
from ecom_platform.lib.parquet_files import empty_parquet_bytes, parquet_files
from ecom_platform.lib.publish_lock import partition_lock
from ecom_platform.lib.storage import is_s3, join_uri, local_path, open_store
from ecom_platform.spark_jobs.schemas import spark_schema

# The partition value while a run is in flight; published as the `dt=` folder name.
PARTITION = "__dt"
EMPTY_FILE_NAME = "part-00000-empty.parquet"


def spark_path(uri: str) -> str:
    """Spark resolves relative paths against its own working directory: make them absolute."""
    return uri if is_s3(uri) else str(local_path(uri).resolve())


def bronze_schema(entity: Entity) -> StructType:
    """What silver reads from bronze: lineage plus every contract column as a string.

    Reading with this schema (no inference job) also turns a column a file
    lacks into NULLs, which the rules then see as missing, and drops extras.
    """
    as_text = [Column(name) for name in entity.column_names]
    return spark_schema([*layout.LINEAGE, *as_text])


def read_bronze(spark: SparkSession, lake: str, entity: Entity, dts: list[str]) -> DataFrame:
    """Every bronze record of the given partitions in one DataFrame, tagged with its `dt`."""
    schema = bronze_schema(entity)
    uris = [layout.bronze_partition_uri(lake, entity.name, dt) for dt in dts]
    existing = [uri for uri in uris if open_store(uri).exists(uri)]
    if not existing:
        empty = StructType([StructField(PARTITION, StringType()), *schema.fields])
        return spark.createDataFrame([], empty)
    frame = (
        spark.read.schema(StructType([*schema.fields, StructField("dt", StringType())]))
        .option("basePath", spark_path(layout.entity_uri(lake, Layer.BRONZE, entity.name)))
        .parquet(*(spark_path(uri) for uri in existing))
    )
    return frame.select(
        F.col("dt").alias(PARTITION),
        *(name for name in schema.fieldNames() if name != MALFORMED),
        F.coalesce(F.col(MALFORMED), F.lit(False)).alias(MALFORMED),
    )


def write_partitions(
    frame: DataFrame, lake: str, layer: Layer, entity: str, dts: list[str], schema: pa.Schema
) -> None:
    """Replace the `dt=` folders of `dts` under `<lake>/<layer>/<entity>` with `frame`'s rows.

    `frame` carries the PARTITION column; each partition becomes one file, and
    a partition without rows still gets a schema-only file. One partition needs
    no shuffle to become one file; a range is spread over the shuffle partitions.
    """
    run = uuid.uuid4().hex
    staging = layout.staging_uri(lake, layer, entity, run)
    one_file_per_dt = frame.coalesce(1) if len(dts) == 1 else frame.repartition(PARTITION)
    (one_file_per_dt.write.mode("overwrite").partitionBy(PARTITION).parquet(spark_path(staging)))
    try:
        for dt in dts:
            staged = join_uri(staging, f"{PARTITION}={dt}")
            if not parquet_files(staged):
                empty = join_uri(staged, EMPTY_FILE_NAME)
                open_store(empty).write_bytes(empty, empty_parquet_bytes(schema))
            target = layout.partition_uri(lake, layer, entity, dt)
            if is_s3(target):
                with partition_lock(layout.publish_lock_uri(lake, layer, entity, dt), owner=run):
                    replace_s3_prefix(staged, target)
            else:
                replace_local_folder(local_path(staged), local_path(target))
    finally:
        remove_folder(staging)


def replace_local_folder(staged: Path, target: Path) -> None:
    """Rename the old folder away, the new one in, then delete the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    retired = staged.with_name(f"{staged.name}.retired")
    if target.exists():
        os.rename(target, retired)
    os.rename(staged, target)
    shutil.rmtree(retired, ignore_errors=True)


def replace_s3_prefix(staged: str, target: str) -> None:
    """Delete the old objects, then copy the staged ones in (S3 has no folder rename)."""
    store = open_store(target)
    for old in store.list_files(target):
        store.delete(old.uri)
    for new in store.list_files(staged):
        name = new.uri[len(staged.rstrip("/")) + 1 :]
        store.write_bytes(join_uri(target, name), store.read_bytes(new.uri))


def remove_folder(uri: str) -> None:
    if is_s3(uri):
        store = open_store(uri)
        for info in store.list_files(uri):
            store.delete(info.uri)
    else:
        shutil.rmtree(local_path(uri), ignore_errors=True)
