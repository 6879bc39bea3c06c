"""The warehouse answers "what was rejected, and where did this row come from" (issue 13).

Built from the fixture lake, whose quarantine, ledger and silver statistics files are
written beside silver (gold_fixture.write_day); every expectation is read back from those
files, not restated.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ecom_platform.lib import lake
from tests.gold.conftest import DAYS, build_window, next_day, query
from tests.gold.gold_fixture import landing_file, partitions, write_day

pytestmark = pytest.mark.slow


def lake_rows(lake_dir: Path, layer: lake.Layer) -> list[dict]:
    """Every row of a bookkeeping layer, straight from its Parquet files."""
    return [
        row
        for path in sorted(lake_dir.glob(f"{layer}/*/*/*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("data_quality")
    lake_dir, warehouse = root / "lake", root / "warehouse.duckdb"
    for partition in partitions():
        write_day(lake_dir, partition)
    build_window(lake_dir, warehouse, root / "target", DAYS[0], next_day(DAYS[-1]))
    return lake_dir, warehouse


def test_quarantine_counts_by_entity_and_reason_equal_the_files(built) -> None:
    lake_dir, warehouse = built
    files = lake_rows(lake_dir, lake.Layer.QUARANTINE)
    assert files, "the fixture must quarantine something"
    expected = Counter((r["entity"], r["reason"]) for r in files)
    rows = query(warehouse, "select entity, reason, count(*) from dq_quarantine group by all")
    assert {(e, r): n for e, r, n in rows} == expected


def test_quarantined_records_keep_their_landing_line_and_codes(built) -> None:
    lake_dir, warehouse = built
    expected = sorted(
        (
            r["entity"],
            date.fromisoformat(r["dt"]),
            r["source_file"],
            r["line_number"],
            r["reason_codes"],
            r["reason"],
            r["raw_record"],
        )
        for r in lake_rows(lake_dir, lake.Layer.QUARANTINE)
    )
    assert query(warehouse, "select * from dq_quarantine order by all") == expected


def test_rejected_files_are_the_ledgers_quarantined_files(built) -> None:
    lake_dir, warehouse = built
    ledger = lake_rows(lake_dir, lake.Layer.LEDGER)
    quarantined = sorted(
        (r["entity"], date.fromisoformat(r["dt"]), r["source_file"], r["reason"], r["message"])
        for r in ledger
        if r["status"] == "quarantined"
    )
    assert quarantined, "the fixture must reject a file"
    rejected = query(
        warehouse,
        "select entity, dt, source_file, reason, message from dq_rejected_files order by all",
    )
    assert rejected == quarantined
    statuses = query(warehouse, "select source_file, file_status from dq_landing_files")
    assert sorted(statuses) == sorted((r["source_file"], r["status"]) for r in ledger)


def test_a_fact_row_points_at_the_landing_line_of_its_silver_row(built) -> None:
    lake_dir, warehouse = built
    first_delivery: dict[tuple, tuple] = {}  # a line delivered twice is the first one's
    for path in sorted((lake_dir / lake.Layer.SILVER / "order_items").glob("*/*.parquet")):
        for r in pq.read_table(path).to_pylist():
            key = (r["order_id"], r["line_number"])
            first_delivery.setdefault(key, (r[lake.SOURCE_FILE], r[lake.LINE_NUMBER]))
    facts = query(
        warehouse, "select order_id, line_number, source_file, source_line from fact_order_items"
    )
    assert sorted(facts) == sorted((*key, *where) for key, where in first_delivery.items())
    # O2's line arrived on day 1 and again on day 2: the line is the first delivery's.
    assert ("O2", 1, landing_file("order_items", DAYS[0]), 4) in facts


def test_cdc_facts_carry_the_lineage_of_the_version_they_reflect(built) -> None:
    _, warehouse = built
    # O1's latest version (paid) is the first record of day 2; its first version came
    # again on day 3 (history, never the current row).
    assert query(
        warehouse,
        "select order_status, source_file, source_line from fact_orders where order_id = 'O1'",
    ) == [("paid", landing_file("orders", DAYS[1]), 2)]
    # S1's latest version (delivered) is day 3's.
    assert query(warehouse, "select shipment_status, source_file from fact_shipments") == [
        ("delivered", landing_file("shipments", DAYS[2]))
    ]
    assert query(warehouse, "select count(*) from fact_payments where ingested_at is null") == [
        (0,)
    ]


def test_nothing_lost_holds_per_entity_and_day(built) -> None:
    _, warehouse = built
    rows = query(
        warehouse,
        "select entity, dt, rows_read, rows_in_silver, quarantined, duplicates, nothing_lost "
        "from mart_data_quality_daily",
    )
    expected = {
        (entity, date.fromisoformat(p.dt)): p.rows_read(entity)
        for p in partitions()
        for entity in p.entities
    }
    assert {(e, d): read for e, d, read, *_ in rows} == expected
    for entity, dt, read, silver, quarantined, duplicates, holds in rows:
        assert holds is True and read == silver + quarantined + duplicates, (entity, dt)
    assert sum(r[5] for r in rows) > 0, "the fixture must drop duplicates"


def test_the_mart_counts_rejected_and_duplicate_files(built) -> None:
    _, warehouse = built
    assert query(
        warehouse,
        "select entity, dt, files_seen, files_rejected, files_duplicate "
        "from mart_data_quality_daily where files_rejected + files_duplicate > 0 order by all",
    ) == [("orders", date(2024, 1, 3), 2, 0, 1), ("payments", date(2024, 1, 2), 2, 1, 0)]


def test_a_lost_row_breaks_the_equation(tmp_path: Path) -> None:
    """The check must be able to fail: a silver row missing from the files shows up."""
    lake_dir, warehouse = tmp_path / "lake", tmp_path / "warehouse.duckdb"
    day = partitions()[0]
    write_day(lake_dir, day)
    silver = next((lake_dir / "silver" / "customers").glob("*/*.parquet"))
    table = pq.read_table(silver)
    pq.write_table(table.slice(0, table.num_rows - 1), silver)
    build_window(lake_dir, warehouse, tmp_path / "target", day.dt, next_day(day.dt), "run")
    assert query(
        warehouse, "select entity, nothing_lost from mart_data_quality_daily where not nothing_lost"
    ) == [("customers", False)]


def test_orphans_name_the_missing_parent_and_leave_when_it_arrives(built, tmp_path: Path) -> None:
    _, warehouse = built
    orphans = query(
        warehouse,
        "select fact_table, fact_id, reference, missing_id, fact_date, age_days from dq_orphans "
        "order by all",
    )
    assert ("fact_order_items", "O5|1", "order_id", "O5", date(2024, 1, 2), 1) in orphans
    assert ("fact_web_events", "E6", "product_id", "P404", date(2024, 1, 2), 1) in orphans
    # C3 and P3 arrived on day 3: nothing waits for them any more.
    assert not [o for o in orphans if o[3] in ("C3", "P3")]

    lake_dir, early = tmp_path / "lake", tmp_path / "early.duckdb"
    for partition in partitions()[:2]:
        write_day(lake_dir, partition)
    build_window(lake_dir, early, tmp_path / "target", DAYS[0], next_day(DAYS[1]), "run")
    waiting = query(early, "select missing_id from dq_orphans where reference = 'customer_id'")
    assert ("C3",) in waiting
