"""`make bench`: the platform's speed scenarios, against a floor measured in the same run.

    .venv/bin/python -m bench.run                      # every scenario
    .venv/bin/python -m bench.run throughput floor     # some of them
    .venv/bin/python -m bench.run backfill --backfill-days 10

Prints a markdown table and records each scenario's figures in bench/results/latest.json,
beside the latest figures of the scenarios not run this time. Generated landing
data stays under bench/.data/ (git-ignored), so a rerun skips generation. Every
run is a real `ecom-platform run` (or a daemon-launched run) in a fresh lake,
warehouse and DAGSTER_HOME, removed when its scenario succeeds; absolute times
drift on a shared machine, so the table also gives ratios measured side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench.floor import floor_pass
from bench.measure import Measured, run_measured, run_steps
from ecom_platform.generator.manifest import load_manifest
from ecom_platform.lib.dbt_location import dbt_project_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
START = date(2024, 1, 1)
SEED = 5
DEFECT_RATE = "0.02"
DBT_DIR = dbt_project_dir()
PARTIAL_PARSE = "partial_parse.msgpack"


def landing_for(scale: float, days: int) -> Path:
    """Generated landing data (cached): `days` days from START at `scale`."""
    landing = DATA / f"scale{scale:g}-days{days}" / "landing"
    if not (landing / "_manifest" / f"generate-{SEED}.json").exists():
        shutil.rmtree(landing, ignore_errors=True)
        generate(landing, scale, days)
    return landing


def generate(out: Path, scale: float, days: int) -> Measured:
    command = [str(BIN / "ecom-platform"), "generate", "--out", str(out)]
    command += ["--start", START.isoformat(), "--days", str(days), "--scale", f"{scale:g}"]
    command += ["--seed", str(SEED), "--defect-rate", DEFECT_RATE]
    measured = run_measured(command, os.environ)
    if measured.returncode != 0:
        raise SystemExit(f"generate failed:\n{measured.output[-3000:]}")
    return measured


def records_in(landing: Path) -> int:
    """Records in every landing file, malformed ones included (the generator's manifest)."""
    manifest = load_manifest(str(landing), SEED)
    return sum(entry.records or 0 for p in manifest.partitions.values() for entry in p.files)


def platform_env(workdir: Path, landing: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ECOM_LANDING_URI": str(landing),
        "ECOM_LAKE_URI": str(workdir / "lake"),
        "ECOM_WAREHOUSE": str(workdir / "warehouse.duckdb"),
        "ECOM_TARGET": "local",
        "DAGSTER_HOME": str(workdir / "dagster_home"),
    }


def parse_for_warehouse(env: dict[str, str]) -> None:
    """Leave dbt a partial parse made for this warehouse, as a deployment has from its last
    build. dbt parses the whole project again when the profile differs from the last
    parse's, and the DuckDB file's path is part of the profile: each scenario's fresh
    warehouse would otherwise pay a full parse (2-3 s) that a daily run never pays."""
    deployed = DBT_DIR / "target" / "local"  # defs/gold/project.py's target path locally
    deployed.mkdir(parents=True, exist_ok=True)  # a fresh checkout has none yet
    with tempfile.TemporaryDirectory() as target:
        command = [str(BIN / "dbt"), "parse", "--quiet", "--target", "local"]
        command += ["--target-path", target]
        subprocess.run(command, cwd=DBT_DIR, env=env, check=True, capture_output=True)
        shutil.copy2(Path(target) / PARTIAL_PARSE, deployed / PARTIAL_PARSE)


def platform_run(workdir: Path, landing: Path, first: date, last: date) -> dict[str, float]:
    """One `ecom-platform run` over first..last: wall, peak memory and seconds per stage."""
    command = [str(BIN / "ecom-platform"), "run", "--start", first.isoformat()]
    command += ["--end", last.isoformat()]
    env = platform_env(workdir, landing)
    parse_for_warehouse(env)
    measured = run_measured(command, env, cwd=ROOT)
    if measured.returncode != 0:
        raise SystemExit(f"ecom-platform run failed:\n{measured.output[-3000:]}")
    steps = run_steps(workdir / "dagster_home")
    work = sum(steps.seconds.values())
    return {
        "wall_s": round(measured.seconds, 2),
        "bronze_s": steps.stage("bronze"),
        "silver_s": steps.stage("silver"),
        "gold_s": steps.stage("gold"),
        "startup_s": round(measured.seconds - work, 2),
        "peak_rss_mib": round(measured.peak_rss_mib),
    }


# The lakes, warehouses and Dagster homes of the running scenario (a scale-100 run leaves about
# 0.4 GB, the incremental scenario 0.8 GB): removed when it succeeds, kept for a look when not.
WORKDIRS: list[Path] = []


def fresh(name: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    WORKDIRS.append(workdir)
    return workdir


def run_scenario(name: str, args: argparse.Namespace, results: dict) -> dict:
    try:
        measures = SCENARIOS[name](args, results)
    except BaseException:
        print(f"   {name} failed; its folders are kept: {', '.join(map(str, WORKDIRS))}")
        WORKDIRS.clear()
        raise
    while WORKDIRS:
        shutil.rmtree(WORKDIRS.pop(), ignore_errors=True)
    return measures


def day(n: int) -> date:
    return START + timedelta(days=n)


# ---------------------------------------------------------------- scenarios


def throughput(args: argparse.Namespace, results: dict) -> dict:
    landing = landing_for(100, 1)
    run = platform_run(fresh("throughput"), landing, START, START)
    records = records_in(landing)
    return {**run, "records": records, "records_per_s": round(records / run["wall_s"])}


def floor(args: argparse.Namespace, results: dict) -> dict:
    landing = landing_for(100, 1)
    measured = floor_pass(landing, fresh("floor"))
    if "throughput" in results:
        ratio = results["throughput"]["wall_s"] / measured["seconds"]
        measured["throughput_ratio"] = round(ratio, 2)
    return measured


def latency(args: argparse.Namespace, results: dict) -> dict:
    return platform_run(fresh("latency"), landing_for(1, 1), START, START)


def backfill(args: argparse.Namespace, results: dict) -> dict:
    days = args.backfill_days
    landing = landing_for(1, days)
    one_run = platform_run(fresh("backfill"), landing, START, day(days - 1))
    separate = fresh("separate")
    total = sum(platform_run(separate, landing, day(n), day(n))["wall_s"] for n in range(days))
    return {
        "days": days,
        "one_run_s": one_run["wall_s"],
        "separate_runs_s": round(total, 1),
        "ratio": round(one_run["wall_s"] / total, 3),
    }


def incremental(args: argparse.Namespace, results: dict) -> dict:
    landing = landing_for(10, 15)
    history = fresh("history")
    platform_run(history, landing, START, day(13))
    day15 = platform_run(history, landing, day(14), day(14))
    day1 = platform_run(fresh("day1"), landing, START, START)
    return {
        "day15_wall_s": day15["wall_s"],
        "day1_wall_s": day1["wall_s"],
        "wall_ratio": round(day15["wall_s"] / day1["wall_s"], 2),
        "day15_gold_s": day15["gold_s"],
        "day1_gold_s": day1["gold_s"],
        "gold_ratio": round(day15["gold_s"] / day1["gold_s"], 2),
    }


def generator(args: argparse.Namespace, results: dict) -> dict:
    out = fresh("generate") / "landing"
    measured = generate(out, 100, 1)
    records = records_in(out)
    shutil.rmtree(out.parent, ignore_errors=True)
    return {
        "seconds": round(measured.seconds, 1),
        "records": records,
        "records_per_s": round(records / measured.seconds),
        "peak_rss_mib": round(measured.peak_rss_mib),
    }


def operated(args: argparse.Namespace, results: dict) -> dict:
    """The same day, each on a fresh lake and warehouse: through the daemon, then the CLI."""
    from bench.operated import operated_day

    landing = landing_for(1, 1)
    workdir = fresh("daemon")
    daemon = operated_day(workdir, platform_env(workdir, landing), landing, START)
    cli = platform_run(fresh("cli"), landing, START, START)["wall_s"]
    ratio = daemon["submit_to_done_s"] / cli
    return {**daemon, "cli_wall_s": cli, "submit_to_done_ratio": round(ratio, 2)}


SCENARIOS: dict[str, Callable[[argparse.Namespace, dict], dict]] = {
    "throughput": throughput,
    "floor": floor,
    "latency": latency,
    "backfill": backfill,
    "incremental": incremental,
    "generator": generator,
    "operated": operated,
}


def markdown(results: dict) -> str:
    lines = ["| scenario | measure | value |", "|---|---|---|"]
    for name, measures in results.items():
        lines += [f"| {name} | {key} | {value} |" for key, value in measures.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help=f"any of: {', '.join(SCENARIOS)}")
    parser.add_argument("--backfill-days", type=int, default=30)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenarios {unknown}; choose from {', '.join(SCENARIOS)}")
    chosen = args.scenarios or list(SCENARIOS)
    results: dict[str, dict] = {}
    for name in chosen:
        print(f"== {name}", flush=True)
        began = time.perf_counter()
        results[name] = run_scenario(name, args, results)
        print(f"   {results[name]} ({time.perf_counter() - began:.0f} s)", flush=True)
        save(name, results[name])  # at once: a later scenario failing keeps this one
    print(markdown(results))
    return 0


def save(name: str, measures: dict) -> None:
    """Record one scenario in latest.json, beside the latest figures of the others."""
    latest = RESULTS / "latest.json"
    report = json.loads(latest.read_text()) if latest.exists() else {}
    report.pop("measured_at", None)  # the file's former layout: one time for all scenarios
    measured_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report[name] = {"measured_at": measured_at, **measures}
    RESULTS.mkdir(parents=True, exist_ok=True)
    latest.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
