"""Gold: every dbt model, seed and test as Dagster assets and checks, one `dbt build` per run.

Days an earlier step of the run rejected (defs/day_outcomes.py) are left out of the build
(window setting `exclude_dates`); gold then records the other days partition by partition and
fails the run naming the rejected days, which the gold partitions show as failed.

The window reaches dbt in the environment (`ECOM_GOLD_WINDOW`, macro `window_var`), not as
`--vars`: dbt throws its partial parse away whenever `--vars` change, and a full parse of
the project costs more than building a small partition. Each build starts from the last
build's partial parse (`partial_parse.msgpack` in the project's target folder) and hands
its own back, so only the first build after a change of the project or profile parses fully.
"""

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from ecom_platform.defs.day_outcomes import rejected_days
from ecom_platform.defs.gold.project import DBT_PROJECT, patched_environ
from ecom_platform.defs.gold.resources import GoldWarehouse
from ecom_platform.defs.gold.translator import GoldTranslator
from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN
from ecom_platform.lib.owned_folders import lent_folder, remove_abandoned

# DuckDB takes one writer at a time: gold runs share a pool of one (dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"


def window_vars(window: dg.TimeWindow, excluded: list[str]) -> dict[str, Any]:
    """dbt vars for a partition window; the end is exclusive, like the models' filters."""
    return {
        "start_date": window.start.date().isoformat(),
        "end_date": window.end.date().isoformat(),
        "exclude_dates": excluded,
    }


WINDOW_ENV = "ECOM_GOLD_WINDOW"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
BUILDS_FOLDER = "builds"
# Finished builds kept for a look (compiled SQL, run_results.json): about 9 MB each, so
# daily runs and test suites must not keep them all.
KEPT_BUILDS = 5
# The build folder's dbt.log at info level (each node's start, result and errors) rather than
# dbt's default debug level, which also records every SQL statement as a JSON event: about
# 0.5 s of dbt's event logging per build at scale 10. `dbt --debug` with the build's window
# shows the statements.
BUILD_LOG_ENV = {"DBT_LOG_LEVEL_FILE": "info"}


def window_env(window: dg.TimeWindow, excluded: list[str]) -> dict[str, str]:
    """The environment variable that carries the window to dbt (macro window_var)."""
    return {WINDOW_ENV: json.dumps(window_vars(window, excluded))}


def project_target_dir() -> Path:
    """The target folder of the project's manifest (and of the shared partial parse)."""
    return DBT_PROJECT.project_dir / DBT_PROJECT.target_path


@contextmanager
def build_target_dir(context: dg.AssetExecutionContext) -> Iterator[Path]:
    """A fresh target folder for one build, seeded with the last partial parse, owned by the
    build while it runs (the finished ones beyond KEPT_BUILDS are deleted)."""
    builds = project_target_dir() / BUILDS_FOLDER
    remove_abandoned(builds, keep_newest=KEPT_BUILDS)
    name = f"gold-{context.run.run_id[:8]}-{uuid.uuid4().hex[:7]}"
    with lent_folder(builds / name) as target:
        seed_partial_parse(target)
        yield target


def seed_partial_parse(target: Path) -> None:
    shared = project_target_dir() / PARTIAL_PARSE_FILE
    if shared.exists():
        shutil.copy2(shared, target / PARTIAL_PARSE_FILE)


def keep_partial_parse(target: Path) -> None:
    """Hand the build's partial parse to the next build (atomic: runs may overlap)."""
    built = target / PARTIAL_PARSE_FILE
    if built.exists():
        staged = project_target_dir() / f".{PARTIAL_PARSE_FILE}.{uuid.uuid4().hex[:7]}"
        shutil.copy2(built, staged)
        os.replace(staged, project_target_dir() / PARTIAL_PARSE_FILE)


def per_partition(
    context: dg.AssetExecutionContext, events: Iterator[Any], days: list[str]
) -> Iterator[Any]:
    """dbt's events with each model output recorded for the built days only (the run's
    range would also mark the left-out days materialized); checks pass through."""
    for event in events:
        if isinstance(event, dg.Output):
            key = context.asset_key_for_output(event.output_name)
            for day in days:
                yield dg.AssetMaterialization(asset_key=key, partition=day, metadata=event.metadata)
        else:
            yield event


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
    rejected = {d: why for d, why in rejected_days(context).items() if d in context.partition_keys}
    days = [d for d in context.partition_keys if d not in rejected]
    if days:
        window = window_env(context.partition_time_window, sorted(rejected))
        with build_target_dir(context) as target:
            with patched_environ({**warehouse.dbt_env(), **window, **BUILD_LOG_ENV}):
                warehouse.before_build(context, dbt, days)
                invocation = dbt.cli(["build"], context=context, target_path=target)
            events = invocation.stream()
            yield from per_partition(context, events, days) if rejected else events
            keep_partial_parse(target)
    if rejected:
        reasons = "; ".join(f"{d}: {', '.join(why)}" for d, why in sorted(rejected.items()))
        raise dg.Failure(
            f"days left out of gold, rejected upstream (rerun them once fixed): {reasons}"
        )
