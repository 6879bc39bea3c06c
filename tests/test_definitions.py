"""The code location as the UI sees it, for both targets: asset specs and resource bindings
against reviewed snapshots.

A change to the asset graph (a key, a dependency, a group, the partitioning) or
to which implementation a resource key gets shows up here as a diff to review;
regenerate the snapshots with `UPDATE_SNAPSHOTS=1 make test` when it is intended.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecom_platform.definitions import defs
from ecom_platform.defs.partitions import DAILY_PARTITIONS
from ecom_platform.lib.entities import ENTITY_NAMES

SNAPSHOTS = Path(__file__).parent / "snapshots"
ROOT = Path(__file__).resolve().parent.parent
# What each target needs to load (placeholders: loading touches neither AWS nor Redshift).
TARGET_ENVIRONMENTS = {
    "local": {"ECOM_TARGET": "local"},
    "aws": {
        "ECOM_TARGET": "aws",
        "ECOM_LANDING_URI": "s3://snapshot-landing/landing",
        "ECOM_LAKE_URI": "s3://snapshot-lake/lake",
        "ECOM_REDSHIFT_HOST": "127.0.0.1",
        "ECOM_REDSHIFT_DATABASE": "ecom",
        "AWS_REGION": "us-east-1",
    },
}


def loaded_snapshot(target: str, dagster_home: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.definitions_snapshot"],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(dagster_home), **TARGET_ENVIRONMENTS[target]},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


@pytest.mark.parametrize("target", sorted(TARGET_ENVIRONMENTS))
def test_definitions_match_the_reviewed_snapshot(target: str, tmp_path: Path):
    current = loaded_snapshot(target, tmp_path)
    snapshot = SNAPSHOTS / f"definitions_{target}.json"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    assert current == json.loads(snapshot.read_text())


def test_every_entity_flows_from_bronze_through_silver_to_staging():
    specs = {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}
    for entity in ENTITY_NAMES:
        assert f"silver/{entity}" in {
            d.asset_key.to_user_string() for d in specs[f"gold/stg_{entity}"].deps
        }
        assert f"bronze/{entity}" in {
            d.asset_key.to_user_string() for d in specs[f"silver/{entity}"].deps
        }


def test_every_asset_shares_the_daily_partitions():
    for spec in defs.resolve_all_asset_specs():
        assert spec.partitions_def == DAILY_PARTITIONS, spec.key


def test_sensor_schedule_and_job_are_defined():
    import dagster as dg

    sensor = defs.resolve_sensor_def("bronze_landing_sensor")
    assert sensor.default_status is dg.DefaultSensorStatus.RUNNING  # `make dev` starts it
    assert sensor.minimum_interval_seconds == 30
    schedule = defs.resolve_schedule_def("daily_pipeline_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 2 * * *", "UTC")
    job = defs.resolve_job_def("daily_pipeline")
    assert job.executor_def.name == "in_process"
    assert defs.resolve_implicit_global_asset_job_def().executor_def.name == "in_process"


@pytest.mark.slow
def test_dagster_validates_the_workspace(tmp_path):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dagster"),
            "definitions",
            "validate",
            "-w",
            "workspace.yaml",
        ],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All code locations passed validation" in result.stdout + result.stderr
