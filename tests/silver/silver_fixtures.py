"""Bronze fixture files written with pyarrow, following docs/architecture.md (not bronze's code)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib.lake import bronze_partition_uri

INGESTED = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def bronze_table(records: list[dict[str, str | None]], source_file: str) -> pa.Table:
    """One bronze row per record; a record {"_malformed": "<raw text>"} is a malformed line."""
    columns = sorted({key for record in records for key in record if key != "_malformed"})
    data: dict[str, list] = {name: [] for name in columns}
    lineage: dict[str, list] = {
        "_source_file": [],
        "_line_number": [],
        "_ingested_at": [],
        "_file_hash": [],
        "_malformed": [],
        "_raw_record": [],
    }
    for line, record in enumerate(records, start=2):
        malformed = "_malformed" in record
        for name in columns:
            data[name].append(None if malformed else record.get(name))
        lineage["_source_file"].append(source_file)
        lineage["_line_number"].append(line)
        lineage["_ingested_at"].append(INGESTED)
        lineage["_file_hash"].append("hash-" + source_file)
        lineage["_malformed"].append(malformed)
        lineage["_raw_record"].append(record["_malformed"] if malformed else json.dumps(record))
    arrays = {name: pa.array(values, pa.string()) for name, values in data.items()}
    arrays.update(
        {
            "_source_file": pa.array(lineage["_source_file"], pa.string()),
            "_line_number": pa.array(lineage["_line_number"], pa.int64()),
            "_ingested_at": pa.array(lineage["_ingested_at"], pa.timestamp("us", tz="UTC")),
            "_file_hash": pa.array(lineage["_file_hash"], pa.string()),
            "_malformed": pa.array(lineage["_malformed"], pa.bool_()),
            "_raw_record": pa.array(lineage["_raw_record"], pa.string()),
        }
    )
    return pa.table(arrays)


def write_bronze(
    lake: Path, entity: str, dt: str, records: list[dict[str, str | None]], source: str = "a.csv"
) -> None:
    path = Path(bronze_partition_uri(str(lake), entity, dt))
    path.parent.mkdir(parents=True, exist_ok=True)
    source_file = f"landing/{entity}/dt={dt}/{source}"
    pq.write_table(bronze_table(records, source_file), path)


def customer(customer_id: str = "c1", **overrides: str | None) -> dict[str, str | None]:
    row = {
        "customer_id": customer_id,
        "email": "Ann@Example.com ",
        "first_name": "Ann",
        "last_name": "Lee",
        "country_code": "de",
        "city": "Berlin",
        "loyalty_tier": " Gold",
        "signup_ts": "2023-05-01T10:00:00Z",
        "updated_at": "2024-01-01 08:00:00",
    }
    row.update(overrides)
    return row


def local_silver_resources(lake: Path, min_rows: int | None = None) -> dict[str, object]:
    """What the silver assets and checks need for a local run over `lake`."""
    from ecom_platform.defs.common.resources import LakeResource
    from ecom_platform.defs.silver.resources import LocalSparkSilverRunner, QuarantineGateResource
    from ecom_platform.settings import load_settings

    lake_resource = LakeResource(landing_uri=str(lake.parent / "landing"), lake_uri=str(lake))
    gate = QuarantineGateResource.from_settings(load_settings({}))
    if min_rows is not None:
        gate = QuarantineGateResource(
            warn_rate=gate.warn_rate, fail_rate=gate.fail_rate, min_rows=min_rows
        )
    return {
        "lake": lake_resource,
        "silver_runner": LocalSparkSilverRunner(lake=lake_resource),
        "quarantine_gate": gate,
    }
