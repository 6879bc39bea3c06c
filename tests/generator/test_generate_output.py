"""Layout, determinism, format variety and a believable business in the generated files."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter, defaultdict

import pytest

from ecom_platform.generator import generate
from ecom_platform.generator.manifest import load_manifest
from ecom_platform.lib.entities import ENTITY_NAMES, get_entity
from tests.generator.conftest import START, run_generator
from tests.generator.landing_checker import (
    UnreadableError,
    check_partition,
    decode,
    parse_timestamp,
)

DAYS = ("2024-01-01", "2024-01-02", "2024-01-03")


def text_of(name: str, data: bytes) -> str:
    return (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")


def test_layout_is_entity_dt_name_and_manifest_sits_outside_it(clean_run):
    paths = clean_run.files()
    manifest_path = "_manifest/generate-11.json"
    assert manifest_path in paths
    for path in paths:
        if path == manifest_path:
            continue
        entity, folder, name = path.split("/")
        assert entity in ENTITY_NAMES
        assert re.fullmatch(r"dt=2024-01-0[1-3]", folder)
        assert name.endswith(get_entity(entity).extensions)
    written = {tuple(path.split("/")[:2]) for path in paths}
    for entity in ENTITY_NAMES:
        assert (entity, "dt=2024-01-01") in written
    reloaded = load_manifest(str(clean_run.root), 11)
    assert reloaded.to_json() == clean_run.manifest.to_json()


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path, defective_run):
    again = run_generator(tmp_path / "again")
    assert again.files() == defective_run.files()
    other = run_generator(tmp_path / "other", seed=12)
    assert other.files() != defective_run.files()


def csv_texts(run) -> list[tuple[str, str]]:
    """Decoded CSV files, unreadable ones left out."""
    texts = []
    for path, data in run.files().items():
        if ".csv" in path and data:
            try:
                texts.append((path, decode(path, data)))
            except UnreadableError:
                continue
    return texts


def test_files_use_every_allowed_spelling(defective_run):
    files = defective_run.files()
    assert any(data.startswith(b"\xef\xbb\xbf") for data in files.values())
    texts = csv_texts(defective_run)
    assert any("\r\n" in text for _, text in texts)
    assert any("\n\n" in text or "\r\n\r\n" in text for _, text in texts)
    headers = [text.split("\n", 1)[0].rstrip("\r") for _, text in texts]
    assert any(h != h.lower() for h in headers), "header case varies"
    assert any(" " in h for h in headers), "header names padded"
    orders = [
        h.split(",") for (path, _), h in zip(texts, headers, strict=True) if "orders/" in path
    ]
    assert any(h[0].strip().lower() != "order_id" for h in orders), "column order varies"
    everything = "\n".join(text for _, text in texts)
    for pattern in (
        r"\d{2}T\d{2}:\d{2}:\d{2},",  # T separator, no fraction, naive
        r"\d{2} \d{2}:\d{2}:\d{2}\.\d{1,6}",  # space separator with a fraction
        r":\d{2}(\.\d+)?Z",
        r":\d{2}(\.\d+)?[+-]\d{2}:\d{2}",
        r",(TRUE|True|yes|Yes|YES|1),",
        r",(FALSE|False|no|No|NO|0),",
        r",(PAID|Paid|DELIVERED|Delivered| placed |  Shipped),",
        r'"[^"\n]*\n[^"]*"',  # a value spanning two lines
    ):
        assert re.search(pattern, everything), pattern


def read_rows(run, entity: str, dt: str) -> list[dict]:
    check = check_partition(get_entity(entity), run.partition_files(entity, dt))
    return [values for _, _, values in check.valid]


def test_volumes_follow_the_scale(tmp_path):
    run = run_generator(tmp_path, days=1, scale=0.5, defect_rate=0.0)
    dt = START.isoformat()
    orders = read_rows(run, "orders", dt)
    placed = {row["order_id"] for row in orders if row["status"] == "placed"}
    assert 400 <= len(placed) <= 600
    events = read_rows(run, "web_events", dt)
    assert 8 <= len(events) / len(placed) <= 12
    lines = Counter(row["order_id"] for row in read_rows(run, "order_items", dt))
    assert set(lines) == placed
    assert set(lines.values()) <= {1, 2, 3, 4, 5}
    products = {row["product_id"] for row in read_rows(run, "products", dt)}
    inventory = read_rows(run, "inventory", dt)
    warehouses = {row["warehouse_id"] for row in inventory}
    assert len(inventory) == len(warehouses) * len(products)
    anonymous = sum(row["customer_id"] is None for row in events)
    assert 0 < anonymous < len(events) / 2


def test_history_evolves_over_days(clean_run):
    """CDC versions move forward: records change with later updated_at, orders progress."""
    versions: dict[tuple[str, str], list] = defaultdict(list)
    statuses: dict[str, list[str]] = defaultdict(list)
    item_keys = Counter()
    for dt in DAYS:
        for entity in ("customers", "products"):
            for row in read_rows(clean_run, entity, dt):
                versions[(entity, row[f"{entity[:-1]}_id"])].append(row["updated_at"])
        for row in read_rows(clean_run, "orders", dt):
            statuses[row["order_id"]].append((row["updated_at"], row["status"]))
        items = read_rows(clean_run, "order_items", dt)
        item_keys.update((row["order_id"], row["line_number"]) for row in items)
    changed = {key for key, stamps in versions.items() if len(stamps) > 1}
    assert {entity for entity, _ in changed} == {"customers", "products"}
    for key in changed:
        assert len(set(versions[key])) == len(versions[key]), key
    order_path = {tuple(s for _, s in sorted(history)) for history in statuses.values()}
    assert ("placed", "paid", "shipped") in order_path
    assert any(path[-1] == "delivered" for path in order_path)
    assert any("cancelled" in path for path in order_path)
    assert max(item_keys.values()) == 1, "order lines are sent once"


def test_references_resolve_except_a_few_that_arrive_later(tmp_path):
    run = run_generator(tmp_path, days=2, scale=1.0, defect_rate=0.0)
    customers_by_day = [
        {row["customer_id"] for row in read_rows(run, "customers", dt)} for dt in DAYS[:2]
    ]
    orders = read_rows(run, "orders", DAYS[0])
    unknown = {row["customer_id"] for row in orders} - customers_by_day[0]
    assert 0 < len(unknown) < len(orders) / 50
    assert unknown <= customers_by_day[1], "orphans resolve the next day"


def test_valid_timestamps_parse_back_to_utc_instants(clean_run):
    """The same instant written in many spellings: order_ts never changes between versions."""
    order_ts: dict[str, set] = defaultdict(set)
    for dt in DAYS:
        for path, data in clean_run.partition_files("orders", dt).items():
            text = text_of(path, data).lstrip("\ufeff")
            for row in csv.DictReader(io.StringIO(text, newline="")):
                row = {k.strip().lower(): v for k, v in row.items()}
                order_ts[row["order_id"]].add(parse_timestamp(row["order_ts"]))
    assert all(len(instants) == 1 for instants in order_ts.values())


def test_web_events_are_json_objects_per_line(clean_run):
    for name, data in clean_run.partition_files("web_events", DAYS[0]).items():
        for line in text_of(name, data).splitlines():
            assert isinstance(json.loads(line), dict)


@pytest.mark.parametrize("bad", [{"days": 0}, {"scale": 0}, {"defect_rate": 1.5}])
def test_impossible_arguments_are_refused(tmp_path, bad):
    with pytest.raises(ValueError):
        run_generator(tmp_path, **bad)


def test_writes_the_same_bytes_to_s3(s3_env, tmp_path):
    bucket = s3_env.create_bucket("generator-test")
    local = run_generator(tmp_path / "local", days=2, scale=0.05)
    generate(f"s3://{bucket}/landing", START, 2, 0.05, 11, 0.05)
    client = s3_env.client()
    keys = [
        obj["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for obj in page.get("Contents", [])
    ]
    remote = {
        key.removeprefix("landing/"): client.get_object(Bucket=bucket, Key=key)["Body"].read()
        for key in keys
    }
    assert remote == local.files()
