"""The whole platform on generated data: `generate`, then `run`, checked against the manifest.

This is what `make demo` does, at a smaller scale, with the generator's answer
key deciding what every layer must hold (CONTRACT.md section 3: nothing lost).
"""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from ecom_platform.lib import lake
from ecom_platform.lib.entities import ENTITY_NAMES, get_entity
from ecom_platform.lib.gold_report import load_gold_report
from tests.conftest import DAYS

pytestmark = pytest.mark.slow


def parquet_rows(folder: Path) -> list[dict]:
    return [
        row
        for path in sorted(folder.glob("*.parquet"))
        for row in pq.read_table(io.BytesIO(path.read_bytes())).to_pylist()
    ]


def test_run_succeeds_and_prints_the_summary(pipeline):
    output = pipeline["output"]
    assert pipeline["exit_code"] == 0, output
    totals = pipeline["manifest"].totals()
    total_line = next(line for line in output.splitlines() if line.startswith("total "))
    files, rejected, read, silver, quarantined, duplicates = map(int, total_line.split()[1:])
    assert (read, quarantined, duplicates) == (
        totals["rows_read"],
        totals["quarantined_rows"],
        totals["duplicates"],
    )
    assert silver == totals["valid_rows"]


@pytest.mark.parametrize("entity", ENTITY_NAMES)
def test_nothing_is_lost(pipeline, entity):
    """Per entity and day: read = silver + quarantined + duplicates, as the generator planned."""
    lake_dir: Path = pipeline["lake"]
    for dt in DAYS:
        expected = pipeline["manifest"].partition(entity, dt).expected()
        bronze = pq.read_table(lake.bronze_partition_uri(str(lake_dir), entity, dt))
        silver = parquet_rows(Path(lake.silver_partition_uri(str(lake_dir), entity, dt)))
        quarantine = parquet_rows(Path(lake.quarantine_partition_uri(str(lake_dir), entity, dt)))
        assert bronze.num_rows == expected["rows_read"], (entity, dt)
        assert len(quarantine) == expected["quarantined_rows"], (entity, dt)
        assert len(silver) == expected["valid_rows"], (entity, dt)


@pytest.mark.parametrize("entity", ENTITY_NAMES)
def test_every_defective_row_carries_its_contract_reason(pipeline, entity):
    lake_dir: Path = pipeline["lake"]
    for dt in DAYS:
        planned = Counter(
            (defect.file, defect.line, defect.reason)
            for defect in pipeline["manifest"].partition(entity, dt).row_defects
        )
        found = Counter(
            (row["source_file"].rsplit("/", 1)[-1], row["line_number"], code)
            for row in parquet_rows(Path(lake.quarantine_partition_uri(str(lake_dir), entity, dt)))
            for code in row["reason_codes"]
        )
        assert found == planned, (entity, dt)


def test_gold_star_schema_is_built(pipeline):
    warehouse = pipeline["root"] / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            row[0]
            for row in con.execute("select table_name from information_schema.tables").fetchall()
        }
        assert {"dim_date", "dim_customers", "dim_products", "fact_order_items"} <= tables
        items = con.execute("select count(*) from fact_order_items").fetchone()[0]
    expected_items = sum(
        pipeline["manifest"].partition("order_items", dt).expected()["valid_rows"] for dt in DAYS
    )
    assert items == expected_items


def valid_rows(landing: Path, entity_name: str) -> list[dict]:
    """Valid, deduplicated rows read straight from the landing files by the tests' own
    contract checker, independent of bronze, silver and dbt."""
    from tests.generator.landing_checker import check_partition

    rows = []
    for dt in DAYS:
        folder = landing / entity_name / f"dt={dt}"
        files = {path.name: path.read_bytes() for path in folder.iterdir()}
        check = check_partition(get_entity(entity_name), files)
        rows += [
            values for name, line, values in check.valid if (name, line) not in check.duplicates
        ]
    return rows


def test_analyses_match_an_independent_computation_from_the_landing_files(pipeline):
    landing = pipeline["root"] / "landing"
    revenue_by_product: Counter = Counter()
    for line in valid_rows(landing, "order_items"):
        gross = line["quantity"] * line["unit_price"]
        revenue_by_product[line["product_id"]] += gross - line["discount_amount"]
    known_products = {row["product_id"] for row in valid_rows(landing, "products")}
    report = load_gold_report(pipeline["root"] / "warehouse.duckdb")

    monthly = report.monthly_revenue
    revenue = monthly.columns.index("revenue")
    assert sum(Decimal(str(row[revenue])) for row in monthly.rows) == sum(
        revenue_by_product.values()
    )
    top = report.top_products
    product, top_revenue = top.columns.index("product_id"), top.columns.index("revenue")
    ranked = sorted(
        ((p, r) for p, r in revenue_by_product.items() if p in known_products),
        key=lambda item: (-item[1], item[0]),
    )
    assert [(row[product], Decimal(str(row[top_revenue]))) for row in top.rows] == ranked[:10]
