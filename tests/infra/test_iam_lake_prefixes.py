"""The Glue job's role may write exactly the lake layers the silver job writes, and make
exactly the catalog calls its publish step makes, on the tables it publishes.

The layers come from `ecom_platform.lib.lake` (the one definition of the lake layout), so a
new layer the job writes fails here before it fails on AWS with AccessDenied, and a grant the
job no longer needs is flagged for removal.
"""

from __future__ import annotations

import json

import pytest

from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.glue_catalog import CatalogPartition, GlueCatalog
from ecom_platform.lib.lake import (
    BRONZE_WRITES,
    SILVER_JOB_WRITES,
    VERSIONED_LAYERS,
    Layer,
    pipes_key_prefix,
)
from tests.glue_standin import StandInGlue
from tests.infra.infra_hcl import (
    ENVIRONMENTS,
    INFRA,
    Evaluator,
    TerraformConfig,
    iter_statements,
)

GLUE_MODULE = INFRA / "modules" / "glue"

LAKE_ARN = "${var.lake_bucket_arn}"
WRITE_ACTIONS = {"s3:PutObject", "s3:DeleteObject"}


def lake_write_prefixes(config: TerraformConfig, document: str) -> set[str]:
    """Top-level lake folders a policy document lets its role put or delete objects under."""
    prefixes = set()
    for name, statement in iter_statements(config):
        if name != document or not WRITE_ACTIONS & set(statement["actions"]):
            continue
        for resource in statement["resources"]:
            if resource.startswith(f"{LAKE_ARN}/"):
                key = resource.removeprefix(f"{LAKE_ARN}/")
                assert key.endswith("/*") and key.count("/") == 1, f"{document}: {resource}"
                prefixes.add(key.removesuffix("/*"))
    return prefixes


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def iam(request: pytest.FixtureRequest) -> Evaluator:
    return Evaluator.stack(request.param).module("iam")


def test_glue_job_writes_exactly_the_silver_job_layers(iam: Evaluator) -> None:
    granted = lake_write_prefixes(iam.config, "glue_job")
    needed = {str(layer) for layer in SILVER_JOB_WRITES}
    assert needed - granted == set(), f"the Glue job cannot write {needed - granted}"
    assert granted - needed == set(), f"the Glue job may write {granted - needed} it never does"


def test_glue_job_may_not_touch_bronze(iam: Evaluator) -> None:
    assert not lake_write_prefixes(iam.config, "glue_job") & {str(x) for x in BRONZE_WRITES}


def test_pipes_prefix_is_the_lake_layer() -> None:
    """The Pipes client writes under pipes_key_prefix(): it must be the layer the role grants."""
    assert pipes_key_prefix() == f"{Layer.PIPES}/"
    assert Layer.PIPES in SILVER_JOB_WRITES


def test_policy_parser_sees_a_missing_prefix() -> None:
    """The comparison itself: a document without _staging/ is reported as lacking it."""
    config = TerraformConfig(directory=Evaluator.stack("dev").module("iam").config.directory)
    config.data[("aws_iam_policy_document", "glue_job")] = {
        "statement": [
            {"actions": ["s3:PutObject"], "resources": [f"{LAKE_ARN}/silver/*"]},
            {"actions": ["s3:GetObject"], "resources": [f"{LAKE_ARN}/_staging/*"]},
        ]
    }
    assert lake_write_prefixes(config, "glue_job") == {"silver"}


def catalog_calls_of_a_publish() -> set[str]:
    """The Glue API calls the catalog step makes (lib/glue_catalog.py, through the stand-in):
    a new partition, then the same partition moved to another version."""
    glue = StandInGlue("s3://lake")
    catalog = GlueCatalog(glue, glue.database)
    orders = CatalogPartition.of(Layer.SILVER, "orders", "2024-01-01")
    catalog.set_location(orders, "s3://lake/silver/orders/dt=2024-01-01/v=a/")
    catalog.set_location(orders, "s3://lake/silver/orders/dt=2024-01-01/v=b/")
    return {f"glue:{operation}" for operation in glue.operations()}


def test_glue_job_may_make_exactly_the_catalog_calls_of_a_publish(iam: Evaluator) -> None:
    granted = {
        action
        for name, statement in iter_statements(iam.config)
        if name == "glue_job"
        for action in statement["actions"]
        if action.startswith("glue:")
    }
    assert granted == catalog_calls_of_a_publish()


def test_glue_job_moves_partitions_of_the_published_tables_only(iam: Evaluator) -> None:
    statements = iam.config.data[("aws_iam_policy_document", "glue_job")]["statement"]
    (publish,) = [s for s in statements if "glue:UpdatePartition" in s["actions"]]
    assert publish["resources"] == "${local.published_table_arns}"
    arns = iam.config.locals["published_table_arns"]
    assert "var.glue_published_tables" in arns and "/*" not in arns

    stack = Evaluator.stack("dev")
    assert stack.config.modules["iam"]["glue_published_tables"] == "${module.glue.published_tables}"
    published = stack.module("glue").config.outputs["published_tables"]["value"]
    assert published == '${concat(keys(local.silver_tables), ["quarantine"])}'
    silver_tables = set(json.loads((GLUE_MODULE / "silver_tables.json").read_text()))
    written = {
        CatalogPartition.of(layer, entity.name, "2024-01-01").table
        for layer in VERSIONED_LAYERS
        for entity in ENTITIES
    }
    assert written == silver_tables | {"quarantine"}
