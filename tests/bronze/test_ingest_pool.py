"""A big partition parsed in worker processes gives the partition parsed in-process."""

from pathlib import Path

from ecom_platform.lib.bronze import build_bronze_partition
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.ingest_pool import IngestPool
from tests.bronze.bronze_fixtures import INGESTED_AT, ORDERS_HEADER, order_line, orders_csv, put

DAY = "2024-01-01"


def landed(tmp_path: Path) -> str:
    """Files of every kind of outcome, in an order the result must keep."""
    landing = str(tmp_path / "landing")
    put(landing, "orders", DAY, "orders_a.csv", orders_csv(*(f"o{i}" for i in range(500))))
    put(landing, "orders", DAY, "orders_b.csv", orders_csv("b1", "b2") + "not,enough\n")
    put(landing, "orders", DAY, "orders_c.csv", orders_csv(*(f"o{i}" for i in range(500))))
    put(landing, "orders", DAY, "orders_d.csv", b"\xff\xfe not text")
    put(landing, "orders", DAY, "orders_e.csv", "order_id,status\no1,paid\n")
    put(landing, "orders", DAY, "orders_f.txt", ORDERS_HEADER + "\n" + order_line("f1") + "\n")
    put(landing, "orders", DAY, "orders_g.csv", orders_csv(*(f"g{i}" for i in range(300))))
    return landing


def test_workers_give_the_same_table_and_ledger_in_file_order(tmp_path: Path):
    landing = landed(tmp_path)
    orders = get_entity("orders")
    inline = build_bronze_partition(orders, DAY, landing, INGESTED_AT)
    with IngestPool(workers=2, min_bytes=0) as pool:
        parallel = build_bronze_partition(orders, DAY, landing, INGESTED_AT, pool)
        assert pool.for_partition(0) is not None  # the partition really went to workers
    assert parallel.table.equals(inline.table)
    assert parallel.files == inline.files
    assert [f.status.value for f in parallel.files] == [
        "ingested",
        "ingested",
        "duplicate_content",
        "quarantined",
        "quarantined",
        "quarantined",
        "ingested",
    ]


def test_small_partitions_and_one_core_stay_in_process():
    assert IngestPool(workers=2, min_bytes=100).for_partition(99) is None
    assert IngestPool(workers=1, min_bytes=0).for_partition(10**9) is None
