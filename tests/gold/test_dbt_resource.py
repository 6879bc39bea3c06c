"""The dbt resource knows its dbt version without starting dbt (defs/gold/resources.py)."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from dagster_dbt.core import resource as dagster_dbt_resource

from ecom_platform.defs.gold.resources import dbt_resource


def test_the_version_is_the_installed_dbt_core_and_no_dbt_process_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_process(*args, **kwargs):
        raise AssertionError(f"started {args[0]}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_process)
    assert str(dbt_resource()._cli_version) == version("dbt-core")
