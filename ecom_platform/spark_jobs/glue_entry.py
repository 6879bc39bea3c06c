"""AWS Glue entry point: run the silver transforms and report back to Dagster through Pipes.

Glue passes job arguments on the command line (`--lake_uri s3://... --entities
orders,customers --dts 2024-01-01,2024-01-02`), and so does Dagster's Glue
client with the Pipes bootstrap parameters. Launched by a plain subprocess
client (tests), the Pipes parameters come from the environment instead; the
script picks its loaders from how it was launched and from where Dagster put
the context (S3 or a local file), so one script serves every launcher.

Needs on Glue: `--additional-python-modules` with the `ecom_platform` wheel and
`dagster-pipes` (infra/modules/glue). No Dagster import here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from dagster_pipes import (
    PipesCliArgsParamsLoader,
    PipesContext,
    PipesContextLoader,
    PipesDefaultContextLoader,
    PipesDefaultMessageWriter,
    PipesEnvVarParamsLoader,
    PipesMessageWriter,
    PipesParamsLoader,
    PipesS3ContextLoader,
    PipesS3MessageWriter,
    open_dagster_pipes,
)
from pyspark.sql import SparkSession

from ecom_platform.lib.glue_catalog import GlueCatalog
from ecom_platform.lib.lake import Layer
from ecom_platform.spark_jobs.pipeline import run_silver
from ecom_platform.spark_jobs.session import apply_sql_settings


def silver_asset_key(entity: str) -> str:
    """The Dagster asset key `silver/<entity>` in Pipes' slash form (no Dagster import here)."""
    return f"{Layer.SILVER}/{entity}"


def parse_job_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Our arguments; Glue's own (`--JOB_ID`, ...) and the Pipes ones are ignored."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lake_uri", required=True)
    parser.add_argument("--entities", required=True, help="comma-separated entity names")
    parser.add_argument("--dts", required=True, help="comma-separated YYYY-MM-DD partitions")
    parser.add_argument(
        "--catalog_database",
        help="Glue catalog database whose partitions follow each publish (a job default "
        "argument, infra/modules/glue); without it no catalog is updated",
    )
    args, _ = parser.parse_known_args(argv)
    return args


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def params_loader() -> PipesParamsLoader:
    """CLI arguments when Glue launched us; environment variables under a subprocess client.

    With the wrong loader Pipes silently hands back a mock and drops every report.
    """
    cli = PipesCliArgsParamsLoader()
    return cli if cli.is_dagster_pipes_process() else PipesEnvVarParamsLoader()


def s3_client() -> Any:  # boto3 client types are generated at run time
    import boto3

    return boto3.client("s3")


def glue_catalog(database: str | None) -> GlueCatalog | None:
    import boto3

    return GlueCatalog(boto3.client("glue"), database) if database else None


def context_loader(loader: PipesParamsLoader) -> PipesContextLoader:
    """An S3 context loader when Dagster injected the context into S3, else the default one."""
    if loader.is_dagster_pipes_process() and "bucket" in loader.load_context_params():
        return PipesS3ContextLoader(s3_client())
    return PipesDefaultContextLoader()


def message_writer(loader: PipesParamsLoader) -> PipesMessageWriter:
    if loader.is_dagster_pipes_process() and "bucket" in loader.load_messages_params():
        return PipesS3MessageWriter(s3_client())
    return PipesDefaultMessageWriter()


def open_pipes() -> PipesContext:
    loader = params_loader()
    return open_dagster_pipes(
        params_loader=loader,
        context_loader=context_loader(loader),
        message_writer=message_writer(loader),
    )


def spark_session() -> SparkSession:
    """Glue's session on Glue; a local one (spark-submit's default master) elsewhere."""
    return apply_sql_settings(SparkSession.builder.appName("ecom-silver").getOrCreate())


def main(argv: Sequence[str]) -> None:
    """Run silver and report each entity done; its numbers are in the lake's `silver_stats/`,
    where the Dagster asset reads them whichever runner ran the job."""
    args = parse_job_arguments(argv)
    with open_pipes() as pipes:
        stats = run_silver(
            spark_session(),
            args.lake_uri,
            split_list(args.entities),
            split_list(args.dts),
            catalog=glue_catalog(args.catalog_database),
        )
        for entity in stats:
            pipes.report_asset_materialization(asset_key=silver_asset_key(entity))
        pipes.log.info(f"silver done for {', '.join(stats)} over {args.dts}")


if __name__ == "__main__":
    main(sys.argv[1:])
