"""`quality/daily_summary` on a real warehouse: one materialization per day of the run, whose
numbers are the data-quality marts' (read back from the warehouse, not restated)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dagster as dg
import pytest

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.gold.resources import DuckDBWarehouse
from ecom_platform.defs.quality.assets import daily_summary
from tests.gold.conftest import DAYS, query

pytestmark = pytest.mark.slow


def materialize(warehouse: Path, first: str, last: str) -> dict[str, dict]:
    """Run the summary alone over first..last; its latest metadata per partition."""
    resource = DuckDBWarehouse(
        lake=LakeResource(landing_uri="landing", lake_uri="lake"), path=str(warehouse)
    )
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [daily_summary],
            instance=instance,
            resources={"warehouse": resource},
            tags={
                "dagster/asset_partition_range_start": first,
                "dagster/asset_partition_range_end": last,
            },
        )
        assert result.success
        by_partition = {}
        for event in result.get_asset_materialization_events():
            materialization = event.step_materialization_data.materialization
            values = {k: v.value for k, v in materialization.metadata.items()}
            by_partition[materialization.partition] = values
    return by_partition


def test_each_day_records_the_marts_numbers(full_gold: Path) -> None:
    recorded = materialize(full_gold, DAYS[0], DAYS[-1])
    assert set(recorded) == set(DAYS)
    orphans = Counter(
        {
            (str(dt), entity): n
            for entity, dt, n in query(
                full_gold, "select entity, source_dt, count(*) from dq_orphans group by all"
            )
        }
    )
    rows = query(
        full_gold,
        "select entity, dt, rows_read, quarantined, files_rejected, nothing_lost, "
        "blocking_checks_passed "
        "from mart_data_quality_daily",
    )
    for day in DAYS:
        mart = [row for row in rows if str(row[1]) == day]
        metadata = recorded[day]
        assert metadata["rows_read"] == sum(row[2] for row in mart)
        assert metadata["quarantined"] == sum(row[3] for row in mart)
        assert metadata["rejected_files"] == sum(row[4] for row in mart)
        assert metadata["nothing_lost"] == int(all(row[5] for row in mart))
        assert metadata["blocking_rules_passed"] == int(all(row[6] for row in mart))
        assert metadata["orphans"] == sum(n for (dt, _), n in orphans.items() if dt == day)
        for entity, _, read, quarantined, *_ in mart:
            rate = quarantined / read if read else 0.0
            assert metadata[f"quarantine_rate:{entity}"] == pytest.approx(rate)
            assert metadata[f"orphans:{entity}"] == orphans[(day, entity)]
        assert metadata["checks_evaluated"] == 0  # no check ran in this run
    assert any(recorded[day]["quarantined"] for day in DAYS), "the fixture quarantines rows"
    assert any(recorded[day]["rejected_files"] for day in DAYS), "the fixture rejects a file"
    assert any(recorded[day]["orphans"] for day in DAYS), "the fixture has orphans"


def test_a_one_day_run_records_that_day(full_gold: Path) -> None:
    recorded = materialize(full_gold, DAYS[1], DAYS[1])
    assert list(recorded) == [DAYS[1]]
    assert recorded[DAYS[1]]["rows_read"] > 0
