"""Silver wall time for one day's partition of every entity, split into Spark start-up and work.

    .venv/bin/python bench/bench_silver.py --scale 1
    .venv/bin/python bench/bench_silver.py --scale 100
    .venv/bin/python bench/bench_silver.py --lake data/lake --dt 2024-01-01   # existing bronze

Without --lake the bench writes synthetic bronze files straight from the entity
specs (same volumes as bench_bronze: scale 1 is 1,000 orders and 10,000 web
events a day), with ~2% defective rows and ~1% repeated versions, so it needs
neither the generator nor the bronze layer. It also times the quality gates
(Pandera + reconciliation, no Spark) and reports the peak memory of this process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ecom_platform.lib.entities import ENTITIES, ColumnType, Entity
from ecom_platform.lib.lake import bronze_partition_uri
from ecom_platform.lib.silver_quality import reconcile, validate_partition
from ecom_platform.spark_jobs.pipeline import run_silver
from ecom_platform.spark_jobs.session import build_local_session

ROWS_PER_SCALE = {
    "customers": 200,
    "products": 20,
    "campaigns": 1,
    "orders": 1000,
    "order_items": 2500,
    "payments": 1000,
    "shipments": 800,
    "web_events": 10000,
    "inventory": 100,
}
VALUES = {
    ColumnType.TIMESTAMP: "2024-01-01T12:34:56Z",
    ColumnType.DATE: "2024-01-01",
    ColumnType.DECIMAL: "19.99",
    ColumnType.INT: "2",
    ColumnType.BOOL: "true",
}
DEFECT_EVERY, DUPLICATE_EVERY = 50, 100


def row_count(entity: str, scale: float) -> int:
    return max(1, int(ROWS_PER_SCALE[entity] * scale))


def column_values(entity: Entity, name: str, rows: list[int], scale: float) -> list[str]:
    """Valid values for one column: unique keys, known parents, listed enum values."""
    column = entity.column(name)
    parents = {r.column: r for r in entity.references}
    if name in entity.key:
        return [str(i + 1) if column.type is ColumnType.INT else f"{name}-{i}" for i in rows]
    if name in parents:
        count = row_count(parents[name].parent, scale)
        return [f"{parents[name].parent_column}-{i % count}" for i in rows]
    if column.enum is not None:
        return [column.enum[min(1, len(column.enum) - 1)]] * len(rows)
    if column.allowed is not None:
        return ["DE"] * len(rows)
    return [VALUES.get(column.type, f"{name} text")] * len(rows)


def with_defects(entity: Entity, data: dict[str, list[str]]) -> None:
    """Every DEFECT_EVERY-th row misses its first required non-key value."""
    target = next(c.name for c in entity.columns if c.required and c.name not in entity.key)
    for i in range(DEFECT_EVERY // 2, len(data[target]), DEFECT_EVERY):
        data[target][i] = ""


def bronze_table(entity: Entity, scale: float, dt: str) -> pa.Table:
    n = row_count(entity.name, scale)
    rows = [i - 1 if i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 else i for i in range(n)]
    data = {name: column_values(entity, name, rows, scale) for name in entity.column_names}
    if entity.name == "web_events":
        data["event_type"] = ["product_view"] * n
    with_defects(entity, data)
    source = f"landing/{entity.name}/dt={dt}/part-000.csv"
    lineage = {
        "_source_file": pa.array([source] * n),
        "_line_number": pa.array(range(2, n + 2), pa.int64()),
        "_ingested_at": pa.array([datetime.now(UTC)] * n, pa.timestamp("us", tz="UTC")),
        "_file_hash": pa.array(["0" * 64] * n),
        "_malformed": pa.array([False] * n),
        "_raw_record": pa.array([",".join(vals) for vals in zip(*data.values(), strict=True)]),
    }
    return pa.table({**{k: pa.array(v, pa.string()) for k, v in data.items()}, **lineage})


def write_synthetic_bronze(lake: Path, dt: str, scale: float) -> None:
    for entity in ENTITIES:
        path = Path(bronze_partition_uri(str(lake), entity.name, dt))
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(bronze_table(entity, scale, dt), path)


def timed(label: str, started: float) -> float:
    elapsed = time.perf_counter() - started
    print(f"{label:<28}{elapsed:8.2f} s")
    return elapsed


def run(lake: Path, dt: str) -> None:
    started = time.perf_counter()
    spark = build_local_session()
    startup = timed("spark start-up", started)
    started = time.perf_counter()
    stats = run_silver(spark, str(lake), [e.name for e in ENTITIES], [dt])
    transform = timed("silver transforms", started)
    for entity, (partition,) in stats.items():
        print(f"  {entity:<14}{partition.rows_in:>10,} rows in {partition.silver_rows:>10,} out")
    print(f"{'silver total':<28}{startup + transform:8.2f} s (start-up {startup:.1f} s)")
    spark.stop()
    started = time.perf_counter()
    for entity in ENTITIES:
        report, balance = (
            validate_partition(str(lake), entity, dt),
            reconcile(str(lake), entity.name, dt),
        )
        if not (report.passed and balance.balanced):
            print(f"  gate failed for {entity.name}: {report.failures} {balance}")
    timed("quality gates (pandas)", started)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS of this process':<28}{peak_mib:8.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--lake", help="an existing lake with bronze for --dt")
    parser.add_argument("--dt", default="2024-01-01")
    args = parser.parse_args()
    if args.lake:
        run(Path(args.lake), args.dt)
        return
    with tempfile.TemporaryDirectory(prefix="bench-silver-") as folder:
        started = time.perf_counter()
        write_synthetic_bronze(Path(folder), args.dt, args.scale)
        timed(f"synthetic bronze, scale {args.scale:g}", started)
        run(Path(folder), args.dt)


if __name__ == "__main__":
    main()
