"""`make bench` keeps the latest figures of every scenario, whichever were run last."""

from __future__ import annotations

import json
import shutil
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


def test_a_scenario_removes_its_folders_unless_it_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "RESULTS", tmp_path)
    made: list[Path] = []

    def scenario(fails: bool) -> dict:
        workdir = run.fresh("test")
        (workdir / "warehouse.duckdb").write_bytes(b"x")
        made.append(workdir)
        if fails:
            raise SystemExit("ecom-platform run failed")
        return {"wall_s": 1.0}

    monkeypatch.setitem(run.SCENARIOS, "passes", lambda args, results: scenario(False))
    monkeypatch.setitem(run.SCENARIOS, "fails", lambda args, results: scenario(True))
    assert run.main(["passes"]) == 0
    with pytest.raises(SystemExit):
        run.main(["fails"])
    passed, failed = made
    assert not passed.exists()
    assert (failed / "warehouse.duckdb").exists()  # kept for a look
    shutil.rmtree(failed)
