"""Every night, run the whole pipeline for yesterday's partition (UTC extract date).

Not `build_schedule_from_partitioned_job`: DAILY_PARTITIONS has `end_offset=1`
(today's files may already land), so that helper would pick today's, still
filling partition. Files that land after the run are picked up by the sensor.
"""

from datetime import timedelta

import dagster as dg

from ecom_platform.defs.jobs import daily_pipeline

DAILY_RUN_CRON = "0 2 * * *"  # two hours of grace for yesterday's last files


def previous_day(context: dg.ScheduleEvaluationContext) -> str:
    return (context.scheduled_execution_time.date() - timedelta(days=1)).isoformat()


@dg.schedule(job=daily_pipeline, cron_schedule=DAILY_RUN_CRON, execution_timezone="UTC")
def daily_pipeline_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    return dg.RunRequest(partition_key=previous_day(context))
