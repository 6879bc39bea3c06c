"""Record-level parsing: CSV dialect details, malformed records, JSON Lines values."""

from ecom_platform.lib.landing import FileStatus
from ecom_platform.lib.landing_records import (
    csv_batches,
    jsonl_batches,
    read_csv_header,
    split_physical_lines,
)
from tests.bronze.bronze_fixtures import (
    ORDERS_HEADER,
    TS,
    build,
    column,
    order_line,
    orders_csv,
    put,
)


def test_bom_crlf_and_case_insensitive_trimmed_headers(tmp_path):
    header = " Order_ID ,CUSTOMER_ID,order_ts,Status,channel,campaign_id,shipping_amount,updated_at"
    text = "\ufeff" + orders_csv("o1", "o2", header=header, newline="\r\n")
    put(str(tmp_path), "orders", "2024-01-01", "a.csv", text)
    partition = build(str(tmp_path))
    assert column(partition, "order_id") == ["o1", "o2"]
    assert column(partition, "status") == ["paid", "paid"]
    assert column(partition, "_line_number") == [2, 3]
    assert column(partition, "_raw_record")[0] == order_line("o1")  # no CR kept
    assert partition.files[0].extra_columns == ()


def test_values_are_raw_and_untrimmed_and_lineage_is_filled(tmp_path):
    uri = put(str(tmp_path), "orders", "2024-01-01", "a.csv", f"{ORDERS_HEADER}\n o1 ,c1,,,,,,\n")
    partition = build(str(tmp_path))
    assert column(partition, "order_id") == [" o1 "]
    assert column(partition, "status") == [""]
    assert column(partition, "_source_file") == [uri]
    assert column(partition, "_file_hash") == [partition.files[0].file_hash]
    assert column(partition, "_malformed") == [False]
    assert partition.table["_ingested_at"][0].as_py().isoformat() == "2024-01-02T03:04:05+00:00"


def test_quoted_newline_is_one_record_and_line_numbers_are_physical(tmp_path):
    text = (
        f"{ORDERS_HEADER}\n"
        f'o1,"c1, ""the first""\nsecond line",{TS},paid,web,,1,{TS}\n'
        "\n"
        "   \n"
        f"{order_line('o2')}\n"
    )
    put(str(tmp_path), "orders", "2024-01-01", "a.csv", text)
    partition = build(str(tmp_path))
    assert column(partition, "order_id") == ["o1", "o2"]
    assert column(partition, "customer_id")[0] == 'c1, "the first"\nsecond line'
    assert column(partition, "_line_number") == [2, 6]
    assert column(partition, "_raw_record")[0].count("\n") == 1
    assert partition.files[0].rows == 2


def test_malformed_records_are_kept_and_do_not_swallow_following_ones(tmp_path):
    text = (
        f"{ORDERS_HEADER}\n"
        f"{order_line('o1')}\n"
        "o2,too,few\n"
        f'o3,"never closed,{TS},paid,web,,1,{TS}\n'
        f"{order_line('o4')}\n"
        f'o5,"c"x,{TS},paid,web,,1,{TS}\n'
        f"{order_line('o6')},extra\n"
        f"{order_line('o7')}\n"
    )
    put(str(tmp_path), "orders", "2024-01-01", "a.csv", text)
    partition = build(str(tmp_path))
    assert column(partition, "_line_number") == [2, 3, 4, 5, 6, 7, 8]
    assert column(partition, "_malformed") == [False, True, True, False, True, True, False]
    assert column(partition, "order_id") == ["o1", None, None, "o4", None, None, "o7"]
    assert column(partition, "_raw_record")[1] == "o2,too,few"
    assert column(partition, "_raw_record")[2].startswith('o3,"never closed')
    assert partition.files[0].rows == 7
    assert partition.files[0].malformed_rows == 4


def test_open_quote_spanning_lines_with_wrong_width_blames_only_its_first_line():
    lines = split_physical_lines('a,b\n1,"x\n2,y\n3,"z\n')
    header = read_csv_header(lines)
    [batch] = list(csv_batches(lines, header))
    assert batch.line_numbers == [2, 3, 4]
    assert batch.malformed == [True, False, True]
    assert batch.columns["a"].to_pylist() == [None, "2", None]


def test_batches_split_large_files_without_losing_records():
    lines = split_physical_lines("a,b\n" + "".join(f"{i},x\n" for i in range(10)))
    batches = list(csv_batches(lines, read_csv_header(lines), batch_records=4))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert [n for b in batches for n in b.line_numbers] == list(range(2, 12))


def test_jsonl_values_become_json_text_and_keys_are_normalised(tmp_path):
    text = (
        '{" Event_ID ": "e1", "session_id": "s1", "qty": 2, "price": 1.50, "big": 1e3,'
        ' "ok": true, "no": false, "nothing": null, "nested": {"a": [1, 2.0]}}\n'
        "\n"
        '{"event_id": "e2"}\n'
    )
    put(str(tmp_path), "web_events", "2024-01-01", "a.jsonl", text)
    partition = build(str(tmp_path), "web_events")
    rows = partition.table.to_pylist()
    assert [r["event_id"] for r in rows] == ["e1", "e2"]
    assert rows[0]["qty"] == "2" and rows[0]["price"] == "1.50" and rows[0]["big"] == "1e3"
    assert (rows[0]["ok"], rows[0]["no"], rows[0]["nothing"]) == ("true", "false", None)
    assert rows[0]["nested"] == '{"a":[1,2.0]}'
    assert rows[1]["session_id"] is None  # absent key: null, not a file-level error
    assert [r["_line_number"] for r in rows] == [1, 3]
    assert partition.extra_columns == ("big", "nested", "no", "nothing", "ok", "price", "qty")


def test_jsonl_invalid_json_and_non_objects_are_malformed_rows(tmp_path):
    lines = [
        '{"event_id": "e1"}',
        '{"event_id": ',
        "[1, 2]",
        '"text"',
        "NaN",
        '{"event_id": "lone \\ud800 surrogate"}',
        "[" * 100_000,
        '{"event_id": "e2", "name": "\\ud83d\\ude00"}',
    ]
    put(str(tmp_path), "web_events", "2024-01-01", "a.jsonl", "\n".join(lines))
    partition = build(str(tmp_path), "web_events")
    assert column(partition, "_malformed") == [False, True, True, True, True, True, True, False]
    assert column(partition, "_raw_record")[2] == "[1, 2]"
    assert column(partition, "event_id") == ["e1", *[None] * 6, "e2"]
    assert column(partition, "name")[-1] == "\U0001f600"  # a valid surrogate pair
    assert partition.files[0].status is FileStatus.INGESTED


def test_json_lines_with_surrounding_blanks_or_trailing_data():
    lines = [
        '  {"event_id": "e1"}  ',
        '{"event_id": "e2"} {"event_id": "e3"}',
        '{"event_id": "e4"}x',
    ]
    [batch] = list(jsonl_batches("\n".join(lines)))
    assert batch.malformed == [False, True, True]
    assert batch.columns["event_id"].to_pylist() == ["e1", None, None]
