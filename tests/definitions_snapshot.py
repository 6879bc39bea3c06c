"""Print the code location as the UI sees it (asset specs and resource bindings) as JSON.

Run in a subprocess per target: the definitions bind their resources and dbt
target when they load, from ECOM_TARGET. `tests/test_definitions.py` compares
the output with the reviewed snapshots.
"""

import json

import dagster as dg


def spec_snapshot(spec: dg.AssetSpec) -> dict:
    return {
        "group": spec.group_name,
        "deps": sorted(dep.asset_key.to_user_string() for dep in spec.deps),
        "partitions": type(spec.partitions_def).__name__ if spec.partitions_def else None,
        "kinds": sorted(spec.kinds),
    }


def definitions_snapshot(defs: dg.Definitions) -> dict:
    specs = sorted(defs.resolve_all_asset_specs(), key=lambda s: s.key.to_user_string())
    return {
        "assets": {spec.key.to_user_string(): spec_snapshot(spec) for spec in specs},
        "resources": {key: type(value).__name__ for key, value in sorted(defs.resources.items())},
    }


if __name__ == "__main__":
    from ecom_platform.definitions import defs

    print(json.dumps(definitions_snapshot(defs), indent=1, sort_keys=True))
