"""The bronze quality gate: one check per entity over the ledgers of the run's partitions.

Severity, decided against the contract ("whole file quarantined, other files
still processed, the partition's quality gate fails"):

- quarantined files (missing required column, unreadable) fail the check with
  WARN severity and a message naming each file and reason. ERROR would stop
  silver for every entity and partition of the run (silver is one step), so
  the good files of the partition would not be processed.
- a partition of the run that bronze failed to write, without a ledger, or whose
  bronze row count differs from the ledger's, fails with ERROR for that day: the
  day is left out of silver and gold, the run's other days go on
  (defs/day_outcomes.py).

Each day gets its own evaluation (its partition), then one summary for the run.
"""

from collections.abc import Iterator, Sequence

import dagster as dg

from ecom_platform.defs.bronze.assets import ERROR_METADATA
from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.day_outcomes import per_day_results
from ecom_platform.defs.keys import bronze_asset_key, entity_of
from ecom_platform.lib.bronze import (
    bronze_partition_rows,
    list_ledger_partitions,
    quarantine_messages,
    read_ledger,
)
from ecom_platform.lib.entities import ENTITIES

CHECK_NAME = "landing_files_accepted"


def run_partitions(context: dg.AssetCheckExecutionContext, lake_uri: str, entity: str) -> list[str]:
    """The run's partitions; a check run on its own (no partitions) looks at every ledger."""
    op_context = context.op_execution_context
    if op_context.has_partition_key_range:
        return list(op_context.partition_keys)
    return list_ledger_partitions(lake_uri, entity)


def bronze_errors(context: dg.AssetCheckExecutionContext, entity: str) -> dict[str, str]:
    """Day -> why bronze could not write it, from this run's bronze materializations."""
    records = context.instance.all_logs(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    )
    errors = {}
    for record in records:
        materialization = record.asset_materialization
        if materialization.asset_key == bronze_asset_key(entity) and materialization.partition:
            error = materialization.metadata.get(ERROR_METADATA)
            if error is not None:
                errors[materialization.partition] = str(error.value)
    return errors


def evaluate_entity(lake_uri: str, entity: str, dts: Sequence[str]) -> dg.AssetCheckResult:
    problems: list[str] = []
    quarantined: list[str] = []
    files = rows = 0
    for dt in dts:
        ledger = read_ledger(lake_uri, entity, dt)
        if ledger is None:
            problems.append(f"{entity} dt={dt}: no bronze ledger; bronze did not write it")
            continue
        ledger_rows = sum(row["rows"] for row in ledger)
        bronze_rows = bronze_partition_rows(lake_uri, entity, dt)
        if bronze_rows != ledger_rows:
            problems.append(
                f"{entity} dt={dt}: bronze holds {bronze_rows} rows, ledger says {ledger_rows}"
            )
        files += len(ledger)
        rows += ledger_rows
        quarantined += quarantine_messages(entity, dt, ledger)
    failures = problems + quarantined
    return dg.AssetCheckResult(
        asset_key=bronze_asset_key(entity),
        check_name=CHECK_NAME,
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR if problems else dg.AssetCheckSeverity.WARN,
        description="\n".join(failures) or None,
        metadata={
            "partitions": len(dts),
            "files": files,
            "rows": rows,
            "quarantined_files": len(quarantined),
        },
    )


@dg.multi_asset_check(
    name="bronze_landing_files",
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=bronze_asset_key(e.name),
            blocking=True,
            description="No landing file of the run's partitions was quarantined "
            "(missing required column, unreadable); bronze and its ledger agree.",
        )
        for e in ENTITIES
    ],
    can_subset=True,
)
def bronze_landing_files(
    context: dg.AssetCheckExecutionContext, lake: LakeResource
) -> Iterator[dg.AssetCheckResult]:
    lake_uri = lake.lake_uri
    for check_key in sorted(context.selected_asset_check_keys, key=str):
        entity = entity_of(check_key.asset_key)
        errors = bronze_errors(context, entity)
        results = {
            dt: failed_bronze(entity, errors[dt])
            if dt in errors
            else evaluate_entity(lake_uri, entity, [dt])
            for dt in run_partitions(context, lake_uri, entity)
        }
        for result in results.values():
            if not result.passed:
                context.log.warning(result.description)
        yield from per_day_results(results, check_key.asset_key, CHECK_NAME)


def failed_bronze(entity: str, error: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=bronze_asset_key(entity),
        check_name=CHECK_NAME,
        passed=False,
        severity=dg.AssetCheckSeverity.ERROR,
        description=error,
    )
