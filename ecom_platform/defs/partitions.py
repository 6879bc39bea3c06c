"""The one daily partitioning every asset shares (first day from ECOM_START_DATE)."""

import dagster as dg

from ecom_platform.settings import load_settings

DAILY_PARTITIONS = dg.DailyPartitionsDefinition(
    start_date=load_settings().start_date.isoformat(),
    end_offset=1,  # today's files may already have landed
)

# Range runs (backfills, `ecom-platform run`) process all their partitions in one step.
SINGLE_RUN = dg.BackfillPolicy.single_run()

# How a run names its partition range (the CLI, backfills and the landing sensor).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def range_tags(start: str, end: str) -> dict[str, str]:
    """Run tags for the inclusive range start..end (a single day is a range of one)."""
    return {RANGE_START_TAG: start, RANGE_END_TAG: end}
