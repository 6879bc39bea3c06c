"""Gold freshness: day D's mart partition is late after the deadline on day D+1."""

from datetime import UTC, datetime, time

import dagster as dg

from ecom_platform.defs.gold.freshness import (
    freshness_result,
    gold_freshness,
    mart_keys,
    schedule_cron,
)
from ecom_platform.lib.freshness import due_day

FACT = dg.AssetKey(["gold", "fact_order_items"])
SIX = time(6, 0)


def test_the_day_due_moves_at_the_deadline():
    assert due_day(datetime(2024, 3, 2, 5, 59, tzinfo=UTC), SIX).isoformat() == "2024-02-29"
    assert due_day(datetime(2024, 3, 2, 6, 0, tzinfo=UTC), SIX).isoformat() == "2024-03-01"


def test_a_day_not_in_by_the_deadline_fails_the_freshness_check():
    at = datetime(2024, 3, 2, 6, 30, tzinfo=UTC)
    with dg.DagsterInstance.ephemeral() as instance:
        late = freshness_result(instance, FACT, at)
        assert not late.passed and late.severity == dg.AssetCheckSeverity.ERROR
        assert late.description == (
            "gold/fact_order_items dt=2024-03-01 is late: not in by 06:00 UTC the next day"
        )
        instance.report_runless_asset_event(dg.AssetMaterialization(FACT, partition="2024-03-01"))
        assert freshness_result(instance, FACT, at).passed


def test_every_mart_is_checked_and_the_pipeline_leaves_the_checks_out():
    from ecom_platform.definitions import defs

    checked = {key.asset_key for key in gold_freshness.check_keys}
    assert FACT in checked and set(mart_keys()) == checked
    pipeline = defs.resolve_job_def("daily_pipeline")
    assert not set(gold_freshness.check_keys) & set(
        pipeline.asset_layer.asset_graph.asset_check_keys
    )
    assert defs.resolve_schedule_def("gold_freshness_schedule").cron_schedule == schedule_cron()
    assert schedule_cron() == "0 6-23 * * *"
