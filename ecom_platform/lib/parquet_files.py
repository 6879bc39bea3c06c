"""Reading, counting and writing Parquet files through a `Store` (local folder or S3), no Spark.

The one place the bronze, silver and quarantine readers, the quality gates and
the run summary go through, so they agree on what a partition's files are.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib.storage import is_s3, local_path, open_store


def parquet_files(folder_uri: str) -> list[str]:
    """The visible Parquet files below a folder (Spark's `.crc`/`_SUCCESS` skipped)."""
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
    """Rows of the given files, from their footers only."""
    return sum(open_parquet(uri).metadata.num_rows for uri in uris)


def read_table(uris: list[str], schema: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    """All rows of the given files, of every column or only `columns`; an empty list gives an
    empty table with `schema` (or its `columns`)."""
    tables = [open_parquet(uri).read(columns=columns) for uri in uris]
    if tables:
        return pa.concat_tables(tables)
    empty = schema.empty_table()
    return empty if columns is None else empty.select(columns)


def read_file(uri: str) -> pa.Table | None:
    """One file's rows, or None when there is no such file."""
    return open_parquet(uri).read() if open_store(uri).exists(uri) else None


def file_rows(uri: str) -> int | None:
    """One file's row count from its footer, or None when there is no such file."""
    return open_parquet(uri).metadata.num_rows if open_store(uri).exists(uri) else None


def parquet_bytes(table: pa.Table, row_group_rows: int | None = None) -> bytes:
    """The whole file in memory, so it is written with one atomic store write."""
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=row_group_rows)
    return sink.getvalue()


def empty_parquet_bytes(schema: pa.Schema) -> bytes:
    """A Parquet file with no rows: readers globbing the partition still find the schema."""
    return parquet_bytes(schema.empty_table())
