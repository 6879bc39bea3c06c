"""Small hand-written landing files for the bronze tests."""

from __future__ import annotations

from datetime import UTC, datetime

from ecom_platform.lib.bronze import BronzePartition, build_bronze_partition
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.storage import join_uri, open_store

INGESTED_AT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
ORDERS_HEADER = (
    "order_id,customer_id,order_ts,status,channel,campaign_id,shipping_amount,updated_at"
)
TS = "2024-01-01T10:00:00Z"


def order_line(order_id: str, customer: str = "c1") -> str:
    return f"{order_id},{customer},{TS},paid,web,,5.00,{TS}"


def orders_csv(*order_ids: str, header: str = ORDERS_HEADER, newline: str = "\n") -> str:
    return newline.join([header, *(order_line(o) for o in order_ids)]) + newline


def put(landing: str, entity: str, dt: str, name: str, data: str | bytes) -> str:
    uri = join_uri(landing, entity, f"dt={dt}", name)
    open_store(uri).write_bytes(uri, data.encode() if isinstance(data, str) else data)
    return uri


def build(landing: str, entity: str = "orders", dt: str = "2024-01-01") -> BronzePartition:
    return build_bronze_partition(get_entity(entity), dt, landing, INGESTED_AT)


def column(partition: BronzePartition, name: str) -> list:
    return partition.table[name].to_pylist()


def by_name(partition: BronzePartition) -> dict[str, object]:
    """Ledger outcomes keyed by file name."""
    return {f.source_file.rsplit("/", 1)[1]: f for f in partition.files}
