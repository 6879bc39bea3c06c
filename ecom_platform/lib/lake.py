"""The lake layout, defined once: every layer's folder, file name and bookkeeping columns.

<lake>/bronze/<entity>/dt=YYYY-MM-DD/data.parquet        raw strings + lineage
<lake>/bronze_files/<entity>/dt=YYYY-MM-DD/files.parquet  ledger: one row per landing file
<lake>/silver/<entity>/dt=YYYY-MM-DD/*.parquet            typed, clean, deduplicated
<lake>/quarantine/<entity>/dt=YYYY-MM-DD/*.parquet        rejected rows with reason codes
    on S3 both are versioned: dt=.../v=<run>/*.parquet, and dt=.../_current names the version
    readers see (`current_partition_uri`; lib/partition_pointer.py, lib/silver_publish.py)
<lake>/silver_stats/<entity>/dt=YYYY-MM-DD/stats.parquet  what a silver run counted
<lake>/silver_keys/<entity>/<column>.parquet               cache: each partition's distinct keys
<lake>/_staging/<layer>/<entity>/<run>/                   silver output before it is swapped in
<lake>/_pipes/                                            Dagster Pipes context and messages (Glue)

Columns are `entities.Column`s like the contract's, so the same type mappings
(`lib/type_systems.py`, `spark_jobs/schemas.py`) serve entity and lake columns, and
the Glue catalog, the dbt sources, Pandera and the IAM policy test all read them here.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from ecom_platform.lib.entities import Column, ColumnType
from ecom_platform.lib.partition_pointer import read_pointer
from ecom_platform.lib.storage import is_s3, join_uri, open_store, relative_name

DT_PREFIX = "dt="


class Layer(StrEnum):
    """Top-level lake folders."""

    BRONZE = "bronze"
    LEDGER = "bronze_files"
    SILVER = "silver"
    QUARANTINE = "quarantine"
    STATS = "silver_stats"
    KEYS = "silver_keys"
    STAGING = "_staging"
    PIPES = "_pipes"


# Layers whose S3 partitions are published as versions behind a `_current` pointer.
VERSIONED_LAYERS = (Layer.SILVER, Layer.QUARANTINE)
VERSION_PREFIX = "v="
# Starts with `_`, so Spark, Spectrum and Hive never take the pointer for data.
POINTER_NAME = "_current"

# What each job writes (the IAM policies grant exactly these prefixes).
BRONZE_WRITES = (Layer.BRONZE, Layer.LEDGER)
SILVER_JOB_WRITES = (
    Layer.SILVER,
    Layer.QUARANTINE,
    Layer.STATS,
    Layer.KEYS,
    Layer.STAGING,
    Layer.PIPES,
)

_S, _I = ColumnType.STRING, ColumnType.INT

# Lineage that bronze adds to every record; silver keeps SILVER_LINEAGE.
SOURCE_FILE = "_source_file"
LINE_NUMBER = "_line_number"
INGESTED_AT = "_ingested_at"
FILE_HASH = "_file_hash"
MALFORMED = "_malformed"
RAW_RECORD = "_raw_record"
LINEAGE = (
    Column(SOURCE_FILE, _S, required=True, description="URI of the landing file"),
    Column(
        LINE_NUMBER,
        _I,
        required=True,
        description="1-based physical line where the record starts (CSV header = 1)",
    ),
    Column(INGESTED_AT, ColumnType.INSTANT, description="when bronze ingested the file (UTC)"),
    Column(FILE_HASH, _S, description="sha256 of the file's raw bytes"),
    Column(MALFORMED, ColumnType.BOOL, description="the record could not be parsed"),
    Column(RAW_RECORD, _S, description="the record's raw text"),
)
LINEAGE_COLUMNS = tuple(c.name for c in LINEAGE)
SILVER_LINEAGE = LINEAGE[:3]

# One row per rejected record (contract section 3).
QUARANTINE_COLUMNS = (
    Column("entity", _S, required=True),
    Column("dt", _S, required=True),
    Column("source_file", _S, required=True, description="URI of the landing file"),
    Column("line_number", _I, required=True, description="1-based line where the record starts"),
    Column("reason_codes", ColumnType.STRING_LIST, required=True, description="contract codes"),
    Column("reason", _S, required=True, description="the codes joined by ';'"),
    Column("raw_record", _S, description="the record's raw text"),
)

# The bronze file ledger: one row per landing file seen in a partition.
LEDGER_COLUMNS = (
    Column("entity", _S, required=True),
    Column("dt", _S, required=True),
    Column("source_file", _S, required=True),
    Column("file_hash", _S, required=True),
    Column("size_bytes", _I, required=True),
    Column(
        "etag",
        _S,
        description="the listing's content tag when bronze read the file (S3 ETag, local "
        "size-mtime): the landing sensor compares it with the listing to find changed files",
    ),
    Column("status", _S, required=True, description="ingested, empty, duplicate_content, ..."),
    Column("reason", _S, description="reason code of a quarantined or skipped file"),
    Column("rows", _I, required=True, description="records read"),
    Column("extra_columns", _S, description="comma-separated drift columns"),
    Column("message", _S, description="what was wrong with the file"),
)

# What a silver run counted per entity and partition, long form so SQL reads it on any
# warehouse: `measure` is rows_in, silver, quarantined, duplicates, quarantined_by_reason
# (`detail` = reason code) or orphans (`detail` = reference column).
STATS_COLUMNS = (
    Column("entity", _S, required=True),
    Column("dt", _S, required=True),
    Column("measure", _S, required=True),
    Column("detail", _S, description="reason code or reference column, by measure"),
    Column("rows", _I, required=True),
)

BRONZE_FILE_NAME = "data.parquet"
LEDGER_FILE_NAME = "files.parquet"
STATS_FILE_NAME = "stats.parquet"


def partition_folder(dt: str) -> str:
    return f"{DT_PREFIX}{dt}"


def dt_of_folder(name: str) -> str | None:
    """The dt of a `dt=YYYY-MM-DD` folder name, None for any other name."""
    return name[len(DT_PREFIX) :] if name.startswith(DT_PREFIX) else None


def landing_partition_uri(landing: str, entity: str, dt: str) -> str:
    return join_uri(landing, entity, partition_folder(dt))


def entity_uri(lake: str, layer: Layer, entity: str) -> str:
    return join_uri(lake, layer, entity)


def partition_uri(lake: str, layer: Layer, entity: str, dt: str) -> str:
    return join_uri(entity_uri(lake, layer, entity), partition_folder(dt))


def bronze_partition_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(partition_uri(lake, Layer.BRONZE, entity, dt), BRONZE_FILE_NAME)


def bronze_ledger_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(partition_uri(lake, Layer.LEDGER, entity, dt), LEDGER_FILE_NAME)


def silver_entity_uri(lake: str, entity: str) -> str:
    return entity_uri(lake, Layer.SILVER, entity)


def silver_partition_uri(lake: str, entity: str, dt: str) -> str:
    return partition_uri(lake, Layer.SILVER, entity, dt)


def quarantine_partition_uri(lake: str, entity: str, dt: str) -> str:
    return partition_uri(lake, Layer.QUARANTINE, entity, dt)


def silver_stats_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(partition_uri(lake, Layer.STATS, entity, dt), STATS_FILE_NAME)


def known_keys_uri(lake: str, entity: str, column: str) -> str:
    return join_uri(entity_uri(lake, Layer.KEYS, entity), f"{column}.parquet")


def staging_uri(lake: str, layer: Layer, entity: str, run: str) -> str:
    """A run's private output folder for one table, on the lake's own file system."""
    return join_uri(lake, Layer.STAGING, layer, entity, run)


def version_folder(version: str) -> str:
    return f"{VERSION_PREFIX}{version}"


def version_of_folder(name: str) -> str | None:
    """The version of a `v=<run>` folder name, None for any other name."""
    return name[len(VERSION_PREFIX) :] if name.startswith(VERSION_PREFIX) else None


def version_uri(lake: str, layer: Layer, entity: str, dt: str, version: str) -> str:
    """One run's complete copy of a partition on S3; invisible until the pointer names it."""
    return join_uri(partition_uri(lake, layer, entity, dt), version_folder(version))


def pointer_uri(lake: str, layer: Layer, entity: str, dt: str) -> str:
    return join_uri(partition_uri(lake, layer, entity, dt), POINTER_NAME)


def current_partition_uri(lake: str, layer: Layer, entity: str, dt: str) -> str:
    """Where a partition's rows are now: every reader goes through this, never `partition_uri`.

    On S3 a versioned layer's partition is the version its pointer names (one GET, so a
    reader sees one whole version even while a run publishes the next). A local lake, and
    an S3 partition no run has published yet, is the `dt=` folder itself.
    """
    if is_s3(lake) and layer in VERSIONED_LAYERS:
        pointer = read_pointer(pointer_uri(lake, layer, entity, dt))
        if pointer is not None:
            return version_uri(lake, layer, entity, dt, pointer.version)
    return partition_uri(lake, layer, entity, dt)


def current_locations(lake: str, entities: list[str], dts: list[str]) -> dict[str, str]:
    """Each versioned partition's current folder relative to the lake (`silver/orders/dt=
    .../v=<run>`), keyed by its `dt=` folder relative to the lake: what Spectrum registers."""
    locations = {}
    for layer in VERSIONED_LAYERS:
        for entity in entities:
            for dt in dts:
                base = partition_uri(lake, layer, entity, dt)
                current = current_partition_uri(lake, layer, entity, dt)
                locations[relative(lake, base)] = relative(lake, current)
    return locations


def relative(lake: str, uri: str) -> str:
    return uri[len(lake.rstrip("/")) + 1 :]


def pipes_key_prefix() -> str:
    """Where Dagster Pipes keeps context and messages in the lake bucket (an S3 key prefix)."""
    return f"{Layer.PIPES}/"


def partitions(lake: str, layer: Layer, entity: str) -> list[str]:
    """Every dt the layer holds for the entity, oldest first."""
    root = entity_uri(lake, layer, entity)
    found = (dt_of_folder(name) for name in open_store(root).list_dirs(root))
    return sorted(dt for dt in found if dt)


def partition_fingerprints(lake: str, layer: Layer, entity: str) -> dict[str, str]:
    """Per dt, a tag that changes whenever a run publishes the partition, from one listing of
    the entity rather than requests per partition: on S3 a versioned partition's pointer,
    otherwise every file below the `dt=` folder (what `current_partition_uri` readers see)."""
    root = entity_uri(lake, layer, entity)
    files: dict[str, list[str]] = {}
    pointers: dict[str, str] = {}
    for info in open_store(root).list_files(root):
        folder, _, rest = relative_name(root, info.uri).partition("/")
        dt = dt_of_folder(folder)
        if dt is None:
            continue
        if rest == POINTER_NAME and is_s3(lake) and layer in VERSIONED_LAYERS:
            pointers[dt] = info.etag
        files.setdefault(dt, []).append(f"{rest}@{info.etag}")
    return {
        dt: f"pointer@{pointers[dt]}" if dt in pointers else _digest(tags)
        for dt, tags in files.items()
    }


def _digest(tags: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(tags)).encode()).hexdigest()[:32]
