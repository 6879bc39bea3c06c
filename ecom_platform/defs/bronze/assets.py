"""The bronze multi-asset: every selected entity for every partition of the run, in one step.

One step per run (SINGLE_RUN backfills) so a range backfill lists the landing
zone and writes each partition once, not once per Dagster step.
"""

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.keys import bronze_asset_key
from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN
from ecom_platform.lib.bronze import (
    BronzePartition,
    bronze_schema,
    build_bronze_partition,
    write_bronze_partition,
)
from ecom_platform.lib.entities import ENTITIES, Entity
from ecom_platform.lib.ingest_pool import IngestPool
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.landing import FileStatus, unknown_entity_folders


def column_schema(entity: Entity) -> dg.TableSchema:
    """The columns every partition has (drift columns come on top and are listed per run)."""
    return dg.TableSchema(
        columns=[dg.TableColumn(f.name, str(f.type)) for f in bronze_schema(entity)]
    )


def bronze_spec(entity: Entity) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=bronze_asset_key(entity.name),
        description=f"{entity.description} Landing files as all-string Parquet with lineage.",
        group_name=Layer.BRONZE.value,
        kinds={"parquet"},
        metadata={"dagster/column_schema": column_schema(entity)},
    )


def rejected_files_markdown(partition: BronzePartition) -> str:
    rows = [f"| {f.source_file} | {f.reason} | {f.message} |" for f in partition.quarantined]
    return "\n".join(["| file | reason | detail |", "|---|---|---|", *rows]) if rows else "none"


def partition_metadata(partition: BronzePartition, data_uri: str) -> dict[str, object]:
    """Numbers as ints so the UI plots them per partition."""
    return {
        "dagster/row_count": partition.table.num_rows,
        "files": len(partition.files),
        "rows": partition.table.num_rows,
        "bytes": partition.bytes_read,
        "malformed_rows": partition.malformed_rows,
        "rejected_files": len(partition.quarantined),
        "rejected": dg.MetadataValue.md(rejected_files_markdown(partition)),
        "duplicate_files": partition.count(FileStatus.DUPLICATE),
        "empty_files": partition.count(FileStatus.EMPTY),
        "extra_columns": dg.MetadataValue.json(list(partition.extra_columns)),
        "extra_column_count": len(partition.extra_columns),
        "path": dg.MetadataValue.path(data_uri),
    }


def progress_line(partition: BronzePartition) -> str:
    line = (
        f"bronze/{partition.entity} dt={partition.dt}: {len(partition.files)} files, "
        f"{partition.table.num_rows} rows, {partition.malformed_rows} malformed, "
        f"{len(partition.quarantined)} rejected, {partition.count(FileStatus.DUPLICATE)} duplicate"
    )
    if partition.extra_columns:
        line += f"; extra columns {json.dumps(partition.extra_columns)}"
    return line


# Partition metadata of a day bronze could not write: the check rejects the day with it.
ERROR_METADATA = "error"


def ingest_partition(
    context: dg.AssetExecutionContext,
    lake: LakeResource,
    entity: Entity,
    dt: str,
    at: datetime,
    pool: IngestPool,
) -> dict[str, object]:
    """Write one entity and day; a failure (after the S3 client's retries) is reported for
    that day only, naming it, so the run's other days go on (defs/day_outcomes.py)."""
    try:
        partition = build_bronze_partition(entity, dt, lake.landing_uri, at, pool)
        data_uri, _ = write_bronze_partition(lake.lake_uri, partition)
    except Exception as exc:  # any failure of one day must not stop the others
        message = f"bronze/{entity.name} dt={dt} failed: {type(exc).__name__}: {exc}"
        context.log.error(message)
        return {ERROR_METADATA: message}
    context.log.info(progress_line(partition))
    for skipped in partition.skipped:
        context.log.warning(f"{skipped.uri} skipped: it {skipped.reason}")
    for rejected in partition.quarantined:
        context.log.warning(f"{rejected.source_file}: {rejected.message} ({rejected.reason})")
    return partition_metadata(partition, data_uri)


@dg.multi_asset(
    name="bronze",
    specs=[bronze_spec(e) for e in ENTITIES],
    can_subset=True,
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
)
def bronze_assets(
    context: dg.AssetExecutionContext, lake: LakeResource
) -> Iterator[dg.MaterializeResult]:
    ingested_at = datetime.now(UTC)
    dts = context.partition_keys
    for name in unknown_entity_folders(lake.landing_uri, (e.name for e in ENTITIES)):
        context.log.warning(
            f"landing folder {name}/ is not an entity of the contract; its files are not read"
        )
    with IngestPool() as pool:
        for entity in ENTITIES:
            key = bronze_asset_key(entity.name)
            if key not in context.selected_asset_keys:
                continue
            for dt in dts:
                metadata = ingest_partition(context, lake, entity, dt, ingested_at, pool)
                context.add_asset_metadata(metadata, asset_key=key, partition_key=dt)
            yield dg.MaterializeResult(asset_key=key)
