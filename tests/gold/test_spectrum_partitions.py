"""Spectrum sees a silver day only once its partition is registered: the DDL an aws run
issues before `dbt build`, rendered offline by dbt exactly as `run-operation` would."""

import json
from datetime import date, timedelta

from ecom_platform.defs.gold.resources import spectrum_partition_args
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
    statements = render_partition_ddl(tmp_path, days)
    assert len(statements) == 9 * 2  # Redshift adds at most 100 partitions per statement
    orders = [s for s in statements if s.startswith("alter table silver.orders ")]
    registered = [s.count("partition (dt=") for s in orders]
    assert registered == [100, 50]
    last = "2024-05-29"
    assert f"partition (dt='{last}') location '{LAKE}/silver/orders/dt={last}/'" in orders[1]


def test_the_asset_passes_the_run_days_to_the_macro():
    args = spectrum_partition_args(["2024-01-01", "2024-01-02"])
    assert args[:2] == ["run-operation", "add_spectrum_partitions"]
    assert json.loads(args[args.index("--args") + 1]) == {"dates": ["2024-01-01", "2024-01-02"]}
