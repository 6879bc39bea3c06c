"""How dbt nodes appear in Dagster: silver sources are the silver assets, models are `gold`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtProject

GOLD_GROUP = "gold"


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
        return spec.replace_attributes(group_name=GOLD_GROUP)
