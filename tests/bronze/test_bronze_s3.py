"""Bronze and the landing sensor against a real S3 API (SeaweedFS)."""

import json

import dagster as dg

from ecom_platform.defs.bronze.sensors import bronze_landing_sensor
from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.lib.bronze import read_bronze_table, read_ledger, write_bronze_partition
from ecom_platform.lib.landing import FileStatus
from tests.bronze.bronze_fixtures import build, by_name, column, orders_csv, put


def test_s3_landing_and_s3_lake(s3_env):
    bucket = s3_env.create_bucket("bronze-s3")
    landing, lake = f"s3://{bucket}/landing", f"s3://{bucket}/lake"
    put(landing, "orders", "2024-01-01", "a.csv", orders_csv("o1", "o2"))
    put(landing, "orders", "2024-01-01", "b.csv", "order_id\no3\n")
    put(landing, "orders", "2024-01-01", ".upload-in-progress.csv", "partial")
    partition = build(landing)
    assert column(partition, "_source_file") == [f"{landing}/orders/dt=2024-01-01/a.csv"] * 2
    assert by_name(partition)["b.csv"].status is FileStatus.QUARANTINED
    assert ".upload-in-progress.csv" not in by_name(partition)

    write_bronze_partition(lake, partition)
    assert read_bronze_table(lake, "orders", "2024-01-01")["order_id"].to_pylist() == ["o1", "o2"]
    ledger = read_ledger(lake, "orders", "2024-01-01")
    assert [(r["status"], r["reason"]) for r in ledger] == [
        ("ingested", None),
        ("quarantined", "schema:missing_column:customer_id"),
    ]
    assert read_ledger(lake, "orders", "2024-01-02") is None


def evaluate(landing: str, cursor: str | None) -> dg.SensorResult:
    lake = LakeResource(landing_uri=landing, lake_uri="unused-lake")
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"lake": lake}
        )
        return bronze_landing_sensor(context)


def test_sensor_requests_runs_for_new_changed_and_late_files(s3_env):
    bucket = s3_env.create_bucket("bronze-sensor")
    landing = f"s3://{bucket}/landing"

    empty = evaluate(landing, None)
    assert not empty.run_requests and empty.skip_reason

    put(landing, "orders", "2024-01-02", "a.csv", orders_csv("o1"))
    put(landing, "unknown_entity", "2024-01-03", "a.csv", "x")
    first = evaluate(landing, empty.cursor)
    assert [r.partition_key for r in first.run_requests] == ["2024-01-02"]

    unchanged = evaluate(landing, first.cursor)
    assert not unchanged.run_requests and unchanged.skip_reason

    put(landing, "orders", "2024-01-02", "a.csv", orders_csv("o1", "o2"))  # new ETag
    put(landing, "payments", "2024-01-01", "late.csv", "payment_id\np1\n")  # late, older dt
    changed = evaluate(landing, unchanged.cursor)
    assert [r.partition_key for r in changed.run_requests] == ["2024-01-01", "2024-01-02"]
    assert changed.run_requests[1].run_key != first.run_requests[0].run_key
    assert set(json.loads(changed.cursor)) == {"2024-01-01", "2024-01-02"}
