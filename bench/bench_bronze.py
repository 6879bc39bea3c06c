"""Bronze throughput for one day's partition of every entity.

    .venv/bin/python bench/bench_bronze.py                     # synthetic day, scale 100
    .venv/bin/python bench/bench_bronze.py --scale 10
    .venv/bin/python bench/bench_bronze.py --landing data/landing --dt 2024-01-01

Without --landing the bench writes its own plain CSV / JSONL landing day
(scale 1 is about 1,000 orders) so it does not depend on the generator.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ecom_platform.lib.bronze import build_bronze_partition, write_bronze_partition
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.ingest_pool import IngestPool
from ecom_platform.lib.lake import landing_partition_uri

TS = "2024-01-01T12:34:56Z"
RowMaker = Callable[[int, random.Random], str]

# entity -> (header, rows per unit of scale, one CSV line or JSON object for row i)
SYNTHETIC: dict[str, tuple[str | None, int, RowMaker]] = {
    "customers": (
        "customer_id,email,first_name,last_name,country_code,city,loyalty_tier,signup_ts,updated_at",
        200,
        lambda i, r: f"C{i},user{i}@example.com,Ann,Lee,DE,Berlin,gold,{TS},{TS}",
    ),
    "products": (
        "product_id,product_name,category,subcategory,brand,unit_price,is_active,updated_at",
        20,
        lambda i, r: f'P{i},"Widget, size {i}",Home,Kitchen,Acme,{r.randint(1, 999)}.99,true,{TS}',
    ),
    "campaigns": (
        "campaign_id,campaign_name,channel,start_date,end_date,budget,updated_at",
        1,
        lambda i, r: f"K{i},Spring {i},email,2024-01-01,2024-02-01,1000.00,{TS}",
    ),
    "orders": (
        "order_id,customer_id,order_ts,status,channel,campaign_id,shipping_amount,updated_at",
        1000,
        lambda i, r: f"O{i},C{r.randint(1, 20000)},{TS},paid,web,K1,4.99,{TS}",
    ),
    "order_items": (
        "order_id,line_number,product_id,quantity,unit_price,discount_amount",
        2500,
        lambda i, r: f"O{i // 3},{i % 3 + 1},P{r.randint(1, 2000)},{r.randint(1, 5)},19.99,0.00",
    ),
    "payments": (
        "payment_id,order_id,payment_ts,method,amount,status,updated_at",
        1000,
        lambda i, r: f"Y{i},O{i},{TS},credit_card,{r.randint(5, 500)}.00,captured,{TS}",
    ),
    "shipments": (
        "shipment_id,order_id,carrier,status,shipped_ts,delivered_ts,updated_at",
        800,
        lambda i, r: f"S{i},O{i},DHL,shipped,{TS},,{TS}",
    ),
    "web_events": (
        None,
        10000,
        lambda i, r: (
            f'{{"event_id": "E{i}", "session_id": "S{i // 20}", "customer_id": '
            f'{"null" if i % 3 else f"{chr(34)}C{i % 20000}{chr(34)}"}, "event_type": '
            f'"product_view", "product_id": "P{i % 2000}", "event_ts": "{TS}", '
            f'"device": "mobile", "page_url": "https://shop.example.com/p/{i % 2000}"}}'
        ),
    ),
    "inventory": (
        "warehouse_id,product_id,on_hand_qty,snapshot_date",
        100,
        lambda i, r: f"W{i % 5},P{i},{r.randint(0, 500)},2024-01-01",
    ),
}


def synthetic_lines(entity: str, scale: float, rng: random.Random) -> Iterator[str]:
    header, per_scale, make = SYNTHETIC[entity]
    if header is not None:
        yield header
    for i in range(max(1, int(per_scale * scale))):
        yield make(i, rng)


def write_synthetic_day(root: Path, dt: str, scale: float) -> None:
    rng = random.Random(42)
    for entity in ENTITIES:
        folder = Path(landing_partition_uri(str(root), entity.name, dt))
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part-000.{entity.file_format}"
        (folder / name).write_text("\n".join(synthetic_lines(entity.name, scale, rng)) + "\n")


def run_bronze(landing: str, lake: str, dt: str) -> None:
    ingested_at = datetime.now(UTC)
    total_rows = total_bytes = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    print(f"{'entity':<12} {'files':>5} {'rows':>10} {'MB':>8} {'seconds':>8} {'rows/s':>10}")
    with IngestPool() as pool:
        for entity in ENTITIES:
            entity_start = time.perf_counter()
            partition = build_bronze_partition(entity, dt, landing, ingested_at, pool)
            write_bronze_partition(lake, partition)
            seconds = time.perf_counter() - entity_start
            rows = partition.table.num_rows
            total_rows += rows
            total_bytes += partition.bytes_read
            print(
                f"{entity.name:<12} {len(partition.files):>5} {rows:>10} "
                f"{partition.bytes_read / 1e6:>8.1f} {seconds:>8.2f} {rows / seconds:>10.0f}"
            )
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        f"{'total':<12} {'':>5} {total_rows:>10} {total_bytes / 1e6:>8.1f} {wall:>8.2f} "
        f"{total_rows / wall:>10.0f}"
    )
    # On a shared machine wall time includes waiting for a CPU; CPU time does not (nor does
    # it count the worker processes that parse big partitions).
    print(f"CPU time {cpu:.2f}s ({total_rows / cpu:.0f} rows per CPU second)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", help="existing landing URI (default: a synthetic day)")
    parser.add_argument("--lake", help="lake URI to write to (default: a temporary folder)")
    parser.add_argument("--dt", default="2024-01-01")
    parser.add_argument("--scale", type=float, default=100.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_bronze_") as tmp:
        landing = args.landing
        if landing is None:
            landing = str(Path(tmp) / "landing")
            started = time.perf_counter()
            write_synthetic_day(Path(landing), args.dt, args.scale)
            print(
                f"synthetic landing day, scale {args.scale}: {time.perf_counter() - started:.1f}s"
            )
        run_bronze(landing, args.lake or str(Path(tmp) / "lake"), args.dt)


if __name__ == "__main__":
    main()
