"""Resources every layer shares, and how a setting becomes a resource field.

A variable that is set reaches the resource as `dg.EnvVar`, so the UI shows
where the value comes from and a code server picks up a changed value on
reload; an unset one takes the embedded local default (settings.DEFAULTS).
`settings.load_settings()` has already validated both when the definitions load.
"""

import os

import dagster as dg

from ecom_platform.settings import DEFAULTS


def setting(name: str) -> str:
    """`dg.EnvVar(name)` when the variable is set, else the embedded default."""
    return dg.EnvVar(name) if os.environ.get(name, "").strip() else DEFAULTS[name]


class LakeResource(dg.ConfigurableResource):
    """Where landing files arrive and where bronze, silver and quarantine live."""

    landing_uri: str
    lake_uri: str

    @classmethod
    def from_environment(cls) -> "LakeResource":
        return cls(landing_uri=setting("ECOM_LANDING_URI"), lake_uri=setting("ECOM_LAKE_URI"))
