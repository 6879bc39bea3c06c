"""Start the daily pipeline for the days whose landing files bronze has not ingested as they are.

The logic is `lib.landing_scan`: every tick compares the landing listing with the
bronze file ledgers (names and content tags), so switching the sensor on over
processed history launches nothing; the listing is bounded (open days every
tick, older days swept a chunk per tick, the position in the cursor). The
changed days of a tick become a few partition-range runs (one Spark start and
one `dbt build` each). The run key holds the digests of the folders' listings:
the same state never runs twice (daemon restarts re-evaluate to the same key),
and a file changed again later is a new key.
"""

from datetime import UTC, date, datetime
from functools import cache

import dagster as dg
from botocore.exceptions import BotoCoreError, ClientError

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.jobs import daily_pipeline
from ecom_platform.defs.partitions import DAILY_PARTITIONS, range_tags
from ecom_platform.lib.bronze import read_ledger
from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.lib.landing_scan import (
    ListEntries,
    ScanCursor,
    ScanLimits,
    ScanResult,
    Window,
    local_entries,
    plan_ranges,
    run_key_digest,
    s3_entries,
    scan_landing,
)
from ecom_platform.lib.storage import QUICK_RETRIES, is_s3, s3_client
from ecom_platform.settings import load_settings

LANDING_DIGEST_TAG = "ecom/landing_digest"
MINIMUM_INTERVAL_SECONDS = 30  # Dagster's default; the daemon evaluates sensors every 5 s at best


@cache
def quick_s3_client():
    """Few, short attempts: an unreachable endpoint must not outlast the 60 s tick timeout."""
    return s3_client(QUICK_RETRIES, connect_timeout=5)


def entry_lister(landing_uri: str) -> ListEntries:
    if is_s3(landing_uri):
        return lambda entity, after: s3_entries(quick_s3_client(), landing_uri, entity, after)
    return lambda entity, after: local_entries(landing_uri, entity, after)


def partition_window(now: datetime) -> Window:
    """Every daily partition (today's included: DAILY_PARTITIONS has end_offset=1)."""
    first = date.fromisoformat(DAILY_PARTITIONS.get_first_partition_key())
    return Window.ending(first, now.date(), ScanLimits().open_days)


def run_requests(result: ScanResult) -> list[dg.RunRequest]:
    """One request per range of changed days, keyed by the listings it was planned from."""
    requests = []
    for start, end in plan_ranges(key.split("/")[1] for key in result.changed):
        digests = {k: d for k, d in result.changed.items() if start <= k.split("/")[1] <= end}
        digest = run_key_digest(digests)
        requests.append(
            dg.RunRequest(
                run_key=f"landing:{start}..{end}:{digest}",
                tags={**range_tags(start, end), LANDING_DIGEST_TAG: digest},
            )
        )
    return requests


def tick_summary(result: ScanResult) -> str:
    return (
        f"{result.folders_seen} folders, {result.keys_listed} keys listed, "
        f"{result.ledger_reads} ledgers read; sweep at {result.cursor.sweep_after or 'start'}"
    )


@dg.sensor(
    job=daily_pipeline,
    minimum_interval_seconds=MINIMUM_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING
    if load_settings().landing_sensor_running
    else dg.DefaultSensorStatus.STOPPED,
)
def bronze_landing_sensor(
    context: dg.SensorEvaluationContext, lake: LakeResource
) -> dg.SensorResult:
    cursor = ScanCursor.decode(context.cursor)
    try:
        result = scan_landing(
            list(ENTITY_NAMES),
            entry_lister(lake.landing_uri),
            lambda entity, dt: read_ledger(lake.lake_uri, entity, dt),
            cursor,
            partition_window(datetime.now(UTC)),
        )
    except (BotoCoreError, ClientError, OSError) as exc:
        return dg.SensorResult(
            skip_reason=f"landing zone {lake.landing_uri} unreachable, cursor kept: "
            f"{type(exc).__name__}: {exc}",
            cursor=context.cursor,
        )
    if result.skipped.counts:
        context.log.warning(result.skipped.summary())
    context.log.info(tick_summary(result))
    requests = run_requests(result)
    if not requests:
        return dg.SensorResult(
            skip_reason=f"no new or changed landing files ({tick_summary(result)})",
            cursor=result.cursor.encode(),
        )
    return dg.SensorResult(run_requests=requests, cursor=result.cursor.encode())
