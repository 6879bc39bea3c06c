"""Spectrum sees a silver day only once its partition is registered: the DDL an aws run
issues before `dbt build`, rendered offline by dbt exactly as `run-operation` would."""

import json
import uuid
from datetime import date, timedelta

import pytest

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.gold.resources import RedshiftWarehouse, spectrum_partition_args
from ecom_platform.lib import lake
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.silver_publish import publish_version
from ecom_platform.lib.storage import open_store
from tests.gold.conftest import run_dbt
from tests.gold.test_redshift_compile import DUMMY_REDSHIFT

LAKE = "s3://ecom-lake/lake"


def render_partition_ddl(tmp_path, dates: list[str], locations: dict | None = None) -> list[str]:
    output = run_dbt(
        [
            "compile",
            "--target",
            "redshift",
            "--no-populate-cache",
            "--quiet",
            "--inline",
            "{{ spectrum_partition_ddl("
            + json.dumps(dates)
            + ", "
            + json.dumps(locations or {})
            + ") | join(';\\n') }}",
        ],
        lake=tmp_path / "lake",
        warehouse=tmp_path / "unused.duckdb",
        target_path=tmp_path / "target",
        env={**DUMMY_REDSHIFT, "ECOM_LAKE_URI": LAKE},
    )
    return [line for line in output.splitlines() if line.startswith("alter table")]


def test_every_day_of_every_entity_is_registered_in_batches_of_100(tmp_path):
    days = [(date(2024, 1, 1) + timedelta(days=i)).isoformat() for i in range(150)]
    all_statements = render_partition_ddl(tmp_path, days)
    silver = {f"alter table silver.{e.name} " for e in ENTITIES}
    statements = [s for s in all_statements if s[: s.index(" add ") + 1] in silver]
    assert len(statements) == 9 * 2  # Redshift adds at most 100 partitions per statement
    orders = [s for s in statements if s.startswith("alter table silver.orders ")]
    registered = [s.count("partition (dt=") for s in orders]
    assert registered == [100, 50]
    last = "2024-05-29"
    assert f"partition (dt='{last}') location '{LAKE}/silver/orders/dt={last}/'" in orders[1]


def test_bookkeeping_tables_get_a_partition_per_entity_and_day(tmp_path):
    """quarantine, bronze_files and silver_stats: one Spectrum table each, every entity."""
    days = [(date(2024, 1, 1) + timedelta(days=i)).isoformat() for i in range(20)]
    statements = render_partition_ddl(tmp_path, days)
    for layer in (Layer.QUARANTINE, Layer.LEDGER, Layer.STATS):
        mine = [s for s in statements if s.startswith(f"alter table silver.{layer} ")]
        registered = [s.count("partition (partition_entity=") for s in mine]
        assert registered == [100, 80]  # 9 entities x 20 days, at most 100 per statement
        dt = days[-1]
        location = f"{LAKE}/{layer}/inventory/{lake.partition_folder(dt)}/"
        expected = (
            f"partition (partition_entity='inventory', partition_dt='{dt}') location '{location}'"
        )
        assert expected in mine[-1]


def test_versioned_partitions_are_registered_at_their_current_version(tmp_path):
    """On S3 the run passes each silver and quarantine partition's current version."""
    dt = "2024-01-01"
    silver = f"silver/orders/{lake.partition_folder(dt)}"
    quarantine = f"quarantine/orders/{lake.partition_folder(dt)}"
    locations = {silver: f"{silver}/v=run1", quarantine: f"{quarantine}/v=run2"}
    statements = "\n".join(render_partition_ddl(tmp_path, [dt], locations))
    assert f"partition (dt='{dt}') location '{LAKE}/{silver}/v=run1/'" in statements
    assert f"location '{LAKE}/{quarantine}/v=run2/'" in statements
    assert f"location '{LAKE}/silver/customers/dt={dt}/'" in statements  # not in `locations`
    assert f"location '{LAKE}/bronze_files/orders/dt={dt}/'" in statements


def test_the_asset_passes_the_run_days_and_locations_to_the_macro():
    locations = {"silver/orders/dt=2024-01-01": "silver/orders/dt=2024-01-01/v=run1"}
    args = spectrum_partition_args(["2024-01-01", "2024-01-02"], locations)
    assert args[:2] == ["run-operation", "add_spectrum_partitions"]
    assert json.loads(args[args.index("--args") + 1]) == {
        "dates": ["2024-01-01", "2024-01-02"],
        "locations": locations,
    }


@pytest.mark.slow
def test_the_aws_warehouse_registers_the_current_versions_a_month_per_call(s3_env):
    """before_build resolves the pointers on S3 (SeaweedFS) and calls the macro per 31 days."""
    lake_uri = f"s3://{s3_env.create_bucket(f'spectrum-{uuid.uuid4().hex[:12]}')}/lake"
    staged = f"{lake_uri}/_staging/silver/orders/run1/__dt=2024-01-02"
    open_store(staged).write_bytes(f"{staged}/part-0.parquet", b"PAR1")
    publish_version(staged, lake_uri, Layer.SILVER, "orders", "2024-01-02", "run1", None)
    calls: list[list[str]] = []

    class RecordingDbt:
        def cli(self, args: list[str]):
            calls.append(args)
            return self

        def wait(self) -> None:
            pass

    warehouse = RedshiftWarehouse(lake=LakeResource(landing_uri="unused", lake_uri=lake_uri))
    days = [(date(2024, 1, 1) + timedelta(days=i)).isoformat() for i in range(40)]
    warehouse.before_build(None, RecordingDbt(), days)
    sent = [json.loads(args[args.index("--args") + 1]) for args in calls]
    assert [len(arguments["dates"]) for arguments in sent] == [31, 9]
    locations = sent[0]["locations"]
    assert locations["silver/orders/dt=2024-01-02"] == "silver/orders/dt=2024-01-02/v=run1"
    assert locations["quarantine/orders/dt=2024-01-02"] == "quarantine/orders/dt=2024-01-02"
