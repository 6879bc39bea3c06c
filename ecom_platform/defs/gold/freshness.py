"""Freshness of the gold marts: day D's partition must be in by a deadline on day D+1.

`ECOM_GOLD_DEADLINE` (HH:MM UTC, default 06:00). The check `freshness` on each mart fails
(ERROR, not blocking) naming the mart and the day when the newest day due
(`lib/freshness.due_day`) has no materialization; the checks tab shows it red. A schedule
evaluates the checks at the deadline and hourly after it, and they run on their own from
the UI. Dagster's `build_time_partition_freshness_checks` is not used: with today's
partition open (`end_offset=1`) it expects today's partition, not yesterday's. The checks
are not part of `daily_pipeline` (a run over old days must not report today's freshness).
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from ecom_platform.defs.gold.assets import gold_dbt_assets
from ecom_platform.lib.freshness import due_day
from ecom_platform.settings import load_settings

MARTS_GROUP = "gold_marts"
CHECK_NAME = "freshness"


def mart_keys() -> list[dg.AssetKey]:
    groups = gold_dbt_assets.group_names_by_key
    return sorted((key for key in gold_dbt_assets.keys if groups[key] == MARTS_GROUP), key=str)


def freshness_result(
    instance: dg.DagsterInstance, key: dg.AssetKey, now: datetime
) -> dg.AssetCheckResult:
    deadline = load_settings().gold_deadline
    day = due_day(now, deadline).isoformat()
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=[day]), limit=1
    ).records
    return dg.AssetCheckResult(
        asset_key=key,
        check_name=CHECK_NAME,
        passed=bool(records),
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{key.to_user_string()} dt={day} "
        + ("is in" if records else f"is late: not in by {deadline:%H:%M} UTC the next day"),
        metadata={"due_day": day, "deadline_utc": f"{deadline:%H:%M}"},
    )


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME, asset=key, description="Yesterday's partition is in by the deadline"
        )
        for key in mart_keys()
    ],
    name="gold_freshness",
    can_subset=True,
)
def gold_freshness(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    now = datetime.now(UTC)
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        yield freshness_result(context.instance, check_key.asset_key, now)


gold_freshness_job = dg.define_asset_job(
    "gold_freshness_checks", selection=dg.AssetSelection.checks(gold_freshness)
)


def schedule_cron() -> str:
    """At the deadline and every hour after it, so a late day keeps showing until it lands."""
    deadline = load_settings().gold_deadline
    return f"{deadline.minute} {deadline.hour}-23 * * *"


gold_freshness_schedule = dg.ScheduleDefinition(
    name="gold_freshness_schedule",
    job=gold_freshness_job,
    cron_schedule=schedule_cron(),
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
