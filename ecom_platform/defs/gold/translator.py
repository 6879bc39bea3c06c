"""How dbt nodes appear in Dagster: silver sources are the silver assets; models are
`gold/<model>`, grouped by their project folder (gold_staging, gold_intermediate, gold_marts)."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

from ecom_platform.defs.keys import GOLD_PREFIX, gold_asset_key


def gold_group(fqn: list[str]) -> str:
    """`gold_<top folder>` of a node's fully qualified name (project, folders..., name)."""
    return f"{GOLD_PREFIX}_{fqn[1]}" if len(fqn) > 2 else GOLD_PREFIX


class GoldTranslator(DagsterDbtTranslator):
    """Adjusts the default specs (keeping their deps) so lineage runs silver -> staging -> marts."""

    def get_asset_spec(
        self,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "source":
            # dbt source `silver.<entity>` is the asset the silver layer materializes.
            return spec.replace_attributes(key=dg.AssetKey([props["source_name"], props["name"]]))
        return spec.replace_attributes(
            key=gold_asset_key(props["name"]), group_name=gold_group(props["fqn"])
        )
