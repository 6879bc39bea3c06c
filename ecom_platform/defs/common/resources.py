"""Resources every layer shares, and how a setting becomes a resource field.

Every setting reaches its resource as `dg.EnvVar`, resolved when a run starts,
so the UI shows where a value comes from and a run sees the environment it was
launched with. An unset setting first gets its embedded local default
(settings.DEFAULTS) in this process's environment, which child processes (dbt,
Spark) inherit too. `settings.load_settings()` validates the values at load time
and the CLI at start-up.
"""

import os

import dagster as dg

from ecom_platform.settings import DEFAULTS


def setting(name: str) -> dg.EnvVar:
    if not os.environ.get(name, "").strip():
        os.environ[name] = DEFAULTS[name]
    return dg.EnvVar(name)


class LakeResource(dg.ConfigurableResource):
    """Where landing files arrive and where bronze, silver and quarantine live."""

    landing_uri: str
    lake_uri: str

    @classmethod
    def from_environment(cls) -> "LakeResource":
        return cls(landing_uri=setting("ECOM_LANDING_URI"), lake_uri=setting("ECOM_LAKE_URI"))
