"""Asset keys of the three layers, shared by assets, checks and the layers downstream."""

import dagster as dg

from ecom_platform.lib.entities import get_entity
from ecom_platform.lib.lake import Layer

GOLD_PREFIX = "gold"


def bronze_asset_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey([Layer.BRONZE.value, entity])


def silver_asset_key(entity: str) -> dg.AssetKey:
    return dg.AssetKey([Layer.SILVER.value, entity])


def gold_asset_key(model: str) -> dg.AssetKey:
    return dg.AssetKey([GOLD_PREFIX, model])


def entity_of(asset_key: dg.AssetKey) -> str:
    return get_entity(asset_key.path[-1]).name
