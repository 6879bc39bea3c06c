"""Bronze: one entity and day of landing files as one all-string Parquet table plus a file ledger.

Pure of Dagster so it is unit-tested directly. The table and the ledger are
each written as one object (temp file + rename locally, one PUT on S3), so a
run killed half-way leaves the previous partition in place, and re-running a
partition replaces it with every file now in its folder (late files included).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from ecom_platform.lib.cyclic_gc import cyclic_gc_paused
from ecom_platform.lib.entities import ColumnType, Entity
from ecom_platform.lib.ingest_pool import IngestPool, resolved, submit_or_call
from ecom_platform.lib.lake import (
    FILE_HASH,
    INGESTED_AT,
    LEDGER_COLUMNS,
    LINE_NUMBER,
    LINEAGE,
    LINEAGE_COLUMNS,
    MALFORMED,
    RAW_RECORD,
    SOURCE_FILE,
    Layer,
    bronze_ledger_uri,
    bronze_partition_uri,
    landing_partition_uri,
    partition_uri,
    partitions,
)
from ecom_platform.lib.landing import (
    UNREADABLE_FILE,
    FileStatus,
    Skipped,
    UnreadableFileError,
    decode_landing_bytes,
    duplicate_reason,
    file_hash,
    has_extension,
    list_partition_files,
    missing_column_reason,
)
from ecom_platform.lib.landing_records import (
    MalformedHeaderError,
    RecordBatch,
    csv_batches,
    jsonl_batches,
    read_csv_header,
    split_physical_lines,
)
from ecom_platform.lib.parquet_files import file_rows, parquet_bytes, read_file
from ecom_platform.lib.storage import FileInfo, Store, open_store, relative_name
from ecom_platform.lib.type_systems import TYPES, arrow_schema

LINEAGE_FIELDS = tuple(arrow_schema(LINEAGE))
LEDGER_SCHEMA = arrow_schema(LEDGER_COLUMNS)


@dataclass(frozen=True)
class FileOutcome:
    """One ledger row: what bronze did with one landing file."""

    source_file: str
    file_hash: str
    size_bytes: int
    status: FileStatus
    reason: str | None = None
    message: str | None = None  # reads after the file name: "<uri> lacks required column x"
    rows: int = 0
    malformed_rows: int = 0
    extra_columns: tuple[str, ...] = ()
    etag: str | None = None  # the listing's content tag (FileInfo.etag)


@dataclass(frozen=True)
class BronzePartition:
    entity: str
    dt: str
    table: pa.Table
    files: tuple[FileOutcome, ...]
    skipped: tuple[Skipped, ...] = ()  # links, special files, sub-folders: never read

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def quarantined(self) -> tuple[FileOutcome, ...]:
        return tuple(f for f in self.files if f.status is FileStatus.QUARANTINED)

    @property
    def bytes_read(self) -> int:
        return sum(f.size_bytes for f in self.files)

    @property
    def malformed_rows(self) -> int:
        return sum(f.malformed_rows for f in self.files)

    @property
    def extra_columns(self) -> tuple[str, ...]:
        return tuple(sorted({c for f in self.files for c in f.extra_columns}))


def bronze_schema(entity: Entity, extra_columns: Iterable[str] = ()) -> pa.Schema:
    """Contract columns in spec order, then drift columns by name, then lineage."""
    names = [*entity.column_names, *sorted(set(extra_columns) - set(entity.column_names))]
    return pa.schema([pa.field(n, pa.string()) for n in names] + list(LINEAGE_FIELDS))


def batch_table(
    batch: RecordBatch, source_file: str, digest: str, ingested_at: datetime
) -> pa.Table:
    n = len(batch)
    arrays: dict[str, pa.Array] = dict(batch.columns)
    arrays[SOURCE_FILE] = pa.repeat(pa.scalar(source_file, pa.string()), n)
    arrays[LINE_NUMBER] = pa.array(batch.line_numbers, pa.int64())
    arrays[INGESTED_AT] = pa.repeat(pa.scalar(ingested_at, TYPES[ColumnType.INSTANT].arrow), n)
    arrays[FILE_HASH] = pa.repeat(pa.scalar(digest, pa.string()), n)
    arrays[MALFORMED] = pa.array(batch.malformed, pa.bool_())
    arrays[RAW_RECORD] = pa.array(batch.raw_records, pa.string())
    return pa.table(arrays)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table with exactly `schema`'s columns: those the file lacked are null."""
    present = set(table.column_names)
    columns = [
        table[f.name] if f.name in present else pa.nulls(table.num_rows, f.type) for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


class MissingColumnsError(ValueError):
    """A CSV header lacks required columns: the whole file is quarantined."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        super().__init__(", ".join(columns))


@dataclass(frozen=True)
class FileRead:
    outcome: FileOutcome
    tables: tuple[pa.Table, ...] = ()


def read_records(entity: Entity, text: str) -> tuple[Iterator[RecordBatch], tuple[str, ...]]:
    """Record batches and the column names a CSV header declares (JSONL declares none).

    JSON Lines has no header, so a missing key is a null value in that record
    (silver reports `missing_required`), never a file-level schema error.
    """
    if entity.file_format == "jsonl":
        return jsonl_batches(text), ()
    lines = split_physical_lines(text)
    header = read_csv_header(lines)
    if header is None:
        return iter(()), ()
    missing = [c for c in entity.required_columns if c not in header.names]
    if missing:
        raise MissingColumnsError(missing)
    return csv_batches(lines, header), header.names


def unexpected_extension_message(entity: Entity) -> str:
    accepted = " or ".join(entity.extensions)
    return f"has an unexpected name: {entity.name} files end with {accepted}"


def ingest_file(
    entity: Entity, info: FileInfo, name: str, raw: bytes, digest: str, ingested_at: datetime
) -> FileRead:
    """One landing file (not a duplicate) as bronze tables plus its ledger row.

    A file with a name bronze does not read is quarantined as unreadable rather
    than skipped, so a mis-named delivery shows up in the ledger and the check.
    """
    base = FileOutcome(
        info.uri, digest, len(raw), FileStatus.QUARANTINED, UNREADABLE_FILE, etag=info.etag
    )
    if not has_extension(name, entity.extensions):
        return FileRead(replace(base, message=unexpected_extension_message(entity)))
    try:
        batches, declared = read_records(entity, decode_landing_bytes(raw, name))
        tables = tuple(batch_table(b, info.uri, digest, ingested_at) for b in batches)
    except (UnreadableFileError, MalformedHeaderError) as exc:
        return FileRead(replace(base, message=str(exc)))
    except MissingColumnsError as exc:
        plural = "s" if len(exc.columns) > 1 else ""
        message = f"lacks required column{plural} {exc}"
        return FileRead(
            replace(base, reason=missing_column_reason(exc.columns[0]), message=message)
        )
    found = declared or {c for t in tables for c in t.column_names}
    extras = tuple(sorted(set(found) - set(entity.column_names) - set(LINEAGE_COLUMNS)))
    rows = sum(t.num_rows for t in tables)
    outcome = replace(
        base,
        status=FileStatus.INGESTED if rows else FileStatus.EMPTY,
        reason=None,
        rows=rows,
        malformed_rows=sum(pc.sum(t[MALFORMED]).as_py() or 0 for t in tables),
        extra_columns=extras,
    )
    return FileRead(outcome, tables)


def build_bronze_partition(
    entity: Entity, dt: str, landing_uri: str, ingested_at: datetime, pool: IngestPool | None = None
) -> BronzePartition:
    """Read every file of the entity's `dt=` folder, in name order, into one table and a ledger.

    Identical raw bytes are ingested once: the file sorting later is skipped whole. With a
    `pool`, a big partition's files are parsed in its worker processes, a few at a time.
    """
    prefix = landing_partition_uri(landing_uri, entity.name, dt)
    store = open_store(prefix)
    listing = list_partition_files(landing_uri, entity.name, dt)
    executor = pool.for_partition(sum(i.size for i in listing.files)) if pool else None
    first_by_hash: dict[str, str] = {}
    reads: list[Future[FileRead] | FileRead] = []
    for info in listing.files:
        reads.append(
            read_landing_file(entity, info, prefix, store, first_by_hash, ingested_at, executor)
        )
        if pool is not None:
            bound_in_flight(reads, pool.workers + 1)
    outcomes: list[FileOutcome] = []
    tables: list[pa.Table] = []
    for read in map(resolved, reads):
        outcomes.append(read.outcome)
        tables.extend(read.tables)
    schema = bronze_schema(entity, (c for o in outcomes for c in o.extra_columns))
    table = (
        pa.concat_tables([conform(t, schema) for t in tables]) if tables else schema.empty_table()
    )
    return BronzePartition(entity.name, dt, table, tuple(outcomes), listing.skipped)


def bound_in_flight(reads: list[Future[FileRead] | FileRead], limit: int) -> None:
    """Wait while `limit` files are being parsed: their raw bytes wait in memory meanwhile."""
    running = [r for r in reads if isinstance(r, Future) and not r.done()]
    if len(running) >= limit:
        running[0].result()


def read_landing_file(
    entity: Entity,
    info: FileInfo,
    prefix: str,
    store: Store,
    first_by_hash: dict[str, str],
    ingested_at: datetime,
    executor: Executor | None = None,
) -> Future[FileRead] | FileRead:
    """One file's tables and ledger row; identical bytes seen earlier make it a duplicate."""
    raw = store.read_bytes(info.uri)
    digest = file_hash(raw)
    original = first_by_hash.setdefault(digest, info.uri)
    if original != info.uri:
        return FileRead(
            FileOutcome(
                info.uri,
                digest,
                len(raw),
                FileStatus.DUPLICATE,
                duplicate_reason(original),
                f"same bytes as {original}; skipped",
                etag=info.etag,
            )
        )
    name = relative_name(prefix, info.uri)
    return submit_or_call(
        executor, ingest_file_gc_paused, entity, info, name, raw, digest, ingested_at
    )


def ingest_file_gc_paused(
    entity: Entity, info: FileInfo, name: str, raw: bytes, digest: str, ingested_at: datetime
) -> FileRead:
    """`ingest_file` without cyclic collections: its millions of small objects live briefly."""
    with cyclic_gc_paused():
        return ingest_file(entity, info, name, raw, digest, ingested_at)


def ledger_table(partition: BronzePartition) -> pa.Table:
    rows = [
        {
            "entity": partition.entity,
            "dt": partition.dt,
            "source_file": f.source_file,
            "file_hash": f.file_hash,
            "size_bytes": f.size_bytes,
            "etag": f.etag,
            "status": f.status.value,
            "reason": f.reason,
            "rows": f.rows,
            "extra_columns": ",".join(f.extra_columns) or None,
            "message": f.message,
        }
        for f in partition.files
    ]
    return pa.Table.from_pylist(rows, schema=LEDGER_SCHEMA)


# Spark reads a Parquet file in splits of whole row groups, so a partition in one row group
# (pyarrow's default holds up to 1Mi rows) is parsed by one task: a scale-100 day of web
# events is 928k rows. Groups of this size spread it over every core.
BRONZE_ROW_GROUP_ROWS = 128 * 1024


def write_bronze_partition(lake_uri: str, partition: BronzePartition) -> tuple[str, str]:
    """Replace the partition's data file, then its ledger; return both URIs.

    Each is serialised fully in memory before one atomic write, so a failure
    while encoding or writing leaves the previous version readable.
    """
    data_uri = bronze_partition_uri(lake_uri, partition.entity, partition.dt)
    ledger_uri = bronze_ledger_uri(lake_uri, partition.entity, partition.dt)
    store = open_store(lake_uri)
    store.write_bytes(data_uri, parquet_bytes(partition.table, BRONZE_ROW_GROUP_ROWS))
    store.write_bytes(ledger_uri, parquet_bytes(ledger_table(partition)))
    return data_uri, ledger_uri


def read_ledger(lake_uri: str, entity: str, dt: str) -> list[dict] | None:
    """The partition's ledger rows (LEDGER_SCHEMA fields), or None when bronze never wrote it."""
    table = read_file(bronze_ledger_uri(lake_uri, entity, dt))
    return None if table is None else table.to_pylist()


def read_bronze_table(lake_uri: str, entity: str, dt: str) -> pa.Table | None:
    return read_file(bronze_partition_uri(lake_uri, entity, dt))


def quarantine_messages(entity: str, dt: str, ledger: list[dict]) -> list[str]:
    """One line per quarantined file, naming the file, the problem and the reason code."""
    return [
        f"{entity} dt={dt}: {row['source_file']} {row['message']} ({row['reason']})"
        for row in ledger
        if row["status"] == FileStatus.QUARANTINED
    ]


def bronze_partition_rows(lake_uri: str, entity: str, dt: str) -> int | None:
    """Rows in the partition's bronze file (from the Parquet footer), None when it is absent."""
    return file_rows(bronze_partition_uri(lake_uri, entity, dt))


def bronze_rows_below(lake_uri: str, entity: str, dts: Iterable[str], limit: int) -> bool:
    """Whether these partitions' bronze files hold fewer than `limit` rows in all; footers are
    read only until the count reaches the limit."""
    total = 0
    for dt in dts:
        total += bronze_partition_rows(lake_uri, entity, dt) or 0
        if total >= limit:
            return False
    return True


def bronze_bytes(lake_uri: str, entities: Iterable[str], dts: Iterable[str]) -> int:
    """Bytes of the bronze files of these entities and days (absent ones count 0)."""
    total = 0
    for entity in entities:
        for dt in dts:
            folder = partition_uri(lake_uri, Layer.BRONZE, entity, dt)
            total += sum(info.size for info in open_store(folder).list_files(folder))
    return total


def list_ledger_partitions(lake_uri: str, entity: str) -> list[str]:
    """Every dt with a bronze ledger for the entity, oldest first."""
    return partitions(lake_uri, Layer.LEDGER, entity)
