"""Both Dagster instances queue a second run of a day behind the first (issue 9), as Dagster's
own run-queue counter reads their tag limits."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from dagster._utils.tags import TagConcurrencyLimitsCounter

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ["dagster.yaml", "deploy/dagster.prod.yaml"]


def run_of(day: str) -> SimpleNamespace:
    return SimpleNamespace(tags={"dagster/partition": day})


@pytest.mark.parametrize("instance_file", INSTANCES)
def test_a_second_run_of_a_day_waits_and_other_days_do_not(instance_file: str) -> None:
    config = yaml.safe_load((ROOT / instance_file).read_text())
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    counter = TagConcurrencyLimitsCounter(limits, [run_of("2024-01-01")])
    assert counter.is_blocked(run_of("2024-01-01"))
    assert not counter.is_blocked(run_of("2024-01-02"))
