"""A partition rewrites only the gold rows it can change, so its cost does not grow with history.

The compiled incremental SQL of a fact is the set of rows its run writes; it is run here
against a copy of a built warehouse, for windows holding a single new customer version.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.gold.conftest import run_dbt
from tests.gold.gold_fixture import customer, write_partition

pytestmark = pytest.mark.slow

ORDER_LINES = "compiled/ecom_dbt/models/marts/facts/fact_order_items.sql"


def rows_written(lake: Path, warehouse: Path, target: Path, day: str, next_day: str) -> set:
    """(order_id, line_number) of the rows fact_order_items would write for the window."""
    window = {"start_date": day, "end_date": next_day, "render_incremental": True}
    run_dbt(
        ["compile", "--select", "fact_order_items", "--vars", json.dumps(window)],
        lake=lake,
        warehouse=warehouse,
        target_path=target,
    )
    sql = (target / ORDER_LINES).read_text()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {tuple(row[:2]) for row in con.execute(sql).fetchall()}


@pytest.fixture(scope="module")
def built_copy(full_gold: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The three fixture days built, copied so new partitions leave the shared one alone."""
    root = tmp_path_factory.mktemp("scope")
    lake, warehouse = root / "lake", root / "warehouse.duckdb"
    shutil.copytree(full_gold.parent / "lake", lake)
    shutil.copy(full_gold, warehouse)
    # the staging views name the lake they read: point them at the copy
    run_dbt(["run", "--select", "staging"], lake=lake, warehouse=warehouse, target_path=root / "t")
    return lake, warehouse


def test_new_version_rewrites_no_earlier_fact(
    built_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    lake, warehouse = built_copy
    write_partition(lake, "customers", "2024-01-04", [customer("C1", "2024-01-04T00:00:00")])
    written = rows_written(lake, warehouse, tmp_path / "target", "2024-01-04", "2024-01-05")
    # C1's lines are all older than the new version, and the lines on -1 (O3 waits for
    # campaign K9, O5 for its order) wait for nothing this window brings
    assert written == set()


def test_new_first_version_rewrites_all_facts_of_its_key(
    built_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    lake, warehouse = built_copy
    write_partition(lake, "customers", "2024-01-05", [customer("C1", "2023-01-01T00:00:00")])
    written = rows_written(lake, warehouse, tmp_path / "target", "2024-01-05", "2024-01-06")
    assert written == {("O1", 1), ("O1", 2), ("O4", 1)}


def test_a_parent_arriving_brings_back_the_lines_waiting_for_it(
    built_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    lake, warehouse = built_copy
    k9 = {
        "campaign_id": "K9",
        "campaign_name": "Late",
        "channel": "email",
        "start_date": date(2024, 1, 1),
        "end_date": None,
        "budget": Decimal("5.00"),
        "updated_at": datetime(2024, 1, 6),
    }
    write_partition(lake, "campaigns", "2024-01-06", [k9])
    written = rows_written(lake, warehouse, tmp_path / "target", "2024-01-06", "2024-01-07")
    assert written == {("O3", 1)}  # O5 still waits for its order
