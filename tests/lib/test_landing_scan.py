"""The landing sensor's logic on a local landing folder with real bronze ledgers."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ecom_platform.lib.bronze import read_ledger, write_bronze_partition
from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.lib.landing_scan import (
    Entry,
    ScanCursor,
    ScanLimits,
    Window,
    local_entries,
    plan_ranges,
    scan_landing,
)
from tests.bronze.bronze_fixtures import build, orders_csv, put

WINDOW = Window(first=date(2024, 1, 1), last=date(2024, 3, 1), open_from=date(2024, 2, 25))


@pytest.fixture
def zone(tmp_path: Path) -> tuple[str, str]:
    return str(tmp_path / "landing"), str(tmp_path / "lake")


def ingest(landing: str, lake: str, entity: str, dt: str) -> None:
    write_bronze_partition(lake, build(landing, entity, dt))


def tick(landing: str, lake: str, cursor: ScanCursor, **limits):
    return scan_landing(
        list(ENTITY_NAMES),
        lambda entity, after: local_entries(landing, entity, after),
        lambda entity, dt: read_ledger(lake, entity, dt),
        cursor,
        WINDOW,
        ScanLimits(**limits),
    )


def test_processed_history_requests_nothing_and_a_late_file_reruns_its_day(zone):
    landing, lake = zone
    for dt in ("2024-01-05", "2024-02-26"):
        put(landing, "orders", dt, "a.csv", orders_csv("o1"))
        ingest(landing, lake, "orders", dt)

    first = tick(landing, lake, ScanCursor())
    assert first.changed == {}
    assert first.ledger_reads == 2

    again = tick(landing, lake, ScanCursor.decode(first.cursor.encode()))
    assert again.changed == {}
    assert again.ledger_reads == 1  # the settled open folder is not read again; the old one is

    put(landing, "orders", "2024-01-05", "late.csv", orders_csv("o2"))
    put(landing, "orders", "2024-02-26", "b.csv", orders_csv("o3"))
    put(landing, "orders", "2024-02-26", "c.csv", orders_csv("o4"))  # same second as b.csv
    late = tick(landing, lake, ScanCursor.decode(again.cursor.encode()))
    assert set(late.changed) == {"orders/2024-01-05", "orders/2024-02-26"}


def test_a_requested_day_is_not_requested_twice_until_it_changes_again(zone):
    landing, lake = zone
    put(landing, "payments", "2024-02-27", "a.csv", "payment_id\np1\n")
    requested = tick(landing, lake, ScanCursor())
    assert list(requested.changed) == ["payments/2024-02-27"]

    waiting = tick(landing, lake, requested.cursor)  # the run is still queued
    assert waiting.changed == {}

    put(landing, "payments", "2024-02-27", "a.csv", "payment_id\np1\np2\n")  # rewritten
    changed = tick(landing, lake, waiting.cursor)
    assert list(changed.changed) == ["payments/2024-02-27"]
    assert changed.changed["payments/2024-02-27"] != requested.changed["payments/2024-02-27"]

    ingest(landing, lake, "payments", "2024-02-27")  # the run caught up
    done = tick(landing, lake, changed.cursor)
    assert done.changed == {} and done.cursor.handled["payments/2024-02-27"].settled


def test_rewritten_file_with_the_same_name_is_a_change(zone):
    landing, lake = zone
    path = put(landing, "orders", "2024-01-10", "a.csv", orders_csv("o1"))
    ingest(landing, lake, "orders", "2024-01-10")
    assert tick(landing, lake, ScanCursor()).changed == {}
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert list(tick(landing, lake, ScanCursor()).changed) == ["orders/2024-01-10"]


def test_keys_outside_the_layout_are_skipped_with_a_reason(zone, tmp_path):
    landing, lake = zone
    put(landing, "orders", "2024-02-30", "a.csv", "x")  # impossible date
    put(landing, "orders", "2023-12-31", "a.csv", "x")  # before the first partition
    put(landing, "orders", "latest", "a.csv", "x")  # not a dt= folder
    put(landing, "orders", "2024-01-03", "we$ird;name.csv", "x")
    put(landing, "orders", "2024-01-03", ".partial.csv", "x")  # hidden: skipped silently
    Path(landing, "orders", "stray.csv").write_text("x")
    secret = tmp_path / "secret.csv"
    secret.write_text("order_id\n")
    Path(landing, "orders", "dt=2024-01-04").mkdir()
    Path(landing, "orders", "dt=2024-01-04", "link.csv").symlink_to(secret)
    Path(landing, "orders", "dt=2024-01-06").symlink_to(tmp_path)

    result = tick(landing, lake, ScanCursor())
    assert result.changed == {}
    reasons = result.skipped.counts
    assert reasons["impossible date"] == 1
    assert reasons["date outside the partitions 2024-01-01..2024-03-01"] == 1
    assert reasons["not inside a dt=YYYY-MM-DD folder"] == 2
    assert reasons["odd characters or '..' in the name"] == 1
    assert reasons["symlink (never followed)"] == 2
    assert "'orders/dt=2024-02-30/': impossible date" in result.skipped.summary()


def test_sweep_is_capped_per_tick_and_carries_its_position(zone):
    landing, lake = zone
    days = [f"2024-01-{d:02d}" for d in range(1, 21)]
    for dt in days:
        for name in ("a.csv", "b.csv"):
            put(landing, "orders", dt, name, orders_csv("o1", f"o-{name}"))
        ingest(landing, lake, "orders", dt)
    put(landing, "orders", "2024-01-17", "late.csv", orders_csv("o9"))

    cursor, visited, found = ScanCursor(), [], {}
    for _ in range(4):  # 41 keys, 12 a tick (six folders): the fourth tick wraps around
        result = tick(landing, lake, cursor, max_keys=12)
        visited.append(result.cursor.sweep_after)
        found.update(result.changed)
        cursor = ScanCursor.decode(result.cursor.encode())
    assert visited == ["orders/2024-01-06", "orders/2024-01-12", "orders/2024-01-18", None]
    assert list(found) == ["orders/2024-01-17"]


def test_a_hundred_thousand_keys_stay_well_inside_the_tick_timeout():
    """A generated listing: 9 entities x 370 days x 30 files, every day already ingested."""
    days = [date.fromordinal(date(2023, 3, 1).toordinal() + i).isoformat() for i in range(370)]
    window = Window(date(2023, 3, 1), date(2024, 3, 4), date(2024, 2, 26))
    calls: list[tuple[str, str | None]] = []

    def entries(entity: str, after: str | None) -> Iterator[Entry]:
        calls.append((entity, after))
        for dt in days:
            if after and f"dt={dt}/" <= f"{after}0":
                continue
            for n in range(30):
                name = f"part-{n:04d}.csv"
                yield Entry(f"dt={dt}", name, f"s3://b/{entity}/dt={dt}/{name}", 10, f"e{n}")

    def ledger(entity: str, dt: str) -> list[dict]:
        return [
            {"source_file": f"s3://b/{entity}/dt={dt}/part-{n:04d}.csv", "etag": f"e{n}"}
            for n in range(30)
        ]

    started, cursor, ticks = time.monotonic(), ScanCursor(), 0
    while True:
        tick_started = time.monotonic()
        result = scan_landing(list(ENTITY_NAMES), entries, ledger, cursor, window)
        assert time.monotonic() - tick_started < 15
        assert result.changed == {}
        assert result.keys_listed <= ScanLimits().max_keys + 30 + 9 * 8 * 30
        ticks += 1
        if result.cursor.sweep_after is None:
            break
        cursor = result.cursor
    assert ticks == 5  # 99,900 keys in chunks of 20,000
    assert time.monotonic() - started < 60


def test_changed_days_become_few_ranges():
    days = ["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-09", "2024-01-03"]
    assert plan_ranges(days) == [("2024-01-01", "2024-01-04"), ("2024-01-09", "2024-01-09")]
    assert plan_ranges(days, max_gap=4) == [("2024-01-01", "2024-01-09")]
    assert plan_ranges([f"2024-01-{d:02d}" for d in range(1, 11)], max_days=4) == [
        ("2024-01-01", "2024-01-04"),
        ("2024-01-05", "2024-01-08"),
        ("2024-01-09", "2024-01-10"),
    ]


@pytest.mark.parametrize("text", [None, "", "not json", '{"2024-01-01": "abc"}', '{"v": 2}'])
def test_an_unreadable_or_old_cursor_starts_afresh(text):
    assert ScanCursor.decode(text).handled == {}
