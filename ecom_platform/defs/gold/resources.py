"""Gold's resources: the dbt CLI on the gold project, and the warehouse it builds into.

The warehouse resource (`warehouse`, bound by `ECOM_TARGET` in `defs/resources.py`)
holds what differs between DuckDB and Redshift on the Dagster side: the variables
the dbt profile reads, what must happen before a build, and how assets after dbt
(`defs/quality/`) read a gold table.
"""

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from ecom_platform.defs.common.resources import LakeResource, setting
from ecom_platform.defs.gold.project import DBT_EXECUTABLE, DBT_PROJECT, dbt_environment
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.lake import current_locations
from ecom_platform.lib.warehouse_lock import wait_for_warehouse
from ecom_platform.settings import Target, load_aws_settings

# A month of days per `run-operation`: their partitions' locations stay well under Linux's
# 128 KiB limit on one command-line argument (`--args`).
SPECTRUM_DAYS_PER_CALL = 31


class InstalledDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource, told the dbt version instead of asking for it, and without
    an in-process dbt adapter.

    Every run, dagster-dbt learns the executable's version by running `dbt --version`, a
    whole dbt start-up (2-5 s measured here) before the build. The executable is the one
    installed beside this package (DBT_EXECUTABLE), so the installed dbt-core's version is
    its version.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        """Before each build dagster-dbt loads the profile and parses every macro of the
        project in this process (2.3 s at scale 1, before dbt even starts) for an adapter it
        uses only to fetch row counts and column metadata, which no gold asset asks for."""
        return None


def dbt_resource() -> DbtCliResource:
    return InstalledDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))


class GoldWarehouse(dg.ConfigurableResource, ABC):
    lake: LakeResource

    @abstractmethod
    def dbt_env(self) -> dict[str, str]:
        """The ECOM_* variables the dbt profile and sources read."""

    def before_build(
        self, context: dg.AssetExecutionContext, dbt: DbtCliResource, dts: Sequence[str]
    ) -> None:
        """Anything the warehouse needs before `dbt build` can see the run's days."""

    @abstractmethod
    def query(self, sql: str) -> list[tuple]:
        """Every row of a read-only query on the gold tables (unqualified names)."""


class DuckDBWarehouse(GoldWarehouse):
    """The local DuckDB file; silver is read in place from the lake folder."""

    path: str
    lock_timeout_s: int = 60

    def dbt_env(self) -> dict[str, str]:
        return dbt_environment(Target.LOCAL, self.lake.lake_uri, self.path)

    def before_build(
        self, context: dg.AssetExecutionContext, dbt: DbtCliResource, dts: Sequence[str]
    ) -> None:
        """Another process holding the file would fail dbt at once: wait, bounded, instead."""
        wait_for_warehouse(Path(self.path), self.lock_timeout_s, context.log.warning)

    def query(self, sql: str) -> list[tuple]:
        """A read-only connection: it never takes DuckDB's single write lock."""
        with duckdb.connect(self.path, read_only=True) as con:
            return con.execute(sql).fetchall()


class RedshiftWarehouse(GoldWarehouse):
    """Redshift, reading silver through Spectrum (credentials: the dbt profile's variables)."""

    def dbt_env(self) -> dict[str, str]:
        return dbt_environment(Target.AWS, self.lake.lake_uri)

    def before_build(
        self, context: dg.AssetExecutionContext, dbt: DbtCliResource, dts: Sequence[str]
    ) -> None:
        """Spectrum sees a silver day only once its partition is registered (no partition
        projection), so the run registers its days first (macros/spectrum.sql), at the
        versions their `_current` pointers name."""
        entities = [entity.name for entity in ENTITIES]
        days = sorted(dts)
        for start in range(0, len(days), SPECTRUM_DAYS_PER_CALL):
            chunk = days[start : start + SPECTRUM_DAYS_PER_CALL]
            locations = current_locations(self.lake.lake_uri, entities, chunk)
            # No context: dagster-dbt would add --select, which run-operation rejects.
            dbt.cli(spectrum_partition_args(chunk, locations)).wait()

    def query(self, sql: str) -> list[tuple]:
        """Through `redshift_connector` (installed with dbt-redshift), with the dbt profile's
        credentials and schema (`ECOM_REDSHIFT_*`). Not exercised against a cluster here."""
        import redshift_connector  # only the aws target needs the driver

        aws = load_aws_settings()
        schema = os.environ.get("ECOM_REDSHIFT_SCHEMA", "").strip() or "gold"
        with redshift_connector.connect(
            host=aws.redshift_host,
            port=aws.redshift_port,
            database=aws.redshift_database,
            user=aws.redshift_user,
            password=aws.redshift_password,
            ssl=True,
        ) as con:
            cursor = con.cursor()
            cursor.execute(f'set search_path to "{schema}"')
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]


def spectrum_partition_args(dts: Sequence[str], locations: dict[str, str]) -> list[str]:
    arguments = json.dumps({"dates": list(dts), "locations": locations})
    return ["run-operation", "add_spectrum_partitions", "--args", arguments]


def duckdb_warehouse(lake: LakeResource) -> DuckDBWarehouse:
    return DuckDBWarehouse(
        lake=lake,
        path=setting("ECOM_WAREHOUSE"),
        lock_timeout_s=dg.EnvVar.int(setting("ECOM_WAREHOUSE_LOCK_TIMEOUT_S").env_var_name),
    )
