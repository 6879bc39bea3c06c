"""Bronze asset keys, shared by the assets, their checks and downstream layers."""

import dagster as dg

from ecom_platform.lib.entities import get_entity

BRONZE_PREFIX = "bronze"


def bronze_asset_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey([BRONZE_PREFIX, entity])


def entity_of(asset_key: dg.AssetKey) -> str:
    return get_entity(asset_key.path[-1]).name
