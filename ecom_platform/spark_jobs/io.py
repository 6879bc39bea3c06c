"""Reading bronze and publishing silver/quarantine partitions, locally or on S3.

A run writes every partition of its range in one Spark job per table
(`partitionBy`) into a staging folder, then swaps each `dt=` folder into
place. Locally the swap is two renames on one file system (readers see the old
or the new folder, never a mix). On S3, which has no rename, each staged `dt=` folder becomes
a new version of the partition and one compare-and-swap PUT of its `_current` pointer makes it
visible, then the Glue catalog follows (lib/silver_publish.py; docs/architecture.md,
"Publishing silver on S3").

A run killed mid-write leaves its staging folder behind; the next write of the same
table removes the staging folders of runs that are gone (`remove_stale_staging`).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from ecom_platform.lib import lake as layout
from ecom_platform.lib.entities import Column, Entity
from ecom_platform.lib.glue_catalog import GlueCatalog
from ecom_platform.lib.lake import MALFORMED, Layer
from ecom_platform.lib.owned_folders import owned_folder, remove_abandoned
from ecom_platform.lib.parquet_files import empty_parquet_bytes, parquet_files
from ecom_platform.lib.silver_publish import publish_version
from ecom_platform.lib.storage import is_s3, join_uri, local_path, open_store
from ecom_platform.spark_jobs.schemas import spark_schema

# The partition value while a run is in flight; published as the `dt=` folder name.
PARTITION = "__dt"
EMPTY_FILE_NAME = "part-00000-empty.parquet"
# S3 has no locks: a staging folder there is stale once it is older than any run can be
# (48 h, the longest timeout a Glue job can have).
STALE_S3_STAGING_S = 48 * 3600


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
    frame: DataFrame,
    lake: str,
    layer: Layer,
    entity: str,
    dts: list[str],
    schema: pa.Schema,
    catalog: GlueCatalog | None = None,
) -> None:
    """Replace the partitions `dts` of `<lake>/<layer>/<entity>` with `frame`'s rows.

    `frame` carries the PARTITION column; each partition becomes one file, and
    a partition without rows still gets a schema-only file. One partition needs
    no shuffle to become one file; a range is spread over the shuffle partitions.
    On S3, `catalog` (the Glue catalog Spectrum reads) follows each published version.
    """
    remove_stale_staging(lake, layer, entity)
    with staging_folder(lake, layer, entity) as staging:
        one_file_per_dt = frame.coalesce(1) if len(dts) == 1 else frame.repartition(PARTITION)
        one_file_per_dt.write.mode("overwrite").partitionBy(PARTITION).parquet(spark_path(staging))
        for dt in dts:
            staged = join_uri(staging, f"{PARTITION}={dt}")
            if not parquet_files(staged):
                empty = join_uri(staged, EMPTY_FILE_NAME)
                open_store(empty).write_bytes(empty, empty_parquet_bytes(schema))
            run = staging.rsplit("/", 1)[-1]
            publish_partition(staged, lake, layer, entity, dt, run, catalog)


@contextmanager
def staging_folder(lake: str, layer: Layer, entity: str) -> Iterator[str]:
    """A fresh staging folder for one write, removed afterwards; locally it is owned
    (locked) by this process while in use, so a later run can tell it from a dead run's."""
    staging = layout.staging_uri(lake, layer, entity, uuid.uuid4().hex)
    if is_s3(staging):
        try:
            yield staging
        finally:
            remove_folder(staging)
    else:
        with owned_folder(local_path(staging)):
            yield staging


def remove_stale_staging(lake: str, layer: Layer, entity: str) -> list[str]:
    """Remove the staging output that killed runs left for this table; return what went.

    Locally that is every staging folder no live process owns; on S3, every run folder
    whose newest object is older than STALE_S3_STAGING_S. Runs still writing keep theirs.
    """
    parent = layout.staging_uri(lake, layer, entity, "")
    if not is_s3(parent):
        return [str(path) for path in remove_abandoned(local_path(parent))]
    newest: dict[str, float] = {}
    for info in open_store(parent).list_files(parent):
        run = info.uri[len(parent) :].split("/", 1)[0]
        newest[run] = max(newest.get(run, 0.0), info.modified)
    cutoff = time.time() - STALE_S3_STAGING_S
    stale = [join_uri(parent, run) for run, at in newest.items() if at < cutoff]
    for uri in stale:
        remove_folder(uri)
    return stale


def publish_partition(
    staged: str,
    lake: str,
    layer: Layer,
    entity: str,
    dt: str,
    run: str,
    catalog: GlueCatalog | None,
) -> None:
    """Swap one staged partition in: two renames locally; on S3 a new version named `run`."""
    if is_s3(lake):
        publish_version(staged, lake, layer, entity, dt, version=run, catalog=catalog)
    else:
        target = local_path(layout.partition_uri(lake, layer, entity, dt))
        replace_local_folder(local_path(staged), target)


def replace_local_folder(staged: Path, target: Path) -> None:
    """Rename the old folder away, the new one in, then delete the old one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    retired = staged.with_name(f"{staged.name}.retired")
    if target.exists():
        os.rename(target, retired)
    os.rename(staged, target)
    shutil.rmtree(retired, ignore_errors=True)


def remove_folder(uri: str) -> None:
    if is_s3(uri):
        store = open_store(uri)
        for info in store.list_files(uri):
            store.delete(info.uri)
    else:
        shutil.rmtree(local_path(uri), ignore_errors=True)
