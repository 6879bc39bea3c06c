"""`ecom-platform`: generate sample landing data and run the pipeline for a date range."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from ecom_platform import trace
from ecom_platform.lib.storage import is_s3, local_path
from ecom_platform.settings import (
    Settings,
    SettingsError,
    Target,
    load_aws_settings,
    load_settings,
)


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return int(value)


def share(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        rate = -1.0
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a share between 0 and 1")
    return rate


def positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number > 0")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecom-platform", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write contract-conforming landing files")
    generate.add_argument("--out", help="landing URI (default: ECOM_LANDING_URI)")
    generate.add_argument("--start", type=iso_date, help="first day (default: ECOM_START_DATE)")
    generate.add_argument("--days", type=positive_int, default=3)
    generate.add_argument("--scale", type=positive_float, default=1.0, help="1 ≈ 1,000 orders/day")
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--defect-rate", type=share, default=0.02, dest="defect_rate")

    run = commands.add_parser("run", help="materialize every asset for a range of days")
    run.add_argument("--start", type=iso_date, required=True, help="first day (inclusive)")
    run.add_argument("--end", type=iso_date, required=True, help="last day (inclusive)")

    trace.add_arguments(commands.add_parser("trace", help="one fact row back to its landing line"))
    return parser


def command_generate(args: argparse.Namespace) -> int:
    from ecom_platform.generator import generate

    settings = load_settings()
    out = args.out or settings.landing_uri
    start = args.start or settings.start_date
    print(f"Generating {args.days} day(s) from {start} at scale {args.scale} into {out}")
    manifest = generate(
        out=out,
        start=start,
        days=args.days,
        scale=args.scale,
        seed=args.seed,
        defect_rate=args.defect_rate,
        progress=lambda line: print(f"  {line}", flush=True),
    )
    totals = manifest.totals()
    print(
        f"Done: {totals['files']:,} files, {totals['rows_read']:,} records "
        f"({totals['quarantined_rows']:,} defective, {totals['duplicates']:,} duplicates); "
        f"manifest at {manifest.uri}"
    )
    return 0


def check_range(start: date, end: date, first_day: date, last_day: date) -> None:
    if end < start:
        raise CliError(f"--end {end} is before --start {start}")
    if start < first_day:
        raise CliError(
            f"--start {start} is before the first partition {first_day} "
            "(set ECOM_START_DATE to process earlier days)"
        )
    if end > last_day:
        raise CliError(f"--end {end} is after the last partition {last_day} (today, UTC)")


def dagster_home() -> Path:
    """DAGSTER_HOME (default .dagster_home), where runs are recorded so `dagster dev` shows them."""
    return Path(os.environ.setdefault("DAGSTER_HOME", str(Path(".dagster_home").resolve())))


def ensure_dagster_home(home: Path) -> None:
    config = home / "dagster.yaml"
    template = Path(__file__).resolve().parent.parent / "dagster.yaml"
    if not config.exists() and template.exists():
        config.write_text(template.read_text())


def check_folder(path: Path, setting: str) -> None:
    """`path` is a folder this process can write, created when missing; else a CliError.

    Tried for real (create, write a probe file) rather than judged from permission bits,
    which say nothing for root or read-only mounts.
    """
    where = f"{setting}: {path}"
    if path.exists() and not path.is_dir():
        raise CliError(f"{where} is not a folder")
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise CliError(f"{where} cannot be created: {blocker} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise CliError(f"{where} is not a writable folder ({exc.strerror})") from None


DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file


def check_warehouse_file(path: Path) -> None:
    """The DuckDB file: its folder writable, the file (when present) a DuckDB database."""
    if path.is_dir():
        raise CliError(f"ECOM_WAREHOUSE: {path} is a folder; give the path of a .duckdb file")
    check_folder(path.parent, "ECOM_WAREHOUSE's folder")
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(12)[8:12] != DUCKDB_MAGIC:
                raise CliError(f"ECOM_WAREHOUSE: {path} is not a DuckDB database file")


def check_locations(settings: Settings, home: Path) -> None:
    """The lake, the warehouse's folder and DAGSTER_HOME, before any work starts."""
    check_folder(home, "DAGSTER_HOME")
    if (home / "dagster.yaml").is_dir():
        raise CliError(f"DAGSTER_HOME: {home / 'dagster.yaml'} is a folder, not a file")
    if not is_s3(settings.lake_uri):
        check_folder(local_path(settings.lake_uri), "ECOM_LAKE_URI")
    if settings.target is Target.LOCAL:
        check_warehouse_file(settings.warehouse_path)


def landing_is_empty(landing_uri: str) -> bool:
    from ecom_platform.lib.entities import ENTITY_NAMES
    from ecom_platform.lib.storage import join_uri, open_store

    store = open_store(landing_uri)
    return not any(store.list_dirs(join_uri(landing_uri, name)) for name in ENTITY_NAMES)


def command_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.target is Target.AWS:
        load_aws_settings()  # every missing variable named now, not deep inside a run
    from ecom_platform.defs.partitions import DAILY_PARTITIONS

    last_day = date.fromisoformat(DAILY_PARTITIONS.get_last_partition_key())
    check_range(args.start, args.end, settings.start_date, last_day)
    if landing_is_empty(settings.landing_uri):
        raise CliError(
            f"no landing files under {settings.landing_uri} (ECOM_LANDING_URI); "
            "run `ecom-platform generate` first or point ECOM_LANDING_URI at your landing zone"
        )
    home = dagster_home()
    check_locations(settings, home)
    ensure_dagster_home(home)
    days = (args.end - args.start).days + 1

    from ecom_platform.run import new_run_id, run_all_assets, run_log_path

    run_id = new_run_id()
    log_path = run_log_path(run_id)
    print(f"Running every asset for {days} partition(s), {args.start} .. {args.end}", flush=True)
    print(f"Run {run_id}; log: {log_path}", flush=True)
    try:
        outcome = run_all_assets(args.start, args.end, settings, run_id, log_path)
        print(outcome.report(settings, [args.start + timedelta(days=i) for i in range(days)]))
    except Exception as exc:  # anything unforeseen: one line here, the traceback in the log
        with log_path.open("a") as log:
            traceback.print_exc(file=log)
        first = next((line for line in str(exc).splitlines() if line.strip()), "")
        print(
            f"ecom-platform run: FAILED: {type(exc).__name__}: {first} (details: {log_path})",
            file=sys.stderr,
        )
        return 1
    return 0 if outcome.success else 1


def command_trace(args: argparse.Namespace) -> int:
    try:
        return trace.trace_command(args, load_settings())
    except trace.TraceError as exc:
        raise CliError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"generate": command_generate, "run": command_run, "trace": command_trace}
    try:
        return handlers[args.command](args)
    except (CliError, SettingsError) as exc:
        print(f"ecom-platform {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
