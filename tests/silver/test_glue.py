"""The Glue entry script for real, in its own Spark process: under a Pipes subprocess session,
and behind the real PipesGlueClient with a stand-in for the Glue API."""

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import dagster as dg
import pyarrow.parquet as pq
from dagster_aws.pipes import PipesGlueClient

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.keys import silver_asset_key
from ecom_platform.defs.silver.assets import silver_assets, silver_specs
from ecom_platform.defs.silver.resources import GlueSilverRunner
from ecom_platform.lib.silver_tables import read_partition_stats
from ecom_platform.spark_jobs import glue_entry
from tests.silver.silver_fixtures import customer, write_bronze

SCRIPT = glue_entry.__file__
RANGE = {
    "dagster/asset_partition_range_start": "2024-01-01",
    "dagster/asset_partition_range_end": "2024-01-02",
}


def landed(lake: Path) -> None:
    write_bronze(lake, "customers", "2024-01-01", [customer("a"), customer("b", email=" ")])
    write_bronze(lake, "customers", "2024-01-02", [customer("a"), customer("a")])


def silver_ids(lake: Path, dt: str) -> list[str]:
    folder = lake / "silver" / "customers" / f"dt={dt}"
    return sorted(
        r["customer_id"] for p in folder.glob("*.parquet") for r in pq.read_table(p).to_pylist()
    )


class StandInGlue:
    """The three Glue calls PipesGlueClient makes; a job run is the script in a subprocess."""

    class meta:  # mimics boto3's `client.meta`
        region_name = "eu-west-1"

    def __init__(self, scripts: dict[str, str]) -> None:
        self.scripts = scripts
        self.runs: dict[str, dict[str, Any]] = {}

    def start_job_run(self, JobName: str, Arguments: dict[str, str]) -> dict[str, str]:
        command = [sys.executable, self.scripts[JobName]]
        for name, value in Arguments.items():
            command += [name, value]
        process = subprocess.run(command, capture_output=True, text=True, check=False)
        run_id = uuid.uuid4().hex
        state = "SUCCEEDED" if process.returncode == 0 else "FAILED"
        self.runs[run_id] = {
            "Id": run_id,
            "JobName": JobName,
            "JobRunState": state,
            "ErrorMessage": process.stderr[-2000:],
            "Arguments": Arguments,
        }
        return {"JobRunId": run_id}

    def get_job_run(self, JobName: str, RunId: str) -> dict[str, Any]:
        return {"JobRun": self.runs[RunId]}

    def batch_stop_job_run(self, JobName: str, JobRunIds: list[str]) -> dict[str, Any]:
        return {"SuccessfulSubmissions": [], "Errors": []}


def test_entry_script_reports_counts_under_a_pipes_subprocess_session(lake: Path):
    landed(lake)

    @dg.multi_asset(specs=silver_specs(), can_subset=True)
    def silver_by_script(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient):
        command = [sys.executable, SCRIPT, "--lake_uri", str(lake)]
        command += ["--entities", "customers", "--dts", "2024-01-01,2024-01-02"]
        return pipes.run(command=command, context=context).get_results()

    result = dg.materialize(
        [silver_by_script],
        selection=[silver_asset_key("customers")],
        resources={"pipes": dg.PipesSubprocessClient()},
        instance=dg.DagsterInstance.ephemeral(),
    )

    (materialization,) = result.asset_materializations_for_node("silver_by_script")
    assert materialization.asset_key == silver_asset_key("customers")
    days = [read_partition_stats(str(lake), "customers", dt) for dt in ("2024-01-01", "2024-01-02")]
    assert sum(d.rows_in for d in days) == 4 and sum(d.silver_rows for d in days) == 2
    assert sum(d.quarantined for d in days) == 1 and sum(d.duplicates for d in days) == 1
    assert days[0].quarantined_by_reason == {"missing_required:email": 1}
    assert silver_ids(lake, "2024-01-01") == ["a"] and silver_ids(lake, "2024-01-02") == ["a"]


def test_silver_asset_runs_the_entry_script_through_the_real_glue_client(lake: Path):
    landed(lake)
    glue = StandInGlue({"ecom-silver": SCRIPT})

    class StandInGlueRunner(GlueSilverRunner):
        """The production runner with the Glue API stood in and Pipes through temp files."""

        def pipes_client(self) -> PipesGlueClient:
            return PipesGlueClient(
                client=glue,
                context_injector=dg.PipesTempFileContextInjector(),
                message_reader=dg.PipesTempFileMessageReader(),
            )

    lake_resource = LakeResource(landing_uri=str(lake), lake_uri=str(lake))
    runner = StandInGlueRunner(lake=lake_resource, job_name="ecom-silver", region="eu-west-1")

    result = dg.materialize(
        [silver_assets],
        selection=[silver_asset_key("customers")],
        resources={"lake": lake_resource, "silver_runner": runner},
        instance=dg.DagsterInstance.ephemeral(),
        tags=RANGE,
    )

    (run,) = glue.runs.values()
    assert run["Arguments"]["--dts"] == "2024-01-01,2024-01-02"
    assert "--dagster-pipes-context" in run["Arguments"]
    events = result.asset_materializations_for_node("silver")
    by_partition = {e.partition: e.metadata for e in events if "partitions" not in e.metadata}
    assert by_partition["2024-01-01"]["quarantined:missing_required:email"].value == 1
    assert by_partition["2024-01-02"]["duplicates"].value == 1
    totals = next(e.metadata for e in events if "partitions" in e.metadata)
    assert totals["AWS Glue Job Name"].value == "ecom-silver"
    assert silver_ids(lake, "2024-01-02") == ["a"]


def test_the_catalog_database_argument_turns_the_catalog_step_on(monkeypatch) -> None:
    """Glue passes the job's default `--catalog_database` (infra/modules/glue); launched
    without it (an S3 API with no Glue catalog) the publish moves no catalog partition."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    ours = ["--lake_uri", "s3://lake", "--entities", "orders", "--dts", "2024-01-01"]
    args = glue_entry.parse_job_arguments([*ours, "--catalog_database", "ecom_dev_silver"])
    catalog = glue_entry.glue_catalog(args.catalog_database)
    assert catalog.database == "ecom_dev_silver"
    assert catalog.client.meta.service_model.service_name == "glue"
    assert glue_entry.glue_catalog(glue_entry.parse_job_arguments(ours).catalog_database) is None
