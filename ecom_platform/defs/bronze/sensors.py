"""Start the daily pipeline for every partition whose landing files are new or changed.

The whole landing zone is listed on each tick, so a late file in any older
`dt=` folder is seen (no `since_key` / `since_last_modified`, which lose
same-second uploads and break when a key disappears). The cursor keeps one
16-hex digest per dt of every (file, ETag) in it, all entities together: about
30 bytes a day. The run key carries that digest, so a changed or late file is
a new run key and is never swallowed by run-key deduplication.
"""

import json

import dagster as dg

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.jobs import daily_pipeline
from ecom_platform.defs.partitions import DAILY_PARTITIONS
from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.lib.landing import partition_fingerprints
from ecom_platform.lib.storage import open_store

LANDING_DIGEST_TAG = "ecom/landing_digest"


def changed_partitions(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    return sorted(dt for dt, digest in current.items() if previous.get(dt) != digest)


@dg.sensor(job=daily_pipeline, minimum_interval_seconds=60)
def bronze_landing_sensor(
    context: dg.SensorEvaluationContext, lake: LakeResource
) -> dg.SensorResult:
    landing_uri = lake.landing_uri
    files = open_store(landing_uri).list_files(landing_uri)
    found = partition_fingerprints(landing_uri, files, ENTITY_NAMES)
    current = {dt: digest for dt, digest in found.items() if DAILY_PARTITIONS.has_partition_key(dt)}
    ignored = sorted(set(found) - set(current))
    if ignored:
        context.log.warning(f"landing dt= folders outside the partitions, ignored: {ignored}")
    previous = json.loads(context.cursor) if context.cursor else {}
    cursor = json.dumps(current, sort_keys=True, separators=(",", ":"))
    changed = changed_partitions(previous, current)
    if not changed:
        return dg.SensorResult(skip_reason="no new or changed landing files", cursor=cursor)
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=f"landing:{dt}:{current[dt]}",
                partition_key=dt,
                tags={LANDING_DIGEST_TAG: current[dt]},
            )
            for dt in changed
        ],
        cursor=cursor,
    )
