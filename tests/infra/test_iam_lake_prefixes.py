"""The Glue job's role may write exactly the lake layers the silver job writes.

The layers come from `ecom_platform.lib.lake` (the one definition of the lake layout), so a
new layer the job writes fails here before it fails on AWS with AccessDenied, and a grant the
job no longer needs is flagged for removal.
"""

from __future__ import annotations

import pytest

from ecom_platform.lib.lake import BRONZE_WRITES, SILVER_JOB_WRITES, Layer, pipes_key_prefix
from tests.infra.infra_hcl import ENVIRONMENTS, Evaluator, TerraformConfig, iter_statements

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
