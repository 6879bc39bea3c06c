"""Where each layer keeps its files in the lake (one place, so every layer agrees).

<lake>/bronze/<entity>/dt=YYYY-MM-DD/data.parquet        raw strings + lineage
<lake>/bronze_files/<entity>/dt=YYYY-MM-DD/files.parquet  ledger: one row per landing file
<lake>/silver/<entity>/dt=YYYY-MM-DD/*.parquet            typed, clean, deduplicated
<lake>/quarantine/<entity>/dt=YYYY-MM-DD/*.parquet        rejected rows with reason codes
"""

from __future__ import annotations

from ecom_platform.lib.storage import join_uri

LANDING_DT_PREFIX = "dt="

# Lineage columns that bronze adds to every record; silver keeps the first three.
SOURCE_FILE = "_source_file"  # URI of the landing file
LINE_NUMBER = "_line_number"  # 1-based physical line where the record starts (CSV header = 1)
INGESTED_AT = "_ingested_at"  # UTC timestamp of the bronze run
FILE_HASH = "_file_hash"  # sha256 of the file's raw bytes
MALFORMED = "_malformed"  # the record could not be parsed; only _raw_record is meaningful
RAW_RECORD = "_raw_record"  # the record's raw text
LINEAGE_COLUMNS = (SOURCE_FILE, LINE_NUMBER, INGESTED_AT, FILE_HASH, MALFORMED, RAW_RECORD)


def partition_folder(dt: str) -> str:
    return f"{LANDING_DT_PREFIX}{dt}"


def landing_partition_uri(landing: str, entity: str, dt: str) -> str:
    return join_uri(landing, entity, partition_folder(dt))


def bronze_partition_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(lake, "bronze", entity, partition_folder(dt), "data.parquet")


def bronze_ledger_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(lake, "bronze_files", entity, partition_folder(dt), "files.parquet")


def silver_entity_uri(lake: str, entity: str) -> str:
    return join_uri(lake, "silver", entity)


def silver_partition_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(silver_entity_uri(lake, entity), partition_folder(dt))


def quarantine_partition_uri(lake: str, entity: str, dt: str) -> str:
    return join_uri(lake, "quarantine", entity, partition_folder(dt))
