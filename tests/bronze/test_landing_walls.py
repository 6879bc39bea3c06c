"""Only regular files really inside the landing zone are read (issue 12: walls)."""

import os
from pathlib import Path

import dagster as dg
import pytest

from ecom_platform.defs.bronze.assets import bronze_assets
from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.lib.landing import skip_reason, unknown_entity_folders
from ecom_platform.lib.storage import Entry, EntryKind
from tests.bronze.bronze_fixtures import build, by_name, column, orders_csv, put

DT = "2024-01-01"


def reasons(partition) -> dict[str, str]:
    return {s.uri.rsplit("/", 1)[1]: s.reason for s in partition.skipped}


def test_links_special_files_and_sub_folders_are_skipped_with_a_reason(tmp_path: Path):
    landing = str(tmp_path / "landing")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stolen.csv").write_text(orders_csv("stolen"))
    put(landing, "orders", DT, "good.csv", orders_csv("o1"))
    folder = Path(landing) / "orders" / f"dt={DT}"
    (folder / "link.csv").symlink_to(outside / "stolen.csv")
    (folder / "passwd.csv").symlink_to("/etc/passwd")
    (folder / "linked_folder").symlink_to(outside)
    os.mkfifo(folder / "pipe.csv")
    (folder / "sub.csv").mkdir()
    (folder / "sub.csv" / "inner.csv").write_text(orders_csv("nested"))

    partition = build(landing)

    assert column(partition, "order_id") == ["o1"]
    assert list(by_name(partition)) == ["good.csv"]
    skipped = reasons(partition)
    assert set(skipped) == {"link.csv", "passwd.csv", "linked_folder", "pipe.csv", "sub.csv"}
    assert "symbolic link" in skipped["link.csv"] and "symbolic link" in skipped["linked_folder"]
    assert "not a regular file" in skipped["pipe.csv"]
    assert "folder inside a dt= folder" in skipped["sub.csv"]


def test_linked_entity_or_dt_folders_are_not_followed(tmp_path: Path):
    landing = tmp_path / "landing"
    elsewhere = tmp_path / "elsewhere"
    put(str(elsewhere), "orders", DT, "a.csv", orders_csv("outside"))
    landing.mkdir()
    (landing / "orders").symlink_to(elsewhere / "orders")
    (landing / "customers").mkdir()
    (landing / "customers" / f"dt={DT}").symlink_to(elsewhere / "orders" / f"dt={DT}")

    orders = build(str(landing))
    customers = build(str(landing), entity="customers")

    assert orders.table.num_rows == 0 and customers.table.num_rows == 0
    assert "symbolic link" in reasons(orders)["orders"]
    assert "symbolic link" in reasons(customers)[f"dt={DT}"]


def test_odd_and_nested_s3_keys_are_skipped_with_a_reason(s3_env):
    landing = f"s3://{s3_env.create_bucket('landing-walls')}/landing"
    put(landing, "orders", DT, "good.csv", orders_csv("o1"))
    put(landing, "orders", DT, "archive/old.csv", orders_csv("old"))
    put(landing, "orders", DT, "ctl\x01.csv", orders_csv("ctl"))

    partition = build(landing)

    assert column(partition, "order_id") == ["o1"]
    skipped = reasons(partition)
    assert set(skipped) == {"archive", "ctl\x01.csv"}
    assert "odd name" in skipped["ctl\x01.csv"]
    assert "folder inside a dt= folder" in skipped["archive"]


@pytest.mark.parametrize("name", ["..", ".", "", "a\\..\\b.csv"])
def test_key_segments_that_could_leave_the_zone_are_odd(name):
    """SeaweedFS refuses `..` keys, AWS S3 stores them: a prefix `dt=x/../` lists as a
    folder named `..` and an empty segment (`dt=x//a.csv`) as a folder named ``."""
    for kind in (EntryKind.FOLDER, EntryKind.FILE):
        reason = skip_reason(Entry(name, kind), in_partition=True)
        assert reason is not None and "odd name" in reason


def test_unknown_entity_folders_are_reported_once_per_run(tmp_path: Path):
    landing = str(tmp_path / "landing")
    put(landing, "orders", DT, "a.csv", orders_csv("o1"))
    put(landing, "refunds", DT, "r.csv", "refund_id\nr1\n")
    (Path(landing) / "_manifest").mkdir()
    assert unknown_entity_folders(landing, ["orders"]) == ["refunds"]

    lake = LakeResource(landing_uri=landing, lake_uri=str(tmp_path / "lake"))
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [bronze_assets],
            resources={"lake": lake},
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": DT,
                "dagster/asset_partition_range_end": "2024-01-02",
            },
        )
        messages = [
            e.message
            for e in instance.all_logs(result.run_id)
            if e.message and "refunds/" in e.message
        ]
    assert result.success
    assert len(messages) == 1 and "not an entity" in messages[0]
