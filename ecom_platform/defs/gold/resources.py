"""Gold's resources: the dbt CLI on the gold project, and the warehouse it builds into.

The warehouse resource (`warehouse`, bound by `ECOM_TARGET` in `defs/resources.py`)
holds what differs between DuckDB and Redshift on the Dagster side: the variables
the dbt profile reads, and what must happen before a build.
"""

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from ecom_platform.defs.common.resources import LakeResource, setting
from ecom_platform.defs.gold.project import DBT_EXECUTABLE, DBT_PROJECT, dbt_environment
from ecom_platform.lib.warehouse_lock import wait_for_warehouse
from ecom_platform.settings import Target


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))


class GoldWarehouse(dg.ConfigurableResource, ABC):
    lake: LakeResource

    @abstractmethod
    def dbt_env(self) -> dict[str, str]:
        """The ECOM_* variables the dbt profile and sources read."""

    def before_build(
        self, context: dg.AssetExecutionContext, dbt: DbtCliResource, dts: Sequence[str]
    ) -> None:
        """Anything the warehouse needs before `dbt build` can see the run's days."""


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


class RedshiftWarehouse(GoldWarehouse):
    """Redshift, reading silver through Spectrum (credentials: the dbt profile's variables)."""

    def dbt_env(self) -> dict[str, str]:
        return dbt_environment(Target.AWS, self.lake.lake_uri)

    def before_build(
        self, context: dg.AssetExecutionContext, dbt: DbtCliResource, dts: Sequence[str]
    ) -> None:
        """Spectrum sees a silver day only once its partition is registered (no partition
        projection), so the run registers its days first (macros/spectrum.sql)."""
        # No context: dagster-dbt would add --select, which run-operation rejects.
        dbt.cli(spectrum_partition_args(dts)).wait()


def spectrum_partition_args(dts: Sequence[str]) -> list[str]:
    return ["run-operation", "add_spectrum_partitions", "--args", json.dumps({"dates": list(dts)})]


def duckdb_warehouse(lake: LakeResource) -> DuckDBWarehouse:
    return DuckDBWarehouse(
        lake=lake,
        path=setting("ECOM_WAREHOUSE"),
        lock_timeout_s=dg.EnvVar.int(setting("ECOM_WAREHOUSE_LOCK_TIMEOUT_S").env_var_name),
    )
