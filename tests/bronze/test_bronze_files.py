"""File-level outcomes (CONTRACT.md section 3), the ledger, and how partitions are written."""

import gzip

import pyarrow.parquet as pq
import pytest

from ecom_platform.lib import bronze, storage
from ecom_platform.lib.bronze import (
    LEDGER_SCHEMA,
    quarantine_messages,
    read_bronze_table,
    read_ledger,
    write_bronze_partition,
)
from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.lake import LINEAGE_COLUMNS, bronze_ledger_uri, bronze_partition_uri
from ecom_platform.lib.landing import FileStatus, file_hash
from ecom_platform.lib.storage import open_store
from tests.bronze.bronze_fixtures import (
    ORDERS_HEADER,
    build,
    by_name,
    column,
    order_line,
    orders_csv,
    put,
)

DT = "2024-01-01"


def test_missing_required_column_quarantines_only_that_file(tmp_path):
    landing = str(tmp_path)
    put(landing, "orders", DT, "a.csv", orders_csv("o1"))
    header = "order_id,order_ts,status,channel,shipping_amount"  # no customer_id, updated_at
    bad = put(landing, "orders", DT, "b.csv", f"{header}\no2,{'x,' * 3}1\n")
    put(landing, "orders", DT, "c.csv", orders_csv("o3"))
    partition = build(landing)
    outcome = by_name(partition)["b.csv"]
    assert outcome.status is FileStatus.QUARANTINED
    assert outcome.reason == "schema:missing_column:customer_id"
    assert outcome.message == "lacks required columns customer_id, updated_at"
    assert outcome.rows == 0
    assert column(partition, "order_id") == ["o1", "o3"]
    assert quarantine_messages("orders", DT, bronze.ledger_table(partition).to_pylist()) == [
        f"orders dt={DT}: {bad} lacks required columns customer_id, updated_at "
        "(schema:missing_column:customer_id)"
    ]


def test_missing_optional_column_is_accepted_with_nulls(tmp_path):
    header = ORDERS_HEADER.replace("campaign_id,", "")
    put(str(tmp_path), "orders", DT, "a.csv", f"{header}\no1,c1,t,paid,web,5,t\n")
    partition = build(str(tmp_path))
    assert partition.files[0].status is FileStatus.INGESTED
    assert column(partition, "campaign_id") == [None]
    assert column(partition, "shipping_amount") == ["5"]


def test_extra_columns_are_kept_and_reported_as_drift(tmp_path):
    landing = str(tmp_path)
    put(landing, "orders", DT, "a.csv", orders_csv("o1"))
    put(landing, "orders", DT, "b.csv", f"{ORDERS_HEADER},Coupon \n{order_line('o2')},SAVE5\n")
    partition = build(landing)
    assert column(partition, "coupon") == [None, "SAVE5"]
    assert by_name(partition)["b.csv"].extra_columns == ("coupon",)
    assert partition.extra_columns == ("coupon",)
    names = partition.table.column_names
    assert names.index("coupon") == len(get_entity("orders").columns)  # after the contract's
    assert bronze.ledger_table(partition)["extra_columns"].to_pylist() == [None, "coupon"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zero.csv", b""),
        ("header_only.csv", f"{ORDERS_HEADER}\r\n\r\n".encode()),
        ("empty.csv.gz", gzip.compress(b"", mtime=0)),
        ("blank_lines.csv", b"\n  \n"),
    ],
)
def test_empty_files_are_zero_rows_and_no_error(tmp_path, name, data):
    put(str(tmp_path), "orders", DT, name, data)
    partition = build(str(tmp_path))
    assert [f.status for f in partition.files] == [FileStatus.EMPTY]
    assert partition.files[0].reason is None
    assert partition.table.num_rows == 0


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        ("latin1.csv", f"{ORDERS_HEADER}\no1,Jos\xe9,t,paid,web,,1,t\n".encode("latin-1"), "UTF-8"),
        ("binary.csv", b"\x00\x01\x02\x03binary\x00", "binary"),
        ("corrupt.csv.gz", gzip.compress(orders_csv("o1").encode(), mtime=0)[:-12], "gzip"),
        ("not_gzip.csv.gz", orders_csv("o1").encode(), "gzip"),
        ("orders.txt", orders_csv("o1").encode(), "unexpected name"),
    ],
)
def test_unreadable_files_are_quarantined_with_a_message(tmp_path, name, data, detail):
    put(str(tmp_path), "orders", DT, "a.csv", orders_csv("o0"))
    put(str(tmp_path), "orders", DT, name, data)
    partition = build(str(tmp_path))
    outcome = by_name(partition)[name]
    assert outcome.status is FileStatus.QUARANTINED
    assert outcome.reason == "unreadable_file"
    assert detail in outcome.message
    assert column(partition, "order_id") == ["o0"]


def test_gzip_files_are_read_and_hashed_on_their_compressed_bytes(tmp_path):
    raw = gzip.compress(orders_csv("o1", "o2").encode())
    put(str(tmp_path), "orders", DT, "a.csv.gz", raw)
    partition = build(str(tmp_path))
    assert column(partition, "order_id") == ["o1", "o2"]
    assert partition.files[0].size_bytes == len(raw)
    assert partition.files[0].file_hash == file_hash(raw)


def test_same_bytes_twice_ingests_the_first_by_name_only(tmp_path):
    landing = str(tmp_path)
    content = orders_csv("o1", "o2")
    first = put(landing, "orders", DT, "a_first.csv", content)
    put(landing, "orders", DT, "b_other.csv", orders_csv("o3"))
    put(landing, "orders", DT, "c_again.csv", content)
    partition = build(landing)
    again = by_name(partition)["c_again.csv"]
    assert again.status is FileStatus.DUPLICATE
    assert again.reason == f"duplicate_of:{first}"
    assert again.rows == 0
    assert column(partition, "order_id") == ["o1", "o2", "o3"]
    assert [f.source_file.rsplit("/", 1)[1] for f in partition.files] == [
        "a_first.csv",
        "b_other.csv",
        "c_again.csv",
    ]


def test_partition_without_files_writes_empty_table_and_ledger(tmp_path):
    lake = str(tmp_path / "lake")
    partition = build(str(tmp_path / "landing"), "payments")
    write_bronze_partition(lake, partition)
    table = read_bronze_table(lake, "payments", DT)
    assert table.num_rows == 0
    assert table.column_names == [*get_entity("payments").column_names, *LINEAGE_COLUMNS]
    assert read_ledger(lake, "payments", DT) == []
    ledger_file = bronze_ledger_uri(lake, "payments", DT)
    assert pq.read_schema(ledger_file) == LEDGER_SCHEMA


def test_rerun_is_idempotent_and_late_files_are_added(tmp_path):
    landing, lake = str(tmp_path / "landing"), str(tmp_path / "lake")
    put(landing, "orders", DT, "a.csv", orders_csv("o1", "o2"))
    write_bronze_partition(lake, build(landing))
    first = read_bronze_table(lake, "orders", DT)
    write_bronze_partition(lake, build(landing))
    again = read_bronze_table(lake, "orders", DT)
    assert again.equals(first)

    put(landing, "orders", DT, "late.csv", orders_csv("o3"))
    write_bronze_partition(lake, build(landing))
    assert read_bronze_table(lake, "orders", DT)["order_id"].to_pylist() == ["o1", "o2", "o3"]
    assert [r["rows"] for r in read_ledger(lake, "orders", DT)] == [2, 1]


def test_failed_write_leaves_the_previous_partition_intact(tmp_path, monkeypatch):
    landing, lake = str(tmp_path / "landing"), str(tmp_path / "lake")
    put(landing, "orders", DT, "a.csv", orders_csv("o1"))
    write_bronze_partition(lake, build(landing))
    put(landing, "orders", DT, "b.csv", orders_csv("o2"))

    real_replace = storage.os.replace

    def crash_before_rename(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", crash_before_rename)
    with pytest.raises(OSError, match="disk full"):
        write_bronze_partition(lake, build(landing))
    monkeypatch.setattr(storage.os, "replace", real_replace)

    assert read_bronze_table(lake, "orders", DT)["order_id"].to_pylist() == ["o1"]
    data_folder = tmp_path / "lake" / "bronze" / "orders" / f"dt={DT}"
    assert [p.name for p in data_folder.iterdir()] == ["data.parquet"]  # no temp file left
    assert bronze_partition_uri(lake, "orders", DT).endswith("data.parquet")


@pytest.mark.parametrize("form", ["file://{}", "{}/", "./{}"])
def test_landing_uri_forms_list_the_same_files(tmp_path, monkeypatch, form):
    monkeypatch.chdir(tmp_path)
    put("landing", "orders", DT, "a.csv", orders_csv("o1"))
    landing = form.format(tmp_path / "landing" if form.startswith("file") else "landing")
    partition = build(landing)
    assert [f.status for f in partition.files] == [FileStatus.INGESTED]
    assert [f.etag for f in partition.files] == [f.etag for f in list_files(landing)]


def list_files(uri: str) -> list:
    return open_store(uri).list_files(uri)


def test_a_big_partition_is_written_in_row_groups_spark_can_split(tmp_path, monkeypatch):
    """Spark gives each task whole row groups: one group for a day would parse it on one core."""
    monkeypatch.setattr(bronze, "BRONZE_ROW_GROUP_ROWS", 2)
    landing, lake = str(tmp_path / "landing"), str(tmp_path / "lake")
    put(landing, "orders", DT, "a.csv", orders_csv("o1", "o2", "o3", "o4", "o5"))
    write_bronze_partition(lake, build(landing))
    metadata = pq.ParquetFile(bronze_partition_uri(lake, "orders", DT)).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [2, 2, 1]
