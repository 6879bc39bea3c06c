"""The code location: everything under defs/, with the resources of the `ECOM_TARGET`.

The defs folder is loaded through its module, not `load_from_defs_folder`, which looks
for a pyproject.toml / dg.toml above the package and so fails in an installed wheel.
"""

from pathlib import Path

import dagster as dg

from ecom_platform import defs as defs_package
from ecom_platform.defs.resources import resources_for
from ecom_platform.settings import load_settings

defs = dg.Definitions.merge(
    dg.ComponentTree(
        defs_module=defs_package, project_root=Path(__file__).resolve().parent.parent
    ).build_defs(),
    dg.Definitions(resources=resources_for(load_settings())),
)
