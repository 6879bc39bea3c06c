"""Spectrum sees a silver day only once its partition is registered: the DDL an aws run
issues before `dbt build`, rendered offline by dbt exactly as `run-operation` would."""

import json
from datetime import date, timedelta

from ecom_platform.defs.gold.resources import spectrum_partition_args
from ecom_platform.lib import lake
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.lake import Layer
from tests.gold.conftest import run_dbt
from tests.gold.test_redshift_compile import DUMMY_REDSHIFT

LAKE = "s3://ecom-lake/lake"


def render_partition_ddl(tmp_path, dates: list[str]) -> list[str]:
    output = run_dbt(
        [
            "compile",
            "--target",
            "redshift",
            "--no-populate-cache",
            "--quiet",
            "--inline",
            "{{ spectrum_partition_ddl(" + json.dumps(dates) + ") | join(';\\n') }}",
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


def test_the_asset_passes_the_run_days_to_the_macro():
    args = spectrum_partition_args(["2024-01-01", "2024-01-02"])
    assert args[:2] == ["run-operation", "add_spectrum_partitions"]
    assert json.loads(args[args.index("--args") + 1]) == {"dates": ["2024-01-01", "2024-01-02"]}
