"""Every resource key, bound once per `ECOM_TARGET` (hooli's `resource_def[env]`).

Assets name the keys they need (`lake`, `silver_runner`, `quarantine_gate`, `dbt`,
`warehouse`) and never ask which target they run on.
"""

from typing import Any

from ecom_platform.defs.common.resources import LakeResource
from ecom_platform.defs.gold.resources import RedshiftWarehouse, dbt_resource, duckdb_warehouse
from ecom_platform.defs.silver.resources import (
    QuarantineGateResource,
    glue_runner,
    local_spark_runner,
)
from ecom_platform.settings import Settings, Target


def resources_for(settings: Settings) -> dict[str, Any]:
    lake = LakeResource.from_environment()
    shared = {
        "lake": lake,
        "quarantine_gate": QuarantineGateResource.from_settings(settings),
        "dbt": dbt_resource(),
    }
    by_target = {
        Target.LOCAL: {
            "silver_runner": local_spark_runner(lake),
            "warehouse": duckdb_warehouse(lake),
        },
        Target.AWS: {"silver_runner": glue_runner(lake), "warehouse": RedshiftWarehouse(lake=lake)},
    }
    return {**shared, **by_target[settings.target]}
