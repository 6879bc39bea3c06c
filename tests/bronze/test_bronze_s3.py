"""Bronze and the landing sensor against a real S3 API (SeaweedFS)."""

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


def evaluate(landing: str, lake: str, cursor: str | None) -> dg.SensorResult:
    resource = LakeResource(landing_uri=landing, lake_uri=lake)
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, resources={"lake": resource}
        )
        return bronze_landing_sensor(context)


def ranges(result: dg.SensorResult) -> list[tuple[str, str]]:
    return [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"])
        for r in result.run_requests
    ]


def multipart_put(client, bucket: str, key: str, parts: list[bytes]) -> None:
    upload = client.create_multipart_upload(Bucket=bucket, Key=key)
    done = [
        {
            "PartNumber": n,
            "ETag": client.upload_part(
                Bucket=bucket, Key=key, PartNumber=n, UploadId=upload["UploadId"], Body=body
            )["ETag"],
        }
        for n, body in enumerate(parts, start=1)
    ]
    client.complete_multipart_upload(
        Bucket=bucket, Key=key, UploadId=upload["UploadId"], MultipartUpload={"Parts": done}
    )


def test_sensor_compares_the_s3_landing_zone_with_the_ledgers(s3_env, tmp_path):
    bucket = s3_env.create_bucket("bronze-sensor")
    landing, lake = f"s3://{bucket}/landing", str(tmp_path / "lake")
    for dt in ("2024-01-01", "2024-01-02", "2024-01-03"):
        put(landing, "orders", dt, "a.csv", orders_csv("o1"))
        write_bronze_partition(lake, build(landing, "orders", dt))

    history = evaluate(landing, lake, None)
    assert not history.run_requests
    assert "no new or changed" in history.skip_reason.skip_message

    put(landing, "orders", "2024-01-02", "a.csv", orders_csv("o1", "o2"))  # new ETag
    put(landing, "payments", "2024-01-01", "late.csv", "payment_id\np1\n")  # late, older dt
    put(landing, "orders", "2024-01-09", "new.csv", orders_csv("o3"))
    put(landing, "orders", "2024-01-09", "a b;c.csv", orders_csv("o4"))  # odd characters
    put(landing, "orders", "2024-02-30", "a.csv", orders_csv("o5"))  # impossible date
    changed = evaluate(landing, lake, history.cursor)
    assert ranges(changed) == [("2024-01-01", "2024-01-02"), ("2024-01-09", "2024-01-09")]
    assert len({r.run_key for r in changed.run_requests}) == 2

    again = evaluate(landing, lake, changed.cursor)  # runs queued: nothing requested twice
    assert not again.run_requests

    client = s3_env.client()
    key = "landing/shipments/dt=2024-01-03/big.csv"
    multipart_put(client, bucket, key, [b"shipment_id\n" + b"s1\n" * 2_000_000, b"s2\n"])
    multipart = evaluate(landing, lake, again.cursor)
    assert ranges(multipart) == [("2024-01-03", "2024-01-03")]
    write_bronze_partition(lake, build(landing, "shipments", "2024-01-03"))
    assert read_ledger(lake, "shipments", "2024-01-03")[0]["etag"].endswith("-2")
    assert not evaluate(landing, lake, multipart.cursor).run_requests


def test_unreachable_endpoint_skips_and_keeps_the_cursor(monkeypatch, tmp_path):
    from ecom_platform.defs.bronze import sensors

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # discard port: refused
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    sensors.quick_s3_client.cache_clear()
    try:
        result = evaluate("s3://nowhere/landing", str(tmp_path), '{"v": 2, "handled": {}}')
    finally:
        sensors.quick_s3_client.cache_clear()
    assert not result.run_requests
    assert "s3://nowhere/landing unreachable, cursor kept" in result.skip_reason.skip_message
    assert result.cursor == '{"v": 2, "handled": {}}'
