"""The code location as the UI sees it: every asset spec against a reviewed snapshot.

A change to the asset graph (a key, a dependency, a group, the partitioning)
shows up here as a diff to review; regenerate the snapshot with
`UPDATE_SNAPSHOTS=1 make test` when the change is intended.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from ecom_platform.definitions import defs
from ecom_platform.defs.partitions import DAILY_PARTITIONS
from ecom_platform.lib.entities import ENTITY_NAMES

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_specs.json"
ROOT = Path(__file__).resolve().parent.parent


def spec_snapshot(spec: dg.AssetSpec) -> dict:
    return {
        "group": spec.group_name,
        "deps": sorted(dep.asset_key.to_user_string() for dep in spec.deps),
        "partitions": type(spec.partitions_def).__name__ if spec.partitions_def else None,
        "kinds": sorted(spec.kinds),
    }


def current_snapshot() -> dict:
    specs = sorted(defs.resolve_all_asset_specs(), key=lambda s: s.key.to_user_string())
    return {spec.key.to_user_string(): spec_snapshot(spec) for spec in specs}


def test_asset_specs_match_the_reviewed_snapshot():
    current = current_snapshot()
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    assert current == json.loads(SNAPSHOT.read_text())


def test_every_entity_flows_from_bronze_through_silver_to_staging():
    specs = {s.key.to_user_string(): s for s in defs.resolve_all_asset_specs()}
    for entity in ENTITY_NAMES:
        assert f"silver/{entity}" in {
            d.asset_key.to_user_string() for d in specs[f"stg_{entity}"].deps
        }
        assert f"bronze/{entity}" in {
            d.asset_key.to_user_string() for d in specs[f"silver/{entity}"].deps
        }


def test_every_asset_shares_the_daily_partitions():
    for spec in defs.resolve_all_asset_specs():
        assert spec.partitions_def == DAILY_PARTITIONS, spec.key


def test_sensor_schedule_and_job_are_defined():
    assert defs.resolve_sensor_def("bronze_landing_sensor")
    assert defs.resolve_schedule_def("daily_pipeline_schedule")
    assert defs.resolve_job_def("daily_pipeline")


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
