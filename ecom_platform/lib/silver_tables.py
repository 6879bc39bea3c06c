"""What the silver step leaves in the lake besides its data, shared by Spark jobs and checks.

Arrow schemas of the silver and quarantine tables (from the entity specs and
`lib/lake.py`), the per-partition run statistics every runner writes and every
reader takes from the lake, and orphan counting from the written files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from ecom_platform.lib import lake
from ecom_platform.lib.entities import Entity
from ecom_platform.lib.parquet_files import (
    open_parquet,
    parquet_bytes,
    parquet_files,
    read_file,
    read_table,
)
from ecom_platform.lib.storage import open_store
from ecom_platform.lib.type_systems import arrow_schema

QUARANTINE_SCHEMA = arrow_schema(lake.QUARANTINE_COLUMNS)
STATS_SCHEMA = arrow_schema(lake.STATS_COLUMNS)

# `measure` values of the statistics table (lake.STATS_COLUMNS).
ROWS_IN, SILVER, QUARANTINED, DUPLICATES = "rows_in", "silver", "quarantined", "duplicates"
BY_REASON, ORPHANS = "quarantined_by_reason", "orphans"


def silver_arrow_schema(entity: Entity) -> pa.Schema:
    """Exactly the contract columns, typed, then the lineage kept from bronze."""
    return arrow_schema([*entity.columns, *lake.SILVER_LINEAGE])


@dataclass(frozen=True)
class PartitionStats:
    """What one silver run did to one entity and partition.

    Duplicates live in no table, so they are recorded here for the
    reconciliation check; the other counts are re-read from the files.
    """

    entity: str
    dt: str
    rows_in: int = 0
    silver_rows: int = 0
    quarantined: int = 0
    duplicates: int = 0
    quarantined_by_reason: dict[str, int] = field(default_factory=dict)
    orphans: dict[str, int] = field(default_factory=dict)  # reference column -> silver rows

    def to_table(self) -> pa.Table:
        rows = [
            (ROWS_IN, None, self.rows_in),
            (SILVER, None, self.silver_rows),
            (QUARANTINED, None, self.quarantined),
            (DUPLICATES, None, self.duplicates),
            *((BY_REASON, code, n) for code, n in sorted(self.quarantined_by_reason.items())),
            *((ORPHANS, column, n) for column, n in sorted(self.orphans.items())),
        ]
        return pa.Table.from_pylist(
            [
                {"entity": self.entity, "dt": self.dt, "measure": m, "detail": d, "rows": n}
                for m, d, n in rows
            ],
            schema=STATS_SCHEMA,
        )

    @classmethod
    def from_table(cls, table: pa.Table) -> PartitionStats:
        rows = table.to_pylist()
        totals = {r["measure"]: r["rows"] for r in rows if r["detail"] is None}
        details = {BY_REASON: {}, ORPHANS: {}}
        for r in rows:
            if r["detail"] is not None:
                details[r["measure"]][r["detail"]] = r["rows"]
        return cls(
            entity=rows[0]["entity"],
            dt=rows[0]["dt"],
            rows_in=totals.get(ROWS_IN, 0),
            silver_rows=totals.get(SILVER, 0),
            quarantined=totals.get(QUARANTINED, 0),
            duplicates=totals.get(DUPLICATES, 0),
            quarantined_by_reason=details[BY_REASON],
            orphans=details[ORPHANS],
        )


def write_partition_stats(lake_uri: str, stats: PartitionStats) -> None:
    uri = lake.silver_stats_uri(lake_uri, stats.entity, stats.dt)
    open_store(uri).write_bytes(uri, parquet_bytes(stats.to_table()))


def read_partition_stats(lake_uri: str, entity: str, dt: str) -> PartitionStats | None:
    """The statistics of the last silver run over the partition; None when none ran."""
    table = read_file(lake.silver_stats_uri(lake_uri, entity, dt))
    return None if table is None or table.num_rows == 0 else PartitionStats.from_table(table)


def silver_files(lake_uri: str, entity: str, dt: str) -> list[str]:
    """The partition's files as readers see it now (on S3: the version its pointer names)."""
    return parquet_files(lake.current_partition_uri(lake_uri, lake.Layer.SILVER, entity, dt))


def quarantine_files(lake_uri: str, entity: str, dt: str) -> list[str]:
    return parquet_files(lake.current_partition_uri(lake_uri, lake.Layer.QUARANTINE, entity, dt))


# The known-keys cache: each silver partition's distinct keys, and in the file's metadata
# the partition fingerprints they were read at (a partition may have no keys).
KEYS_SCHEMA = pa.schema([("dt", pa.string()), ("key", pa.string())])
FINGERPRINTS = b"fingerprints"


@dataclass(frozen=True)
class KeyCache:
    keys: pa.Table  # KEYS_SCHEMA
    fingerprints: dict[str, str]  # dt -> lake.partition_fingerprints' tag when it was read

    def to_bytes(self) -> bytes:
        metadata = {FINGERPRINTS: json.dumps(self.fingerprints, sort_keys=True)}
        return parquet_bytes(self.keys.replace_schema_metadata(metadata))


EMPTY_KEY_CACHE = KeyCache(KEYS_SCHEMA.empty_table(), {})


def known_keys(lake_uri: str, entity: str, column: str) -> pa.Array:
    """Distinct non-null values of a column over every current silver partition of an entity.

    Only the partitions published since the last call are read (in a daily run, the
    window's), not the whole history: the rest comes from a cache beside silver, checked
    against one listing. The cache is only ever a copy, so a missing, unreadable or
    concurrently replaced one costs a re-read, never a wrong key.
    """
    current = lake.partition_fingerprints(lake_uri, lake.Layer.SILVER, entity)
    uri = lake.known_keys_uri(lake_uri, entity, column)
    cached = read_key_cache(uri)
    stale = sorted(dt for dt, tag in current.items() if cached.fingerprints.get(dt) != tag)
    kept = sorted(set(current) - set(stale))
    keys = pa.concat_tables(
        [
            cached.keys.filter(pc.is_in(cached.keys.column("dt"), pa.array(kept, pa.string()))),
            *(partition_keys(lake_uri, entity, column, dt) for dt in stale),
        ]
    )
    if current != cached.fingerprints:
        open_store(uri).write_bytes(uri, KeyCache(keys, current).to_bytes())
    return pc.unique(keys.column("key"))


def read_key_cache(uri: str) -> KeyCache:
    """The cache as last written, or an empty one when there is none or it cannot be read."""
    try:
        table = read_file(uri)
        if table is None or not table.schema.equals(KEYS_SCHEMA):
            return EMPTY_KEY_CACHE
        fingerprints = json.loads((table.schema.metadata or {})[FINGERPRINTS])
    except (pa.ArrowException, OSError, ValueError, KeyError):
        return EMPTY_KEY_CACHE  # torn, or not a cache this module wrote: read silver again
    return KeyCache(table.replace_schema_metadata(None), fingerprints)


def partition_keys(lake_uri: str, entity: str, column: str, dt: str) -> pa.Table:
    """One partition's distinct non-null keys, read from its current files."""
    files = silver_files(lake_uri, entity, dt)
    values = [open_parquet(uri).read(columns=[column]).column(column) for uri in files]
    chunks = [chunk.cast(pa.string()) for v in values for chunk in v.chunks]
    keys = pc.unique(pa.chunked_array(chunks, pa.string())).drop_null()
    return pa.table({"dt": pa.array([dt] * len(keys), pa.string()), "key": keys}, KEYS_SCHEMA)


def orphan_counts(lake_uri: str, entity: Entity, dts: list[str]) -> dict[str, dict[str, int]]:
    """Per dt, silver rows whose reference names a parent silver does not (yet) hold.

    Read from the files just written, so parents processed earlier in the same
    run count as known.
    """
    parents = {r.column: known_keys(lake_uri, r.parent, r.parent_column) for r in entity.references}
    counts: dict[str, dict[str, int]] = {dt: {} for dt in dts}
    if not parents:
        return counts
    for dt in dts:
        files = silver_files(lake_uri, entity.name, dt)
        # Only the reference columns: the JVM of the same run still holds its heap.
        table = read_table(files, silver_arrow_schema(entity), columns=list(parents))
        for column, keys in parents.items():
            values = table.column(column)
            unknown = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=keys)))
            if found := pc.sum(unknown).as_py():
                counts[dt][column] = found
    return counts
