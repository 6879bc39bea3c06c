"""The code location: everything under defs/, with the resources of the `ECOM_TARGET`."""

from pathlib import Path

import dagster as dg

from ecom_platform.defs.resources import resources_for
from ecom_platform.settings import load_settings

defs = dg.Definitions.merge(
    dg.load_from_defs_folder(path_within_project=Path(__file__).parent),
    dg.Definitions(resources=resources_for(load_settings())),
)
