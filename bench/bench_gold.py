"""Gold (dbt on DuckDB) wall time: one partition and a 30-day single-run backfill.

    .venv/bin/python bench/bench_gold.py                    # scale 1: 30-day backfill, then 1 day
    .venv/bin/python bench/bench_gold.py --scale 100 --days 3
    .venv/bin/python bench/bench_gold.py --scale 10 --days 14 --day-one   # + day 1 alone

The bench writes its own silver lake with DuckDB (typed Parquet in `dt=` folders, as
docs/architecture.md describes) so it depends on neither the generator nor the silver layer.
Scale 1 is about 1,000 orders a day, with order status updates, customer and product
versions, payments, shipments, ten web events per order and a daily inventory snapshot.
It then times what one gold run does: `dbt build` over the window, on a fresh warehouse
for the backfill and incrementally for the day after it; `--day-one` also builds the first
day alone on a fresh warehouse, the yardstick the day after the history must stay close to.
The window reaches dbt as the gold asset passes it (`ECOM_GOLD_WINDOW`, not `--vars`), and
every build shares one target folder, so builds after the first reuse dbt's partial parse
while the profile (the warehouse file) stays the same. Each build prints its CPU seconds
too: on a shared machine they drift less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO / "ecom_dbt"
DBT = Path(sys.executable).parent / "dbt"
LINEAGE = "'bench.csv' as _source_file, 1::bigint as _line_number, now()::timestamp as _ingested_at"


def day_sql(day: int, dt: date, scale: int) -> dict[str, str]:
    """One day of silver per entity as DuckDB selects (deterministic: hash-based choices)."""
    orders = 1000 * scale
    customers = 5000 * scale
    ts = f"timestamp '{dt}' + to_seconds(i % 86400)"
    new_orders = f"(select {day} * 10000000 + i as o, i from range({orders}) t(i))"
    return {
        "customers": f"""
            select 'C' || k as customer_id, 'c' || k || '@example.com' as email,
                'Ann' as first_name, 'Lee' as last_name, 'DE' as country_code,
                'City ' || (k % 50) as city,
                ['none', 'silver', 'gold', 'platinum'][1 + (hash(k, {day}) % 4)::int]
                    as loyalty_tier,
                timestamp '2023-01-01' as signup_ts, {ts.replace("i %", "k %")} as updated_at
            from (select case when {day} = 0 then i else hash(i, {day}) % {customers} end as k
                  from range(case when {day} = 0 then {customers} else {200 * scale} end) t(i))""",
        "products": f"""
            select 'P' || k as product_id, 'Product ' || k || ' v{day}' as product_name,
                'category ' || (k % 12) as category, null::varchar as subcategory,
                'Acme' as brand, (5 + k % 200)::decimal(18, 2) as unit_price, true as is_active,
                {ts.replace("i %", "k %")} as updated_at
            from (select case when {day} = 0 then i else hash(i, {day}) % 500 end as k
                  from range(case when {day} = 0 then 500 else 10 end) t(i))""",
        "campaigns": """
            select 'K' || i as campaign_id, 'Campaign ' || i as campaign_name,
                'email' as channel, date '2024-01-01' as start_date, null::date as end_date,
                1000.00::decimal(18, 2) as budget, timestamp '2023-12-01' as updated_at
            from range(20) t(i)""",
        "orders": f"""
            select 'O' || o as order_id, 'C' || (hash(o) % {customers}) as customer_id,
                {ts} as order_ts, 'placed' as status, 'web' as channel,
                case when i % 5 = 0 then 'K' || (i % 20) end as campaign_id,
                4.90::decimal(18, 2) as shipping_amount, {ts} as updated_at
            from {new_orders}
            union all
            select 'O' || ({day} - 1) * 10000000 + i, 'C' || (hash(({day} - 1) * 10000000 + i)
                % {customers}), timestamp '{dt - timedelta(days=1)}' + to_seconds(i % 86400),
                'shipped', 'web', case when i % 5 = 0 then 'K' || (i % 20) end,
                4.90::decimal(18, 2), {ts}
            from range(case when {day} = 0 then 0 else {orders // 2} end) t(i)""",
        "order_items": f"""
            select 'O' || o as order_id, line as line_number,
                'P' || (hash(o, line) % 500) as product_id, 1 + (hash(o) % 3)::bigint as quantity,
                (5 + hash(o, line) % 200)::decimal(18, 2) as unit_price,
                0.00::decimal(18, 2) as discount_amount
            from {new_orders}, range(1, 4) l(line) where line = 1 or hash(o, line) % 4 <> 0""",
        "payments": f"""
            select 'Y' || o as payment_id, 'O' || o as order_id, {ts} as payment_ts,
                'paypal' as method, 20.00::decimal(18, 2) as amount, 'captured' as status,
                {ts} as updated_at
            from {new_orders}""",
        "shipments": f"""
            select 'S' || o as shipment_id, 'O' || o as order_id, 'dhl' as carrier,
                'shipped' as status, {ts} as shipped_ts, null::timestamp as delivered_ts,
                {ts} as updated_at
            from {new_orders}""",
        "web_events": f"""
            select 'E' || o || '-' || n as event_id, 'S' || o as session_id,
                'C' || (hash(o) % {customers}) as customer_id,
                ['page_view', 'product_view', 'add_to_cart', 'purchase'][1 + n % 4] as event_type,
                case when n % 4 in (1, 2) then 'P' || (hash(o, n) % 500) end as product_id,
                {ts} as event_ts, 'mobile' as device, '/' as page_url
            from {new_orders}, range(10) e(n)""",
        "inventory": f"""
            select 'W' || w as warehouse_id, 'P' || p as product_id,
                (hash(p, w, {day}) % 100)::bigint as on_hand_qty, date '{dt}' as snapshot_date
            from range(500) a(p), range(3) b(w)""",
    }


def write_silver_day(
    con: duckdb.DuckDBPyConnection, lake: Path, day: int, dt: date, scale: int
) -> None:
    for entity, sql in day_sql(day, dt, scale).items():
        folder = lake / "silver" / entity / f"dt={dt}"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "part-00000.parquet"
        con.execute(f"copy (select *, {LINEAGE} from ({sql})) to '{target}' (format parquet)")


def slowest_nodes(target: Path, count: int = 5) -> str:
    """Where a build spent its time, from dbt's run_results.json."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:count]
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in ranked)


def dbt_build(lake: Path, warehouse: Path, start: date, end: date) -> float:
    """Seconds for one gold run: `dbt build` over [start, end)."""
    window = {"start_date": start.isoformat(), "end_date": end.isoformat(), "exclude_dates": []}
    env = {
        "ECOM_GOLD_WINDOW": json.dumps(window),
        **os.environ,
        "ECOM_TARGET": "local",
        "ECOM_LAKE_URI": str(lake),
        "ECOM_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(lake.parent / "target"),
        "DBT_LOG_PATH": str(lake.parent / "target"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    started, cpu_started = time.perf_counter(), children_cpu_seconds()
    result = subprocess.run(
        [str(DBT), "build"],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{result.stdout[-4000:]}")
    cpu = children_cpu_seconds() - cpu_started
    parse = "full parse" if "Unable to do partial parsing" in result.stdout else "partial parse"
    print(f"  {parse}, {cpu:.1f} CPU s; slowest: {slowest_nodes(lake.parent / 'target')}")
    return elapsed


def children_cpu_seconds() -> float:
    """User + system CPU seconds of finished child processes (dbt and its DuckDB threads)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--days", type=int, default=30, help="history built as one backfill")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--day-one", action="store_true", help="also day 1 alone, fresh")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_gold_") as tmp:
        lake, warehouse = Path(tmp) / "lake", Path(tmp) / "warehouse.duckdb"
        days = [args.start + timedelta(days=n) for n in range(args.days + 1)]
        con = duckdb.connect()
        started = time.perf_counter()
        for number, dt in enumerate(days[:-1]):
            write_silver_day(con, lake, number, dt, args.scale)
        seconds = time.perf_counter() - started
        print(f"silver: {args.days} days at scale {args.scale} written in {seconds:.1f}s")

        backfill = dbt_build(lake, warehouse, days[0], days[-1])
        print(f"gold: {args.days}-day single-run backfill (fresh warehouse): {backfill:.1f}s")

        write_silver_day(con, lake, len(days) - 1, days[-1], args.scale)
        one_day = dbt_build(lake, warehouse, days[-1], days[-1] + timedelta(days=1))
        print(f"gold: one partition after {args.days} days of history: {one_day:.1f}s")
        with duckdb.connect(str(warehouse), read_only=True) as gold:
            lines = gold.execute("select count(*) from fact_order_items").fetchone()[0]
        print(f"fact_order_items rows: {lines:,}")
        if args.day_one:
            first = day_one(Path(tmp), lake, days[0], args.scale)
            print(f"gold: day 1 alone (fresh warehouse): {first:.1f}s")
            print(f"ratio day after history / day 1 alone: {one_day / first:.2f}")


def day_one(tmp: Path, lake: Path, first: date, scale: int) -> float:
    """The first day alone in a fresh lake, warehouse and target folder: a new warehouse
    changes dbt's profile, so this build parses fully, as a first run would."""
    alone = tmp / "day_one" / "lake"
    for folder in (lake / "silver").glob(f"*/dt={first}"):
        (alone / folder.relative_to(lake)).mkdir(parents=True)
        for part in folder.iterdir():
            (alone / part.relative_to(lake)).write_bytes(part.read_bytes())
    return dbt_build(alone, tmp / "day_one" / "warehouse.duckdb", first, first + timedelta(days=1))


if __name__ == "__main__":
    main()
