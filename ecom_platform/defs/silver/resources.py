"""Silver's compute behind one resource key, `silver_runner`: local Spark or Glue through Pipes.

`defs/resources.py` binds one of them by `ECOM_TARGET`; the silver asset only
calls `run`. Both run the same `spark_jobs.pipeline.run_silver`, which writes
the partitions and their statistics to the lake, where the asset reads them.
Neither touches Spark or AWS while the definitions load: the Spark session
starts as a run initializes its resources (then shared by every silver asset of the run),
and the Glue client is built when a run calls it, so a laptop without AWS
credentials loads the code.
"""

import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
from dagster_aws.pipes import PipesGlueClient, PipesS3ContextInjector, PipesS3MessageReader
from pydantic import PrivateAttr
from pyspark.sql import SparkSession

from ecom_platform.defs.common.resources import LakeResource, setting
from ecom_platform.lib.lake import pipes_key_prefix
from ecom_platform.lib.storage import is_s3, split_s3_uri
from ecom_platform.settings import QuarantineLimits, Settings
from ecom_platform.spark_jobs.pipeline import run_silver
from ecom_platform.spark_jobs.session import build_local_session, end_session, session_running


class SilverRunner(dg.ConfigurableResource, ABC):
    """Runs the silver Spark job over entities x partitions of the lake."""

    lake: LakeResource

    @abstractmethod
    def run(
        self, context: dg.AssetExecutionContext, entities: list[str], dts: list[str]
    ) -> dict[str, Any]:
        """Process the partitions; return run-level metadata for the materializations."""


class LocalSparkSilverRunner(SilverRunner):
    """A Spark session this process starts as the run starts: local cores or any Spark master.

    The run's one silver step is the session's only user, so a session the runner started
    ends with that step, JVM included: gold then builds without 2 GiB of idle Spark heap
    beside it. A session that was running before (a test's) is left as it is.
    """

    master: str = "local[2]"
    _session: Future[SparkSession] | None = PrivateAttr(default=None)
    _owns_session: bool = PrivateAttr(default=False)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Start the JVM in the background as the run initializes its resources: Spark's 2-4 s
        of start-up then overlap bronze's steps instead of delaying silver's (a run is one
        process, defs/jobs.py, and a failed run leaves with its process and the JVM)."""
        self.starting_session()

    def starting_session(self) -> Future[SparkSession]:
        if self._session is None:
            starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spark-start")
            self._session = starter.submit(self.start_session)
            starter.shutdown(wait=False)
        return self._session

    def start_session(self) -> SparkSession:
        self._owns_session = not session_running()
        return build_local_session(self.master, spark_temp_root())

    def run(
        self, context: dg.AssetExecutionContext, entities: list[str], dts: list[str]
    ) -> dict[str, Any]:
        spark = self.starting_session().result()
        try:
            run_silver(spark, self.lake.lake_uri, entities, dts)
        finally:
            if self._owns_session:
                end_session(spark)
            self._session = None
        return {"spark_master": self.master}


class LakePipesMessageReader(PipesS3MessageReader):
    """Messages under `_pipes/` like the context: dagster-aws writes them at a random
    top-level key, which the Glue job role (infra/modules/iam) may not write to."""

    @contextmanager
    def get_params(self) -> Iterator[dict[str, Any]]:
        with super().get_params() as params:
            yield {**params, "key_prefix": pipes_key_prefix() + params["key_prefix"]}


class GlueSilverRunner(SilverRunner):
    """The Glue job through a `PipesGlueClient` built on first use.

    Pipes context and messages travel through the lake's S3 bucket (no
    dependency on CloudWatch continuous logging being enabled on the job).
    """

    job_name: str
    region: str

    def run(
        self, context: dg.AssetExecutionContext, entities: list[str], dts: list[str]
    ) -> dict[str, Any]:
        invocation = self.pipes_client().run(
            context=context,
            start_job_run_params={
                "JobName": self.job_name,
                "Arguments": glue_arguments(self.lake.lake_uri, entities, dts),
            },
        )
        reported = {
            result.asset_key.path[-1]
            for result in invocation.get_results(implicit_materializations=False)
            if isinstance(result, dg.MaterializeResult) and result.asset_key is not None
        }
        missing = sorted(set(entities) - reported)
        if missing:
            raise RuntimeError(f"the Glue job reported no silver result for: {', '.join(missing)}")
        return dict(invocation.metadata)

    def pipes_client(self) -> PipesGlueClient:
        lake = self.lake.lake_uri
        if not is_s3(lake):
            raise ValueError(f"ECOM_TARGET=aws needs an s3:// ECOM_LAKE_URI, got {lake!r}")
        bucket, _ = split_s3_uri(lake)
        s3 = boto3.client("s3", region_name=self.region)
        return PipesGlueClient(
            client=boto3.client("glue", region_name=self.region),
            context_injector=PipesS3ContextInjector(
                bucket=bucket, client=s3, key_prefix=pipes_key_prefix()
            ),
            message_reader=LakePipesMessageReader(bucket=bucket, client=s3),
        )


def glue_arguments(lake: str, entities: list[str], dts: list[str]) -> dict[str, str]:
    """Job arguments as Glue passes them to `spark_jobs/glue_entry.py`."""
    return {"--lake_uri": lake, "--entities": ",".join(entities), "--dts": ",".join(dts)}


class QuarantineGateResource(dg.ConfigurableResource):
    """Limits of the `quarantine_rate` check (ECOM_QUARANTINE_* settings)."""

    warn_rate: float
    fail_rate: float
    min_rows: int

    @property
    def limits(self) -> QuarantineLimits:
        return QuarantineLimits(warn=self.warn_rate, fail=self.fail_rate, min_rows=self.min_rows)

    @classmethod
    def from_settings(cls, settings: Settings) -> "QuarantineGateResource":
        limits = settings.quarantine
        return cls(warn_rate=limits.warn, fail_rate=limits.fail, min_rows=limits.min_rows)


def spark_temp_root() -> Path:
    """Spark's temp folders live beside the run records (each run clears the dead ones)."""
    home = os.environ.get("DAGSTER_HOME") or tempfile.gettempdir()
    return Path(home) / "tmp" / "spark"


def local_spark_runner(lake: LakeResource) -> LocalSparkSilverRunner:
    return LocalSparkSilverRunner(lake=lake, master=setting("ECOM_SPARK_MASTER"))


def glue_runner(lake: LakeResource) -> GlueSilverRunner:
    return GlueSilverRunner(
        lake=lake, job_name=dg.EnvVar("ECOM_GLUE_JOB_NAME"), region=dg.EnvVar("AWS_REGION")
    )
