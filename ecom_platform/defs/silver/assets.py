"""The silver multi-asset: nine `silver/<entity>` assets computed in one step per run.

One step (not nine) so a run pays Spark start-up, or one Glue job, once; the
step walks every partition of the run's range (`context.partition_keys`) and
the selected entities. Each partition gets its own materialization with its
numbers (rows in/out, quarantined by reason, duplicates, orphans), which the
UI plots per partition.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import dagster as dg

from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN
from ecom_platform.defs.silver.resources import silver_resource_key
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.silver_tables import PartitionStats
from ecom_platform.settings import Target, load_aws_settings, load_settings
from ecom_platform.spark_jobs.pipeline import run_silver

SILVER_PREFIX = "silver"
BRONZE_PREFIX = "bronze"
PARTITION_STATS_KEY = "partition_stats"  # the Glue script's per-partition payload


def silver_asset_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey([SILVER_PREFIX, entity])


def silver_specs() -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            silver_asset_key(entity.name),
            deps=[dg.AssetKey([BRONZE_PREFIX, entity.name])],
            description=f"{entity.description} Typed, normalised, deduplicated.",
            group_name=SILVER_PREFIX,
            kinds={"spark", "parquet"},
            skippable=True,
        )
        for entity in ENTITIES
    ]


def partition_metadata(stats: PartitionStats) -> dict[str, int]:
    metadata = {
        "rows_in": stats.rows_in,
        "rows_out": stats.silver_rows,
        "quarantined": stats.quarantined,
        "duplicates": stats.duplicates,
        "orphans": sum(stats.orphans.values()),
    }
    metadata.update({f"quarantined:{code}": n for code, n in stats.quarantined_by_reason.items()})
    metadata.update({f"orphans:{column}": n for column, n in stats.orphans.items()})
    return metadata


def run_metadata(partitions: list[PartitionStats]) -> dict[str, int]:
    """Totals over the run's partitions (what a range materialization shows as a whole)."""
    totals: Counter[str] = Counter()
    for stats in partitions:
        totals.update(partition_metadata(stats))
    return {**dict(totals), "partitions": len(partitions)}


def materialization_events(
    stats: dict[str, list[PartitionStats]], extra: dict[str, Any]
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    """One result per entity; in a range run also one event per partition, yielded after it.

    Dagster records a range's MaterializeResult on every partition of the
    range, so the per-partition events come last and are what each partition shows.
    """
    for entity, partitions in stats.items():
        key = silver_asset_key(entity)
        if len(partitions) == 1:
            yield dg.MaterializeResult(
                asset_key=key, metadata={**partition_metadata(partitions[0]), **extra}
            )
            continue
        yield dg.MaterializeResult(asset_key=key, metadata={**run_metadata(partitions), **extra})
        for partition in partitions:
            yield dg.AssetMaterialization(
                asset_key=key, partition=partition.dt, metadata=partition_metadata(partition)
            )


def selected_entities(context: dg.AssetExecutionContext) -> list[str]:
    selected = context.selected_asset_keys
    return [e.name for e in ENTITIES if silver_asset_key(e.name) in selected]


def glue_arguments(lake: str, entities: list[str], dts: list[str]) -> dict[str, str]:
    """Job arguments as Glue passes them to `spark_jobs/glue_entry.py`."""
    return {"--lake_uri": lake, "--entities": ",".join(entities), "--dts": ",".join(dts)}


def run_on_glue(
    context: dg.AssetExecutionContext, glue: Any, lake: str, entities: list[str], dts: list[str]
) -> tuple[dict[str, list[PartitionStats]], dict[str, Any]]:
    """Run the Glue job; read each entity's per-partition statistics from its Pipes report."""
    invocation = glue.run(
        context=context,
        start_job_run_params={
            "JobName": load_aws_settings().glue_job_name,
            "Arguments": glue_arguments(lake, entities, dts),
        },
    )
    stats = {
        result.asset_key.path[-1]: [
            PartitionStats.from_dict(item)
            for item in result.metadata[PARTITION_STATS_KEY].value  # type: ignore[union-attr]
        ]
        for result in invocation.get_results(implicit_materializations=False)
        if isinstance(result, dg.MaterializeResult) and result.asset_key is not None
    }
    missing = sorted(set(entities) - set(stats))
    if missing:
        raise RuntimeError(f"the Glue job reported no silver result for: {', '.join(missing)}")
    return {entity: stats[entity] for entity in entities}, dict(invocation.metadata)


def build_silver_assets(target: Target) -> dg.AssetsDefinition:
    """The silver multi-asset bound to local Spark or to Glue, by `ECOM_TARGET`."""

    @dg.multi_asset(
        name=SILVER_PREFIX,
        specs=silver_specs(),
        can_subset=True,
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=SINGLE_RUN,
        required_resource_keys={silver_resource_key(target)},
    )
    def silver(
        context: dg.AssetExecutionContext,
    ) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
        dts = list(context.partition_keys)
        entities = selected_entities(context)
        lake = load_settings().lake_uri
        if target is Target.LOCAL:
            spark = context.resources.pyspark.spark_session
            stats, extra = run_silver(spark, lake, entities, dts), {}
        else:
            stats, extra = run_on_glue(context, context.resources.glue_pipes, lake, entities, dts)
        yield from materialization_events(stats, extra)

    return silver


silver_assets = build_silver_assets(load_settings().target)
