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

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.day_outcomes import rejected_days
from ecom_platform.defs.keys import bronze_asset_key, silver_asset_key
from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN
from ecom_platform.defs.silver.resources import SilverRunner
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.silver_tables import PartitionStats, read_partition_stats


def silver_specs() -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            silver_asset_key(entity.name),
            deps=[bronze_asset_key(entity.name)],
            description=f"{entity.description} Typed, normalised, deduplicated.",
            group_name=Layer.SILVER.value,
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
    stats: dict[str, list[PartitionStats]], extra: dict[str, Any], run_days: list[str]
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    """One result per entity; in a range run also one event per partition, yielded after it.

    Dagster records a range's MaterializeResult on every partition of the
    range, so the per-partition events come last and are what each partition shows.
    """
    for entity, partitions in stats.items():
        key = silver_asset_key(entity)
        if len(partitions) == 1 and len(run_days) == 1:
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


def written_stats(
    lake_uri: str, entities: list[str], dts: list[str]
) -> dict[str, list[PartitionStats]]:
    """What the run wrote to `silver_stats/`; a missing file means the job skipped a partition."""
    stats: dict[str, list[PartitionStats]] = {}
    for entity in entities:
        found = [(dt, read_partition_stats(lake_uri, entity, dt)) for dt in dts]
        missing = [dt for dt, partition in found if partition is None]
        if missing:
            raise RuntimeError(
                f"silver/{entity}: the silver job wrote no statistics for {', '.join(missing)}"
            )
        stats[entity] = [partition for _, partition in found if partition is not None]
    return stats


@dg.multi_asset(
    name=Layer.SILVER.value,
    specs=silver_specs(),
    can_subset=True,
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
)
def silver_assets(
    context: dg.AssetExecutionContext, lake: LakeResource, silver_runner: SilverRunner
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    run_days = list(context.partition_keys)
    rejected = rejected_days(context, layers=[Layer.BRONZE.value])
    if rejected:
        context.log.warning(f"left out of silver, bronze rejected them: {sorted(rejected)}")
    dts = [dt for dt in run_days if dt not in rejected]
    entities = selected_entities(context)
    extra = silver_runner.run(context, entities, dts) if dts else {}
    yield from materialization_events(written_stats(lake.lake_uri, entities, dts), extra, run_days)
