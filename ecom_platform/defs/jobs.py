"""The one job that schedules and sensors launch, and how every run executes.

Runs execute in one process (`in_process_executor`): a run pays the start-up of
Dagster and the definitions, the Spark session and dbt once, not once per step
(the multiprocess default started a Python process per step, each importing
Dagster, dbt and PySpark: ~65 s of a 110 s one-day run). The executor is set for
the code location too, so backfills launched from the asset graph (Dagster's
implicit asset job) run the same way.
"""

import dagster as dg

from ecom_platform.defs.gold.freshness import gold_freshness

DAILY_PIPELINE = "daily_pipeline"

# Every asset and check but the freshness checks, which the freshness sensor evaluates.
daily_pipeline = dg.define_asset_job(
    DAILY_PIPELINE,
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(gold_freshness),
    executor_def=dg.in_process_executor,
)

defs = dg.Definitions(executor=dg.in_process_executor)
