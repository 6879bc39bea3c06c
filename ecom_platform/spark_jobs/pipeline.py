"""One silver run: every selected entity over every partition of the range, one Spark session.

Shared by the local Dagster asset and the Glue entry script. Per entity it
costs one bronze read, two partitioned writes and one statistics aggregation,
whatever the number of partitions. Orphans are then counted from the written
files, once the parents (customers, products, campaigns) of the entity are written,
so this run's parent partitions count as known.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from pyspark import StorageLevel
from pyspark.sql import Row, SparkSession

from ecom_platform.lib.bronze import bronze_bytes, bronze_rows_below
from ecom_platform.lib.entities import ENTITIES, Entity
from ecom_platform.lib.glue_catalog import GlueCatalog
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.silver_tables import (
    QUARANTINE_SCHEMA,
    PartitionStats,
    orphan_counts,
    silver_arrow_schema,
    write_partition_stats,
)
from ecom_platform.spark_jobs.io import PARTITION, read_bronze, write_partitions
from ecom_platform.spark_jobs.session import INTERPRETED_BELOW_ROWS, interpreting_session
from ecom_platform.spark_jobs.silver import (
    DUPLICATE,
    QUARANTINED,
    ROWS_IN,
    SILVER,
    STATUS_TAGS,
    tally,
    transform,
)


def entities_in_run_order(names: Iterable[str]) -> list[Entity]:
    wanted = set(names)
    unknown = wanted - {e.name for e in ENTITIES}
    if unknown:
        raise ValueError(f"unknown entities: {', '.join(sorted(unknown))}")
    return [entity for entity in ENTITIES if entity.name in wanted]


def stats_from_tally(
    entity: str, dts: list[str], rows: list[Row], orphans: dict[str, dict[str, int]]
) -> list[PartitionStats]:
    """Turn (dt, tag, n) rows into one PartitionStats per requested dt (zeros when no rows)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row[PARTITION]][row["tag"]] = row["count"]
    stats = []
    for dt in dts:
        tags = counts.get(dt, {})
        stats.append(
            PartitionStats(
                entity=entity,
                dt=dt,
                rows_in=tags.get(ROWS_IN, 0),
                silver_rows=tags.get(SILVER, 0),
                quarantined=tags.get(QUARANTINED, 0),
                duplicates=tags.get(DUPLICATE, 0),
                quarantined_by_reason={
                    tag: n for tag, n in sorted(tags.items()) if tag not in STATUS_TAGS
                },
                orphans=orphans.get(dt, {}),
            )
        )
    return stats


def classify_and_write(
    spark: SparkSession,
    lake: str,
    entity: Entity,
    dts: list[str],
    catalog: GlueCatalog | None = None,
) -> list[Row]:
    """Publish the entity's silver and quarantine partitions; return the (dt, tag, n) tally."""
    frames = transform(entity, read_bronze(spark, lake, entity, dts))
    classified = frames.classified.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        write_partitions(
            frames.silver,
            lake,
            Layer.SILVER,
            entity.name,
            dts,
            silver_arrow_schema(entity),
            catalog,
        )
        write_partitions(
            frames.quarantine, lake, Layer.QUARANTINE, entity.name, dts, QUARANTINE_SCHEMA, catalog
        )
        return tally(classified).collect()
    finally:
        classified.unpersist()


def record_stats(
    lake: str, entity: Entity, dts: list[str], rows: list[Row]
) -> list[PartitionStats]:
    """Count orphans against the parents' published silver and write the statistics."""
    stats = stats_from_tally(entity.name, dts, rows, orphan_counts(lake, entity, dts))
    for partition in stats:
        write_partition_stats(lake, partition)
    return stats


def session_for(spark: SparkSession, lake: str, entity: Entity, dts: list[str]) -> SparkSession:
    """Few rows are cheaper interpreted than compiled (`session.INTERPRETED_BELOW_ROWS`)."""
    if bronze_rows_below(lake, entity.name, dts, INTERPRETED_BELOW_ROWS):
        return interpreting_session(spark)
    return spark


def biggest_first(entities: list[Entity], lake: str, dts: list[str]) -> list[Entity]:
    """The order to start entities in: the longest job first, so it never runs alone at the end
    while the other cores wait (one scale-100 day: web events are 70% of the bronze bytes)."""
    return sorted(entities, key=lambda e: bronze_bytes(lake, [e.name], dts), reverse=True)


def run_silver(
    spark: SparkSession,
    lake: str,
    entity_names: Iterable[str],
    dts: Iterable[str],
    concurrency: int = 3,
    catalog: GlueCatalog | None = None,
) -> dict[str, list[PartitionStats]]:
    """Process the partitions `dts` of each entity; returns per-entity, per-dt statistics.

    The session must carry `session.SQL_SETTINGS` (its builders apply them). Small
    partitions cost mostly per-job latency (planning, code generation), not CPU, so a few
    entities share the session at once. Every entity's silver is written without waiting
    for other entities; only its orphan count waits for its parents' silver (the parents of
    this run count as known). On AWS, `catalog` is the Glue catalog that Spectrum reads
    silver through; each published partition moves there.
    """
    partitions = sorted(set(dts))
    ordered = entities_in_run_order(entity_names)
    in_run = {e.name for e in ordered}
    parents = {e.name: {r.parent for r in e.references} & in_run for e in ordered}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        written = {
            e.name: pool.submit(
                classify_and_write,
                session_for(spark, lake, e, partitions),
                lake,
                e,
                partitions,
                catalog,
            )
            for e in biggest_first(ordered, lake, partitions)
        }
        recorded: dict[str, Future[list[PartitionStats]]] = {}
        while len(recorded) < len(ordered):
            for entity in ordered:
                needed = {entity.name, *parents[entity.name]}
                if entity.name not in recorded and all(written[n].done() for n in needed):
                    rows = written[entity.name].result()
                    stats = pool.submit(record_stats, lake, entity, partitions, rows)
                    recorded[entity.name] = stats
            if pending := [f for f in written.values() if not f.done()]:
                wait(pending, return_when=FIRST_COMPLETED)
        return {entity.name: recorded[entity.name].result() for entity in ordered}
