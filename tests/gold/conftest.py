"""Helpers to build gold warehouses from fixture silver lakes with the real dbt CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.gold.gold_fixture import DAYS, partitions, write_day

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO / "ecom_dbt"
DBT = Path(sys.executable).parent / "dbt"
# Everything the gold layer writes, compared table by table.
GOLD_TABLES = (
    "dim_date",
    "dim_customers",
    "dim_products",
    "dim_campaigns",
    "dim_channels",
    "dim_payment_methods",
    "dim_shipment_status",
    "dim_geography",
    "int_customers_versioned",
    "int_products_versioned",
    "int_orders_latest",
    "int_order_keys",
    "fact_order_items",
    "fact_orders",
    "fact_payments",
    "fact_shipments",
    "fact_web_events",
    "fact_inventory_snapshot",
    "mart_daily_revenue",
    "mart_customer_lifetime_value",
    "mart_category_performance_monthly",
    "mart_orders_per_customer",
    "mart_web_conversion_funnel",
    "dq_quarantine",
    "dq_landing_files",
    "dq_rejected_files",
    "dq_orphans",
    "mart_data_quality_daily",
    "mart_data_quality_details",
)


def next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def run_dbt(
    args: list[str], *, lake: Path, warehouse: Path, target_path: Path, env: dict | None = None
) -> str:
    """Run the dbt CLI on the project with its own target folder; fail with dbt's log."""
    environment = {
        **os.environ,
        "ECOM_TARGET": "local",
        "ECOM_LAKE_URI": str(lake),
        "ECOM_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **(env or {}),
    }
    result = subprocess.run(
        [str(DBT), *args],
        cwd=DBT_PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}"
    return result.stdout


def build_window(
    lake: Path, warehouse: Path, target_path: Path, start: str, end: str, command: str = "build"
) -> None:
    """What one gold run does: `dbt build` over the partition window [start, end).

    `command="run"` skips the data tests, for intermediate steps whose end state is tested.
    """
    window = json.dumps({"start_date": start, "end_date": end})
    run_dbt([command, "--vars", window], lake=lake, warehouse=warehouse, target_path=target_path)


def read_table(warehouse: Path, table: str) -> list[tuple]:
    """Every row of a gold table in a stable order (read-only, as readers must)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from {table} order by all").fetchall()


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def full_gold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All three fixture days in silver, then one build over the whole range."""
    root = tmp_path_factory.mktemp("full_gold")
    lake, warehouse = root / "lake", root / "warehouse.duckdb"
    for partition in partitions():
        write_day(lake, partition)
    build_window(lake, warehouse, root / "target", DAYS[0], next_day(DAYS[-1]))
    return warehouse
