"""What the silver step leaves in the lake besides its data, shared by Spark jobs and checks.

Arrow schemas of the silver and quarantine tables (derived from the entity
specs; also used to write a schema-only file for an empty partition), the
per-partition run statistics, and small Parquet helpers that count and read
partition files through a `Store` (local folder or S3) without Spark.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ecom_platform.lib.entities import ColumnType, Entity
from ecom_platform.lib.lake import (
    INGESTED_AT,
    LINE_NUMBER,
    SOURCE_FILE,
    bronze_partition_uri,
    partition_folder,
    quarantine_partition_uri,
    silver_entity_uri,
    silver_partition_uri,
)
from ecom_platform.lib.storage import is_s3, join_uri, local_path, open_store

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    ColumnType.STRING: pa.string(),
    ColumnType.TIMESTAMP: pa.timestamp("us"),  # no time zone: the value is UTC wall-clock
    ColumnType.DATE: pa.date32(),
    ColumnType.DECIMAL: pa.decimal128(18, 2),
    ColumnType.INT: pa.int64(),
    ColumnType.BOOL: pa.bool_(),
}
SILVER_LINEAGE_FIELDS = (
    pa.field(SOURCE_FILE, pa.string()),
    pa.field(LINE_NUMBER, pa.int64()),
    pa.field(INGESTED_AT, pa.timestamp("us", tz="UTC")),
)
QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("entity", pa.string()),
        pa.field("dt", pa.string()),
        pa.field("source_file", pa.string()),
        pa.field("line_number", pa.int64()),
        pa.field("reason_codes", pa.list_(pa.string())),
        pa.field("reason", pa.string()),
        pa.field("raw_record", pa.string()),
    ]
)


def silver_arrow_schema(entity: Entity) -> pa.Schema:
    """Exactly the contract columns, typed, then the lineage kept from bronze."""
    fields = [pa.field(c.name, ARROW_TYPES[c.type]) for c in entity.columns]
    return pa.schema([*fields, *SILVER_LINEAGE_FIELDS])


def empty_parquet_bytes(schema: pa.Schema) -> bytes:
    """A Parquet file with no rows: readers globbing the partition still find the schema."""
    buffer = io.BytesIO()
    pq.write_table(schema.empty_table(), buffer)
    return buffer.getvalue()


def silver_stats_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(lake, "silver_stats", entity, partition_folder(dt), "stats.json")


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

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> PartitionStats:
        return cls(**data)


def write_partition_stats(lake: str, stats: PartitionStats) -> None:
    uri = silver_stats_uri(lake, stats.entity, stats.dt)
    open_store(uri).write_bytes(uri, stats.to_json().encode())


def read_partition_stats(lake: str, entity: str, dt: str) -> PartitionStats | None:
    uri = silver_stats_uri(lake, entity, dt)
    store = open_store(uri)
    if not store.exists(uri):
        return None
    return PartitionStats.from_dict(json.loads(store.read_bytes(uri)))


def parquet_files(folder_uri: str) -> list[str]:
    """The visible Parquet files of one partition folder (Spark's `.crc`/`_SUCCESS` skipped)."""
    store = open_store(folder_uri)
    return [
        info.uri
        for info in store.list_files(folder_uri)
        if info.uri.endswith(".parquet") and not info.uri.rsplit("/", 1)[-1].startswith((".", "_"))
    ]


def open_parquet(uri: str) -> pq.ParquetFile:
    if is_s3(uri):
        return pq.ParquetFile(io.BytesIO(open_store(uri).read_bytes(uri)))
    return pq.ParquetFile(local_path(uri))


def count_rows(uris: list[str]) -> int:
    return sum(open_parquet(uri).metadata.num_rows for uri in uris)


def read_table(uris: list[str], schema: pa.Schema) -> pa.Table:
    """All rows of the given files; an empty list gives an empty table with `schema`."""
    tables = [open_parquet(uri).read() for uri in uris]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def bronze_row_count(lake: str, entity: str, dt: str) -> int:
    """Records bronze holds for the partition (no bronze file: nothing landed, zero rows)."""
    uri = bronze_partition_uri(lake, entity, dt)
    return count_rows([uri]) if open_store(uri).exists(uri) else 0


def silver_files(lake: str, entity: str, dt: str) -> list[str]:
    return parquet_files(silver_partition_uri(lake, entity, dt))


def quarantine_files(lake: str, entity: str, dt: str) -> list[str]:
    return parquet_files(quarantine_partition_uri(lake, entity, dt))


def known_keys(lake: str, entity: str, column: str) -> pa.Array:
    """Distinct non-null values of a column over every silver partition of an entity."""
    files = [uri for uri in parquet_files(silver_entity_uri(lake, entity)) if "/dt=" in uri]
    values = [open_parquet(uri).read(columns=[column]).column(column) for uri in files]
    if not values:
        return pa.array([], pa.string())
    return pc.unique(pa.chunked_array([chunk for v in values for chunk in v.chunks], pa.string()))


def orphan_counts(lake: str, entity: Entity, dts: list[str]) -> dict[str, dict[str, int]]:
    """Per dt, silver rows whose reference names a parent silver does not (yet) hold.

    Read from the files just written, so parents processed earlier in the same
    run count as known.
    """
    parents = {r.column: known_keys(lake, r.parent, r.parent_column) for r in entity.references}
    counts: dict[str, dict[str, int]] = {}
    for dt in dts:
        table = read_table(silver_files(lake, entity.name, dt), silver_arrow_schema(entity))
        counts[dt] = {}
        for column, keys in parents.items():
            values = table.column(column)
            unknown = pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=keys)))
            if found := pc.sum(unknown).as_py():
                counts[dt][column] = found
    return counts
