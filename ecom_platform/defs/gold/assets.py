"""Gold: every dbt model, seed and test as Dagster assets and checks, one `dbt build` per run."""

import json
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from ecom_platform.defs.gold.project import DBT_PROJECT, patched_environ
from ecom_platform.defs.gold.resources import GoldWarehouse
from ecom_platform.defs.gold.translator import GoldTranslator
from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN

# DuckDB takes one writer at a time: gold runs share a pool of one (dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"


def window_vars(window: dg.TimeWindow) -> dict[str, str]:
    """dbt vars for a partition window; the end is exclusive, like the models' filters."""
    return {
        "start_date": window.start.date().isoformat(),
        "end_date": window.end.date().isoformat(),
    }


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=GoldTranslator(),
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    name="gold_dbt",
)
def gold_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: GoldWarehouse
) -> Iterator[Any]:
    """Build the run's window (one partition or a whole backfill range) in one dbt invocation."""
    args = ["build", "--vars", json.dumps(window_vars(context.partition_time_window))]
    with patched_environ(warehouse.dbt_env()):
        warehouse.before_build(context, dbt, context.partition_keys)
        invocation = dbt.cli(args, context=context)
    yield from invocation.stream()
