"""One in-process Dagster run over a range of daily partitions, as the CLI and demo use it.

The run goes through `daily_pipeline`, the job the schedule and the sensor
launch, with the instance from DAGSTER_HOME, so it is the same run a backfill
from the UI would make and it shows up in `dagster dev`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg

from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.lib.summary import format_summary, summarize_entity
from ecom_platform.settings import Settings

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUIET_LOGGERS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    failed_steps: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    not_materialized: list[str] = field(default_factory=list)
    tool_log: Path | None = None

    def report(self, settings: Settings, days: list[date]) -> str:
        dts = [d.isoformat() for d in days]
        summaries = [summarize_entity(settings.lake_uri, e, dts) for e in ENTITY_NAMES]
        lines = ["", f"Run {self.run_id}: {'succeeded' if self.success else 'FAILED'}", ""]
        lines.append(format_summary(summaries))
        if self.failed_checks:
            lines += ["", "Failed quality checks:", *(f"  {c}" for c in self.failed_checks)]
        if self.failed_steps:
            lines += ["", "Failed steps:", *(f"  {s}" for s in self.failed_steps)]
        if self.not_materialized:
            lines += ["", f"Not materialized (stopped upstream): {len(self.not_materialized)}"]
            lines.append("  " + ", ".join(self.not_materialized))
        lines += gold_report_lines(settings)
        if self.tool_log:
            lines += ["", f"dbt and Spark output: {self.tool_log}"]
        return "\n".join(lines)


def gold_report_lines(settings: Settings) -> list[str]:
    """The first questions asked of the warehouse, when gold exists."""
    if not settings.warehouse_path.exists():
        return []
    from ecom_platform.lib.gold_report import format_gold_report

    return ["", format_gold_report(settings.warehouse_path)]


def range_tags(start: date, end: date) -> dict[str, str]:
    return {RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()}


def failed_check_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        description = evaluation.description or ""
        key = evaluation.asset_key.to_user_string()
        severity = evaluation.severity.value
        line = f"[{severity}] {key} {evaluation.check_name}: {description}".rstrip(": ")
        lines.append(line.replace("\n", "\n    "))
    return lines


def step_keys_with(result: dg.ExecuteInProcessResult, event_type: dg.DagsterEventType) -> list[str]:
    return sorted(
        {
            event.step_key
            for event in result.all_events
            if event.event_type == event_type and event.step_key
        }
    )


def unmaterialized_assets(result: dg.ExecuteInProcessResult, job: dg.JobDefinition) -> list[str]:
    """Assets of the run that a failed step or blocking check kept from running."""
    planned = job.asset_layer.executable_asset_keys
    done = {event.asset_key for event in result.get_asset_materialization_events()}
    return sorted(key.to_user_string() for key in planned - done)


def tool_log_path() -> Path:
    """dbt re-prints every event on stdout; the CLI keeps that in a file beside the runs."""
    folder = Path(os.environ["DAGSTER_HOME"]) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "ecom-platform-run.log"


def run_all_assets(start: date, end: date) -> RunOutcome:
    """Materialize every asset (and run every check) for the partitions start..end inclusive.

    Dagster's own log lines (stderr) show progress; tool output goes to a log file.
    """
    from ecom_platform.definitions import defs
    from ecom_platform.defs.jobs import DAILY_PIPELINE

    job = defs.resolve_job_def(DAILY_PIPELINE)
    log_path = tool_log_path()
    with (
        dg.DagsterInstance.get() as instance,
        log_path.open("w") as tool_log,
        contextlib.redirect_stdout(tool_log),
    ):
        result = job.execute_in_process(
            instance=instance,
            tags=range_tags(start, end),
            run_config=QUIET_LOGGERS,
            raise_on_error=False,
        )
    return RunOutcome(
        success=result.success,
        run_id=result.run_id,
        failed_steps=step_keys_with(result, dg.DagsterEventType.STEP_FAILURE),
        failed_checks=failed_check_lines(result),
        not_materialized=unmaterialized_assets(result, job),
        tool_log=log_path,
    )
