"""`quality/daily_summary`: the day's data quality as numbers the UI plots per partition.

The warehouse answers "what was rejected and why" row by row; this asset answers "is
yesterday healthy" at a glance. Per partition it records one materialization with the
quarantine rate by entity, rejected files, orphans (total and by entity), the
nothing-lost equation (from `gold/mart_data_quality_daily`) and the outcome of the
bronze and silver checks.

Check outcomes come from the instance: the asset check evaluations this run recorded
for `bronze/*` and `silver/*`. Those checks record one evaluation per partition (and a
run-wide summary, used only for a check that recorded none per partition: its failures
count on the days it names as `dt=<day>`). A run of this asset alone (no checks in it)
records `checks_evaluated` 0.
"""

from collections.abc import Iterator

import dagster as dg

from ecom_platform.defs.gold.assets import WAREHOUSE_POOL, window_vars
from ecom_platform.defs.gold.resources import GoldWarehouse
from ecom_platform.defs.keys import gold_asset_key
from ecom_platform.defs.partitions import DAILY_PARTITIONS, SINGLE_RUN
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.quality_summary import MART_COLUMNS, CheckOutcome, DaySummary, summarize

SUMMARY_KEY = dg.AssetKey(["quality", "daily_summary"])
CHECKED_LAYERS = (Layer.BRONZE.value, Layer.SILVER.value)


def mart_sql(window: dg.TimeWindow) -> str:
    """The mart's rows for the window; the end is exclusive, like the dbt models' filters."""
    bounds = window_vars(window, excluded=[])  # the bounds only: no day is left out here
    return (
        f"select {', '.join(MART_COLUMNS)} from mart_data_quality_daily "
        f"where dt >= cast('{bounds['start_date']}' as date) "
        f"and dt < cast('{bounds['end_date']}' as date)"
    )


def run_check_outcomes(context: dg.AssetExecutionContext) -> list[CheckOutcome]:
    """The bronze and silver check evaluations this run recorded."""
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    outcomes = []
    for record in records:
        evaluation = record.event_log_entry.get_dagster_event().asset_check_evaluation_data
        if evaluation.asset_key.path[0] not in CHECKED_LAYERS:
            continue
        outcomes.append(
            CheckOutcome(
                name=f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}",
                passed=evaluation.passed,
                blocking_failure=evaluation.severity is dg.AssetCheckSeverity.ERROR,
                description=evaluation.description or "",
                partition=evaluation.partition,
            )
        )
    return outcomes


def day_metadata(day: DaySummary) -> dict:
    failed = day.failed_check_names()
    return {**day.metadata(), "failed_checks": dg.MetadataValue.text(", ".join(failed) or "none")}


@dg.asset(
    key=SUMMARY_KEY,
    deps=[gold_asset_key("mart_data_quality_daily"), gold_asset_key("dq_orphans")],
    group_name="quality",
    kinds={"python"},
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
    pool=WAREHOUSE_POOL,
    description="Per day: quarantine rate by entity, rejected files, orphans, nothing lost, "
    "bronze and silver check outcomes (numbers the UI plots per partition).",
)
def daily_summary(
    context: dg.AssetExecutionContext, warehouse: GoldWarehouse
) -> Iterator[dg.MaterializeResult | dg.AssetMaterialization]:
    days = summarize(
        context.partition_keys,
        warehouse.query(mart_sql(context.partition_time_window)),
        run_check_outcomes(context),
    )
    if len(days) == 1:
        yield dg.MaterializeResult(metadata=day_metadata(days[0]))
        return
    # Dagster records a range's result on every partition, so the per-day events come last.
    yield dg.MaterializeResult(metadata={"partitions": len(days)})
    for day in days:
        yield dg.AssetMaterialization(SUMMARY_KEY, partition=day.dt, metadata=day_metadata(day))
