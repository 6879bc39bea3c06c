"""Dagster on ECS (infra/modules/dagster) agrees with the instance file and the platform.

The tasks must set every variable deploy/dagster.prod.yaml and ecom_platform.settings read,
inject the passwords from exactly the secrets the execution role may read, and reach AWS from
private subnets without a NAT. The instance file itself must pass Dagster's own schema.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from dagster._config import validate_config
from dagster._core.instance.config import dagster_instance_config
from dagster_aws.s3.compute_log_manager import S3ComputeLogManager

from ecom_platform.settings import AWS_VARIABLES
from tests.infra.infra_hcl import ENVIRONMENTS, PROJECT_ROOT, Evaluator

PROD_INSTANCE = PROJECT_ROOT / "deploy" / "dagster.prod.yaml"
ENV_REFERENCE = re.compile(r"\{env:\s*([A-Z0-9_]+)\}")
PLATFORM_VARIABLES = {"ECOM_LANDING_URI", "ECOM_LAKE_URI", *AWS_VARIABLES.values()}
SECRET_SUFFIX = ":password::"


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def stack(request: pytest.FixtureRequest) -> Evaluator:
    return Evaluator.stack(request.param)


@pytest.fixture(scope="module")
def dagster(stack: Evaluator) -> Evaluator:
    return stack.module("dagster")


def instance_variables() -> set[str]:
    return set(ENV_REFERENCE.findall(PROD_INSTANCE.read_text()))


def task_environment(stack: Evaluator, dagster: Evaluator) -> set[str]:
    """Names the tasks' `environment` sets: the stack's settings map plus the module's own."""
    assert dagster.config.modules == {} and stack.config.modules["dagster"][
        "platform_settings"
    ] == ("${local.platform_settings}")
    expression = dagster.config.locals["environment"]
    assert "merge(var.platform_settings, local.dagster_settings)" in expression
    assert "upper(name)" in expression
    names = set(stack.config.locals["platform_settings"]) | set(
        dagster.config.locals["dagster_settings"]
    )
    return {name.upper() for name in names}


def injected_secrets(dagster: Evaluator) -> dict[str, str]:
    """Variable name -> secret ARN expression, for each secret ECS injects."""
    secrets = {}
    for secret in dagster.config.locals["injected_secrets"]:
        assert secret["valueFrom"].endswith(SECRET_SUFFIX), secret
        secrets[secret["name"]] = secret["valueFrom"].removesuffix(SECRET_SUFFIX)
    return secrets


def statement(module: Evaluator, document: str, sid: str) -> dict:
    statements = module.config.data[("aws_iam_policy_document", document)]["statement"]
    return next(s for s in statements if s.get("sid") == sid)


# ---------------------------------------------------------------- what the tasks get


def test_both_services_share_one_environment_and_secrets(dagster: Evaluator) -> None:
    containers = dagster.config.locals["containers"]
    assert set(containers) == {"webserver", "daemon"}
    for container in containers.values():
        assert container["environment"] == "${local.environment}"
        assert container["secrets"] == "${local.injected_secrets}"
        assert container["image"] == "${local.image}"


def test_tasks_set_every_variable_the_platform_and_instance_read(stack, dagster) -> None:
    environment, secrets = task_environment(stack, dagster), set(injected_secrets(dagster))
    needed = PLATFORM_VARIABLES | instance_variables() | {"ECOM_TARGET", "ECOM_START_DATE"}
    assert needed - environment - secrets == set(), "variables the tasks do not set"
    assert environment & secrets == set(), "a variable is both plain and a secret"
    assert secrets == {"DAGSTER_PG_PASSWORD"}  # dbt signs in to Redshift with IAM
    assert dagster.resolve(dagster.config.locals["dagster_settings"]["ecom_target"]) == "aws"


def test_execution_role_reads_exactly_the_injected_secrets(dagster: Evaluator) -> None:
    read = statement(dagster, "execution", "ReadInjectedSecrets")
    assert read["actions"] == ["secretsmanager:GetSecretValue"]
    assert sorted(read["resources"]) == sorted(injected_secrets(dagster).values())
    injected = injected_secrets(dagster)
    assert "aws_db_instance.dagster.master_user_secret" in injected["DAGSTER_PG_PASSWORD"]


def test_task_role_is_not_the_execution_role(stack: Evaluator, dagster: Evaluator) -> None:
    for (type_, _), body in dagster.config.resources.items():
        if type_ == "aws_ecs_task_definition":
            assert body["execution_role_arn"] == "${aws_iam_role.execution.arn}"
            assert body["task_role_arn"] == "${var.task_role_arn}"
    assert stack.config.modules["dagster"]["task_role_arn"] == "${module.iam.dagster_role_arn}"


# ---------------------------------------------------------------- outputs and instance file


def test_outputs_name_every_variable_of_the_instance_file(stack: Evaluator) -> None:
    """An operator outside ECS sets DAGSTER_PG_HOST ... from the outputs of the same name."""
    expected = {v.lower() for v in instance_variables() if v.startswith("DAGSTER_")}
    expected = (expected - {"dagster_pg_password"}) | {"dagster_pg_secret_arn"}
    named = {o for o in stack.config.outputs if o.startswith(("dagster_pg_", "dagster_compute"))}
    assert named == expected


def test_settings_outputs_and_task_environment_are_one_map(stack: Evaluator) -> None:
    for name in stack.config.locals["platform_settings"]:
        assert stack.config.outputs[name]["value"] == f"${{local.platform_settings.{name}}}"
    assert stack.output("ecom_lake_uri") == stack.resolve(
        "${local.platform_settings.ecom_lake_uri}"
    )


def test_compute_logs_go_where_the_task_role_may_write(stack: Evaluator, dagster) -> None:
    prefix = stack.output("dagster_compute_logs_prefix")
    assert (
        dagster.resolve(dagster.config.locals["dagster_settings"]["dagster_compute_logs_prefix"])
        == prefix
    )
    iam = stack.module("iam")
    logs = statement(iam, "dagster", "ComputeLogs")
    assert logs["resources"] == ["${var.artifacts_bucket_arn}/${var.compute_logs_prefix}/*"]
    assert iam.resolve("${var.compute_logs_prefix}") == prefix
    bucket = dagster.resolve("${var.compute_logs_bucket}")
    assert bucket == stack.module("storage").output("artifacts_bucket")
    rules = stack.module("storage").resource("aws_s3_bucket_lifecycle_configuration", "artifacts")
    prefixes = [
        stack.module("storage").resolve(r["filter"][0].get("prefix", "")) for r in rules["rule"]
    ]
    assert f"{prefix}/" in prefixes, "compute logs never expire"


def test_production_instance_passes_dagsters_schema(tmp_path: Path) -> None:
    (tmp_path / "dagster.yaml").write_text(PROD_INSTANCE.read_text())
    config, _ = dagster_instance_config(str(tmp_path))
    assert set(config["storage"]) == {"postgres"}
    compute_logs = yaml.safe_load(PROD_INSTANCE.read_text())["compute_logs"]
    assert (compute_logs["module"], compute_logs["class"]) == (
        S3ComputeLogManager.__module__,
        S3ComputeLogManager.__name__,
    )
    assert validate_config(S3ComputeLogManager.config_type(), compute_logs["config"]).success
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_monitoring"]["enabled"] is True


# ---------------------------------------------------------------- shape of the deployment


def test_exactly_one_daemon_even_during_a_deployment(dagster: Evaluator) -> None:
    daemon = dagster.resource("aws_ecs_service", "daemon")
    assert daemon["desired_count"] == 1
    assert daemon["deployment_maximum_percent"] == 100
    assert daemon["deployment_minimum_healthy_percent"] == 0


def test_services_run_in_private_subnets(stack: Evaluator, dagster: Evaluator) -> None:
    for name in ("webserver", "daemon"):
        network = dagster.resource("aws_ecs_service", name)["network_configuration"][0]
        assert network["assign_public_ip"] is False
        assert network["subnets"] == "${var.subnet_ids}"
    assert stack.config.modules["dagster"]["subnet_ids"] == "${module.network.private_subnet_ids}"


def test_private_tasks_reach_every_service_they_need_without_nat(stack: Evaluator) -> None:
    network = stack.module("network")
    endpoints = network.config.locals["interface_endpoints"]  # toset([...]) as text
    assert {"ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts"} <= set(
        re.findall(r'"([a-z.]+)"', endpoints)
    )
    interface = network.resource("aws_vpc_endpoint", "interface")
    assert interface["for_each"] == "${local.interface_endpoints}"
    assert interface["private_dns_enabled"] is True
    assert network.resource("aws_vpc_endpoint", "s3")["vpc_endpoint_type"] == "Gateway"


def test_database_is_private_encrypted_and_its_password_managed(dagster: Evaluator) -> None:
    db = dagster.resource("aws_db_instance", "dagster")
    assert db["publicly_accessible"] is False
    assert db["storage_encrypted"] is True
    assert db["manage_master_user_password"] is True
    assert "password" not in db
    assert dagster.resource("aws_db_subnet_group", "dagster")["subnet_ids"] == "${var.subnet_ids}"


def test_image_repository_is_immutable_scanned_and_encrypted(dagster: Evaluator) -> None:
    repository = dagster.resource("aws_ecr_repository", "dagster")
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"][0]["scan_on_push"] is True
    assert repository["encryption_configuration"][0]["encryption_type"] == "KMS"
