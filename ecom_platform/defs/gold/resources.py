"""The `dbt` resource: the dbt CLI of this environment on the gold project."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from ecom_platform.defs.gold.project import DBT_EXECUTABLE, DBT_PROJECT

defs = dg.Definitions(
    resources={"dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(DBT_EXECUTABLE))}
)
