"""`accepted_spec_values`: gold's enum tests read the spec's values (macros/entities.sql,
generated), so a value outside the spec fails the build and no list is restated by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.gold.conftest import DBT, DBT_PROJECT_DIR

pytestmark = pytest.mark.slow


def test_a_status_outside_the_spec_fails_the_test(full_gold: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full_gold, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update fact_orders set order_status = 'teleported' where order_id = 'O1'")
        assert con.execute("select count(*) from fact_orders where order_id = 'O1'").fetchone()[0]
    result = subprocess.run(
        [str(DBT), "test", "--select", "fact_orders", "dim_customers"],
        cwd=DBT_PROJECT_DIR,
        env={
            **os.environ,
            "ECOM_TARGET": "local",
            "ECOM_LAKE_URI": str(full_gold.parent / "lake"),
            "ECOM_WAREHOUSE": str(warehouse),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "target"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout[-4000:]
    failures = [line for line in result.stdout.splitlines() if "FAIL " in line]
    assert len(failures) == 1 and "accepted_spec_values_fact_orders_order_status" in failures[0]
    # dim_customers' loyalty tiers, '(unknown)' included, pass.
    assert "accepted_spec_values_dim_customers_loyalty_tier" in result.stdout
