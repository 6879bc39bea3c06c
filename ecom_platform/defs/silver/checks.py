"""Blocking quality gates on every silver asset, built from the entity specs.

Per entity one check step with three checks, so a failure blocks only the
downstream work of that entity: the Pandera schema, the nothing-lost
reconciliation, and the quarantine rate (WARN above the warn rate; ERROR, so
blocking, above the fail rate once a partition has enough rows to judge).
They read the lake files, not Spark: the checks run as their own steps. They
cover the partitions of the run (or every silver partition when run on their
own) but days bronze rejected, and each message names the entity, partition,
rule and row count. Every day gets its own evaluation; a failing ERROR one leaves
that day out of gold without stopping the run's other days (defs/day_outcomes.py).
"""

from collections.abc import Iterator

import dagster as dg

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.day_outcomes import per_day_results, rejected_days
from ecom_platform.defs.keys import silver_asset_key
from ecom_platform.defs.silver.resources import QuarantineGateResource
from ecom_platform.lib.entities import ENTITIES, Entity
from ecom_platform.lib.lake import Layer
from ecom_platform.lib.silver_quality import (
    QuarantineRate,
    processed_partitions,
    quarantine_rate,
    reconcile,
    validate_partition,
)
from ecom_platform.settings import QuarantineLimits

SCHEMA_CHECK = "pandera_schema"
RECONCILIATION_CHECK = "reconciliation"
QUARANTINE_RATE_CHECK = "quarantine_rate"
EQUATION = "rows read = silver + quarantined + duplicates"


def partitions_to_check(
    context: dg.AssetCheckExecutionContext, lake: str, entity: str
) -> list[str]:
    step = context.op_execution_context
    if step.has_partition_key_range:
        rejected = rejected_days(step, layers=[Layer.BRONZE.value])
        return [dt for dt in step.partition_keys if dt not in rejected]
    return processed_partitions(lake, entity)


def schema_result(lake: str, entity: Entity, dts: list[str]) -> dg.AssetCheckResult:
    problems, failures, sample, rows = [], {}, [], 0
    for dt in dts:
        report = validate_partition(lake, entity, dt)
        rows += report.rows
        if report.passed:
            continue
        failures[dt] = report.failures
        sample = sample or [{"dt": dt, **row} for row in report.sample]
        problems += [
            f"silver/{entity.name} dt={dt}: rule {rule} failed for {n} rows"
            for rule, n in report.failures.items()
        ]
    failing = sum(n for rules in failures.values() for n in rules.values())
    return dg.AssetCheckResult(
        check_name=SCHEMA_CHECK,
        asset_key=silver_asset_key(entity.name),
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) or f"silver/{entity.name}: {len(dts)} partitions valid",
        metadata={
            "partitions_checked": len(dts),
            "rows_checked": rows,
            "failing_rows": failing,
            "failures_by_partition": dg.MetadataValue.json(failures),
            "failing_sample": dg.MetadataValue.json(sample),
        },
    )


def reconciliation_result(lake: str, entity: str, dts: list[str]) -> dg.AssetCheckResult:
    results = [reconcile(lake, entity, dt) for dt in dts]
    problems = []
    for r in results:
        if r.duplicates is None:
            problems.append(f"silver/{entity} dt={r.dt}: {EQUATION} unknown, no run statistics")
        elif not r.balanced:
            lost = r.bronze_rows - r.silver_rows - r.quarantined - r.duplicates
            problems.append(
                f"silver/{entity} dt={r.dt}: {EQUATION} fails by {lost} rows "
                f"({r.bronze_rows} != {r.silver_rows} + {r.quarantined} + {r.duplicates})"
            )
    return dg.AssetCheckResult(
        check_name=RECONCILIATION_CHECK,
        asset_key=silver_asset_key(entity),
        passed=not problems,
        severity=dg.AssetCheckSeverity.ERROR,
        description="; ".join(problems) or f"silver/{entity}: {EQUATION} holds",
        metadata={
            "rows_read": sum(r.bronze_rows for r in results),
            "silver_rows": sum(r.silver_rows for r in results),
            "quarantined": sum(r.quarantined for r in results),
            "duplicates": sum(r.duplicates or 0 for r in results),
            "unbalanced_partitions": len(problems),
            "by_partition": dg.MetadataValue.json([r.__dict__ for r in results]),
        },
    )


def rate_problem(entity: str, rate: QuarantineRate, limits: QuarantineLimits) -> str:
    limit = limits.fail if rate.rate > limits.fail else limits.warn
    message = (
        f"silver/{entity} dt={rate.dt}: quarantine rate {rate.rate:.1%} above {limit:.0%} "
        f"({rate.quarantined} of {rate.rows_in} rows)"
    )
    if rate.rate > limits.fail and not rate.blocks(limits):
        message += f", a warning only under {limits.min_rows} rows"
    return message


def quarantine_rate_result(
    lake: str, entity: str, dts: list[str], limits: QuarantineLimits
) -> dg.AssetCheckResult:
    rates = [quarantine_rate(lake, entity, dt) for dt in dts]
    worst = max(rates, key=lambda r: r.rate, default=None)
    too_high = [r for r in rates if r.rate > limits.warn]
    blocking = [r for r in too_high if r.blocks(limits)]
    severity = dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN
    problems = [rate_problem(entity, r, limits) for r in too_high]
    return dg.AssetCheckResult(
        check_name=QUARANTINE_RATE_CHECK,
        asset_key=silver_asset_key(entity),
        passed=not too_high,
        severity=severity,
        description="; ".join(problems) or f"silver/{entity}: quarantine rate within limits",
        metadata={
            "max_rate": worst.rate if worst else 0.0,
            "quarantined": sum(r.quarantined for r in rates),
            "rows_read": sum(r.rows_in for r in rates),
            "warn_rate": limits.warn,
            "fail_rate": limits.fail,
            "min_rows_to_block": limits.min_rows,
            "by_partition": dg.MetadataValue.json(
                {r.dt: {"rate": r.rate, "quarantined": r.quarantined} for r in rates}
            ),
        },
    )


def build_silver_checks(entity: Entity) -> dg.AssetChecksDefinition:
    key = silver_asset_key(entity.name)
    specs = [
        dg.AssetCheckSpec(
            SCHEMA_CHECK,
            asset=key,
            blocking=True,
            description="Pandera schema from the entity spec: types, nulls, domains, unique key",
        ),
        dg.AssetCheckSpec(RECONCILIATION_CHECK, asset=key, blocking=True, description=EQUATION),
        dg.AssetCheckSpec(
            QUARANTINE_RATE_CHECK,
            asset=key,
            blocking=True,
            description="Share of rows quarantined: WARN above the warn rate, ERROR above the fail",
        ),
    ]

    @dg.multi_asset_check(specs=specs, name=f"silver_{entity.name}_quality")
    def quality(
        context: dg.AssetCheckExecutionContext,
        lake: LakeResource,
        quarantine_gate: QuarantineGateResource,
    ) -> Iterator[dg.AssetCheckResult]:
        lake_uri, limits = lake.lake_uri, quarantine_gate.limits
        dts = partitions_to_check(context, lake_uri, entity.name)
        checks = {
            SCHEMA_CHECK: lambda dt: schema_result(lake_uri, entity, [dt]),
            RECONCILIATION_CHECK: lambda dt: reconciliation_result(lake_uri, entity.name, [dt]),
            QUARANTINE_RATE_CHECK: lambda dt: quarantine_rate_result(
                lake_uri, entity.name, [dt], limits
            ),
        }
        for name, evaluate in checks.items():
            yield from per_day_results({dt: evaluate(dt) for dt in dts}, key, name)

    return quality


defs = dg.Definitions(asset_checks=[build_silver_checks(entity) for entity in ENTITIES])
