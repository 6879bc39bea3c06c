"""Processing partitions in any order, or twice, gives identical gold tables.

Each sequence writes a day's silver just before processing it, as the pipeline does, so
every run after the first is incremental and sees only what has arrived so far. Three
warehouses (forward, reverse, repeated) are compared table by table with each other and
with a single build over all three days.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.gold.conftest import DAYS, GOLD_TABLES, build_window, next_day, query, read_table
from tests.gold.gold_fixture import Partition, partitions, write_day

pytestmark = pytest.mark.slow

Step = tuple[int | None, str, str]  # (day index to write first or None, window start, end)
Probe = Callable[[Path, int], None]

ALL = (DAYS[0], next_day(DAYS[-1]))
FORWARD: tuple[Step, ...] = tuple((i, d, next_day(d)) for i, d in enumerate(DAYS))
REVERSE: tuple[Step, ...] = tuple(reversed(FORWARD))
REPEATED: tuple[Step, ...] = (
    FORWARD[0],
    (None, DAYS[0], next_day(DAYS[0])),  # the same partition again
    FORWARD[1],
    FORWARD[2],
    (None, *ALL),  # old partitions again, as one range backfill, after the newest
)


def run_sequence(root: Path, steps: tuple[Step, ...], probe: Probe | None = None) -> Path:
    lake, warehouse, target = root / "lake", root / "warehouse.duckdb", root / "target"
    days: tuple[Partition, ...] = partitions()
    for number, (day, start, end) in enumerate(steps):
        if day is not None:
            write_day(lake, days[day])
        last = number == len(steps) - 1
        build_window(lake, warehouse, target, start, end, "build" if last else "run")
        if probe is not None:
            probe(warehouse, number)
    return warehouse


def forward_probe(warehouse: Path, step: int) -> None:
    """After day 2 the line of order O4 (arriving on day 3) sits on the unknown members."""
    if step == 1:
        assert query(
            warehouse,
            "select order_date_key, customer_key, product_key, channel_key, campaign_key, "
            "order_status from fact_order_items where order_id = 'O4'",
        ) == [(-1, -1, -1, -1, -1, None)]


def reverse_probe(warehouse: Path, step: int) -> None:
    """Day 3 alone: entities that never had a partition (order_items, ...) are zero rows."""
    if step == 0:
        assert query(warehouse, "select count(*) from fact_order_items") == [(0,)]
        assert query(warehouse, "select count(*) from fact_web_events") == [(0,)]
        assert query(warehouse, "select count(*) from dim_campaigns") == [(1,)]  # unknown only


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sequences = {
        "forward": (FORWARD, forward_probe),
        "reverse": (REVERSE, reverse_probe),
        "repeated": (REPEATED, None),
    }
    with ThreadPoolExecutor(max_workers=len(sequences)) as pool:
        futures = {
            name: pool.submit(run_sequence, tmp_path_factory.mktemp(name), steps, probe)
            for name, (steps, probe) in sequences.items()
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("table", GOLD_TABLES)
def test_every_order_gives_the_same_table(
    warehouses: dict[str, Path], full_gold: Path, table: str
) -> None:
    reference = read_table(full_gold, table)
    assert reference, f"{table} is empty: the comparison would prove nothing"
    for name, warehouse in warehouses.items():
        assert read_table(warehouse, table) == reference, f"{table} differs after {name} order"
