"""Silver's compute: local Spark (one lazy session per run) or an AWS Glue job through Pipes.

`ECOM_TARGET` picks which one is bound. Neither touches Spark or AWS while the
definitions load: the Spark session starts on first use in a run (and is then
shared by every silver asset of that run), and the Glue client is built when a
run calls it, so a laptop without AWS credentials or a region loads the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import dagster as dg
from dagster._core.pipes.client import PipesClientCompletedInvocation
from dagster_aws.pipes import PipesGlueClient, PipesS3ContextInjector, PipesS3MessageReader
from dagster_pyspark import LazyPySparkResource

from ecom_platform.lib.storage import is_s3, split_s3_uri
from ecom_platform.settings import Target, load_aws_settings, load_settings
from ecom_platform.spark_jobs.session import LOCAL_SPARK_CONFIG

PYSPARK_RESOURCE_KEY = "pyspark"
GLUE_RESOURCE_KEY = "glue_pipes"
PIPES_KEY_PREFIX = "_pipes/"  # where the Pipes context and messages live in the lake bucket


class LakePipesMessageReader(PipesS3MessageReader):
    """Messages under `_pipes/` like the context: dagster-aws writes them at a random
    top-level key, which the Glue job role (infra/modules/iam) may not write to."""

    @contextmanager
    def get_params(self) -> Iterator[dict[str, Any]]:
        with super().get_params() as params:
            yield {**params, "key_prefix": PIPES_KEY_PREFIX + params["key_prefix"]}


class GlueSilverClient(dg.ConfigurableResource):
    """A `PipesGlueClient` built on first use from the aws-target settings.

    Pipes context and messages travel through the lake's S3 bucket (no
    dependency on CloudWatch continuous logging being enabled on the job).
    """

    def run(
        self,
        *,
        context: dg.AssetExecutionContext,
        start_job_run_params: dict[str, Any],
        extras: dict[str, Any] | None = None,
    ) -> PipesClientCompletedInvocation:
        return self.build_client().run(
            context=context, start_job_run_params=start_job_run_params, extras=extras
        )

    def build_client(self) -> PipesGlueClient:
        aws, lake = load_aws_settings(), load_settings().lake_uri
        if not is_s3(lake):
            raise ValueError(f"ECOM_TARGET=aws needs an s3:// ECOM_LAKE_URI, got {lake!r}")
        bucket, _ = split_s3_uri(lake)
        s3 = boto3.client("s3", region_name=aws.region)
        return PipesGlueClient(
            client=boto3.client("glue", region_name=aws.region),
            context_injector=PipesS3ContextInjector(
                bucket=bucket, client=s3, key_prefix=PIPES_KEY_PREFIX
            ),
            message_reader=LakePipesMessageReader(bucket=bucket, client=s3),
        )


def silver_resources(target: Target) -> dict[str, Any]:
    if target is Target.LOCAL:
        return {PYSPARK_RESOURCE_KEY: LazyPySparkResource(spark_config=LOCAL_SPARK_CONFIG)}
    return {GLUE_RESOURCE_KEY: GlueSilverClient()}


def silver_resource_key(target: Target) -> str:
    return PYSPARK_RESOURCE_KEY if target is Target.LOCAL else GLUE_RESOURCE_KEY


defs = dg.Definitions(resources=silver_resources(load_settings().target))
