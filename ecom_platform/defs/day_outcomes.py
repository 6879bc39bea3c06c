"""One bad day does not stop the others: per-day outcomes inside a range run.

A range run (backfill, sensor range, `ecom-platform run`) is one step per layer,
and a Dagster step succeeds or fails as a whole. So a check that rejects a day
records a failing ERROR evaluation *for that partition*, naming the day, without
raising in its step; the run's later steps read those evaluations from the run's
event log and leave the day out (silver does not process a day bronze rejected,
gold does not build a day bronze or silver rejected). Gold materializes the other
days one partition at a time and then fails the run naming the rejected days, so
the gold assets' partitions view shows those days failed and the others
materialized. Each check also records one summary result for the whole run (WARN
when days were rejected, so it never blocks the other days). Rerunning a fixed day
completes it.

Limits: bronze and silver are recorded per run range by Dagster, so their
partitions view shows a rejected day as materialized; its failed check for that
partition (checks tab) is what names it there.
"""

from collections.abc import Mapping, Sequence

import dagster as dg


def rejected_days(
    context: dg.OpExecutionContext | dg.AssetExecutionContext, layers: Sequence[str] | None = None
) -> dict[str, list[str]]:
    """Day -> the checks that rejected it in this run (failing per-partition ERROR evaluations),
    of assets of the given layers (first part of the asset key; all when None)."""
    records = context.instance.all_logs(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    )
    days: dict[str, list[str]] = {}
    for record in records:
        evaluation = record.dagster_event.event_specific_data
        in_layers = layers is None or evaluation.asset_key.path[0] in layers
        rejected = not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
        if in_layers and rejected and evaluation.partition:
            check = f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}"
            days.setdefault(evaluation.partition, []).append(check)
    return days


def day_evaluation(result: dg.AssetCheckResult, dt: str) -> dg.AssetCheckEvaluation:
    """A check result recorded for one partition; it never raises in its step (the day is
    left out downstream instead). Its description names the day: the UI's execution history
    lists evaluations by time, not partition."""
    description = result.description or ""
    return dg.AssetCheckEvaluation(
        asset_key=result.asset_key,
        check_name=result.check_name,
        passed=result.passed,
        metadata={**result.metadata, "partition": dg.MetadataValue.text(dt)},
        severity=result.severity,
        description=description if dt in description else f"dt={dt}: {description}",
        blocking=False,
        partition=dt,
    )


def run_summary(
    results: Mapping[str, dg.AssetCheckResult], asset_key: dg.AssetKey, check_name: str
) -> dg.AssetCheckResult:
    """The run-wide result: passed when every day passed, else WARN listing the failed days."""
    failed = {dt: r for dt, r in results.items() if not r.passed}
    rejected = sorted(dt for dt, r in failed.items() if r.severity == dg.AssetCheckSeverity.ERROR)
    description = "; ".join(r.description or dt for dt, r in sorted(failed.items()))
    if rejected:
        description = f"days left out of this run: {', '.join(rejected)}. {description}"
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=check_name,
        passed=not failed,
        severity=dg.AssetCheckSeverity.WARN,
        description=description or f"{len(results)} days passed",
        metadata={
            "days": len(results),
            "failed_days": dg.MetadataValue.json(sorted(failed)),
            "rejected_days": dg.MetadataValue.json(rejected),
        },
    )


def per_day_results(
    results: Mapping[str, dg.AssetCheckResult], asset_key: dg.AssetKey, check_name: str
) -> Sequence[dg.AssetCheckEvaluation | dg.AssetCheckResult]:
    """What a check step yields: one evaluation per day, then the run summary."""
    return [
        *(day_evaluation(result, dt) for dt, result in sorted(results.items())),
        run_summary(results, asset_key, check_name),
    ]
