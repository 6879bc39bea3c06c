"""`make bench` keeps the latest figures of every scenario, whichever were run last."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run


def test_a_scenario_run_alone_keeps_the_others_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    old_layout = {"measured_at": "2026-01-01T00:00:00Z", "latency": {"wall_s": 50.0}}
    (tmp_path / "latest.json").write_text(json.dumps(old_layout))
    run.save("throughput", {"wall_s": 100.0})
    run.save("latency", {"wall_s": 40.0})
    report = json.loads((tmp_path / "latest.json").read_text())
    assert set(report) == {"throughput", "latency"}
    assert report["throughput"]["wall_s"] == 100.0
    assert report["latency"]["wall_s"] == 40.0
    assert all("measured_at" in measures for measures in report.values())
