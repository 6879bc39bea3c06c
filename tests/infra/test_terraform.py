"""The Terraform agrees with the platform: settings names, S3 keys, catalog schemas, and safety.

No AWS and no terraform run: the HCL is parsed (python-hcl2) and references followed from
each environment's tfvars (infra_hcl.Evaluator); only the formatting is checked with a
`terraform` binary, where one is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from importlib.metadata import version as installed_version

import pytest
from packaging.requirements import Requirement

from ecom_platform import codegen, deploy
from ecom_platform.lib.entities import ENTITIES
from ecom_platform.lib.lake import pipes_key_prefix, silver_entity_uri
from ecom_platform.lib.storage import join_uri
from ecom_platform.settings import AWS_VARIABLES, Target, load_aws_settings, load_settings
from tests.infra.infra_hcl import (
    ENVIRONMENTS,
    INFRA,
    PROJECT_ROOT,
    Evaluator,
    TerraformConfig,
    all_configs,
    iter_statements,
    parse_hcl,
    terraform_files,
)

S3_BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
ANYWHERE = {"0.0.0.0/0", "::/0"}
# Identity-policy actions AWS cannot scope to a resource (so "*" is their only resource), with
# the condition key that narrows them where one exists.
UNSCOPABLE_ACTIONS = {
    "cloudwatch:PutMetricData": "cloudwatch:namespace",
    "ecr:GetAuthorizationToken": None,  # a login token; the image pulls are scoped per repository
}
# Resources with a `policy` attribute that grants no access (so no policy document is needed).
NOT_ACCESS_POLICIES = {"aws_ecr_lifecycle_policy"}
SETTINGS_VARIABLES = ("ECOM_LANDING_URI", "ECOM_LAKE_URI", *AWS_VARIABLES.values())
DEPLOY_VARIABLES = ("ECOM_ARTIFACTS_URI",)  # read by `make glue-artifacts`


@pytest.fixture(scope="module", params=ENVIRONMENTS)
def stack(request: pytest.FixtureRequest) -> Evaluator:
    """The stack with one environment's values."""
    return Evaluator.stack(request.param)


# ---------------------------------------------------------------- structure


@pytest.mark.skipif(shutil.which("terraform") is None, reason="no terraform binary installed")
def test_terraform_files_are_formatted() -> None:
    checked = subprocess.run(
        ["terraform", "fmt", "-check", "-recursive", str(INFRA)], capture_output=True, text=True
    )
    assert checked.returncode == 0, f"run `terraform fmt -recursive infra`:\n{checked.stdout}"


@pytest.mark.parametrize("path", terraform_files(), ids=lambda p: str(p.relative_to(INFRA)))
def test_every_terraform_file_parses(path) -> None:
    assert parse_hcl(path), f"{path} parsed to nothing"


# ---------------------------------------------------------------- settings


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_outputs_name_every_setting_the_aws_target_reads(env: str) -> None:
    """What `terraform output` shows in an environment (docs/deploy.md turns it into .env)."""
    outputs = set(Evaluator.environment(env).config.outputs)
    for variable in (*SETTINGS_VARIABLES, *DEPLOY_VARIABLES):
        expected = variable.lower()
        assert expected in outputs, f"no output {expected!r} for {variable}"
    known = {v.lower() for v in (*SETTINGS_VARIABLES, *DEPLOY_VARIABLES)}
    stray = {o for o in outputs if o.startswith(("ecom_", "aws_")) and o not in known}
    assert not stray, f"outputs named like settings that no setting reads: {stray}"


def test_outputs_are_uris_and_names_the_settings_accept(stack: Evaluator) -> None:
    landing, lake = stack.output("ecom_landing_uri"), stack.output("ecom_lake_uri")
    settings = load_settings(
        {"ECOM_TARGET": "aws", "ECOM_LANDING_URI": landing, "ECOM_LAKE_URI": lake}
    )
    assert settings.target is Target.AWS
    assert (settings.landing_uri, settings.lake_uri) == (landing, lake)

    resolvable = {v: stack.output(v.lower()) for v in ("AWS_REGION", "ECOM_GLUE_JOB_NAME")}
    placeholders = {v: "from-terraform" for v in AWS_VARIABLES.values() if v not in resolvable}
    aws = load_aws_settings({**placeholders, **resolvable, "ECOM_REDSHIFT_PORT": "5439"})
    assert aws.glue_job_name == stack.module("glue").resolve("${var.job_name}")
    assert aws.region == stack.variable("region")


def test_bucket_names_are_valid_and_distinct_per_environment() -> None:
    names = {}
    for env in ENVIRONMENTS:
        evaluator = Evaluator.stack(env)
        storage = evaluator.module("storage")
        for role in ("landing", "lake", "artifacts", "logs"):
            name = storage.output(f"{role}_bucket")
            assert S3_BUCKET_NAME.match(name), f"{name!r} is not a valid S3 bucket name"
            assert name == f"{evaluator.variable('project')}-{env}-{role}"
            names[(env, role)] = name
        assert evaluator.output("ecom_landing_uri") == f"s3://{names[(env, 'landing')]}"
        assert evaluator.output("ecom_lake_uri") == f"s3://{names[(env, 'lake')]}"
        assert evaluator.output("ecom_artifacts_uri") == f"s3://{names[(env, 'artifacts')]}"
    assert len(set(names.values())) == len(names)


# ---------------------------------------------------------------- Glue job and catalog


def test_glue_job_runs_the_uploaded_entry_script(stack: Evaluator) -> None:
    glue = stack.module("glue")
    job = glue.resource("aws_glue_job", "silver")
    artifacts = stack.output("ecom_artifacts_uri")
    assert deploy.ENTRY_SCRIPT == PROJECT_ROOT / "ecom_platform" / "spark_jobs" / "glue_entry.py"
    assert deploy.ENTRY_SCRIPT.is_file(), "the script the Glue job runs is gone"
    assert glue.resolve(job["command"][0]["script_location"]) == join_uri(
        artifacts, deploy.ENTRY_SCRIPT_KEY
    )
    assert job["command"][0]["name"] == "glueetl"
    assert job["command"][0]["python_version"] == "3"
    assert job["glue_version"] == "5.0"  # Spark 3.5, Python 3.11


def test_glue_job_installs_the_uploaded_wheel_and_dagster_pipes(stack: Evaluator) -> None:
    glue = stack.module("glue")
    arguments = glue.resource("aws_glue_job", "silver")["default_arguments"]
    wheel_uri, pipes = glue.resolve(arguments["--additional-python-modules"]).split(",")
    version = deploy.project_version()
    assert wheel_uri == join_uri(stack.output("ecom_artifacts_uri"), deploy.wheel_key(version))
    assert arguments["--python-modules-installer-option"] == "--no-deps"

    pipes_name, pipes_version = pipes.split("==")
    assert pipes_name == "dagster-pipes"
    assert pipes_version in platform_requirement("dagster-pipes").specifier
    assert pipes_version == installed_version("dagster-pipes"), "Glue and Dagster pipes differ"


def test_glue_job_runs_without_bookmarks_and_logs_to_cloudwatch(stack: Evaluator) -> None:
    glue = stack.module("glue")
    job = glue.resource("aws_glue_job", "silver")
    arguments = job["default_arguments"]
    assert arguments["--job-bookmark-option"] == "job-bookmark-disable"
    assert arguments["--enable-continuous-cloudwatch-log"] == "true"
    assert stack.output("ecom_glue_job_name") == glue.resolve(job["name"])


def test_glue_job_moves_catalog_partitions_in_the_platform_database(stack: Evaluator) -> None:
    """The entry script's `--catalog_database` (the publish's catalog step) is the database
    the platform's settings name."""
    glue = stack.module("glue")
    arguments = glue.resource("aws_glue_job", "silver")["default_arguments"]
    database = "${aws_glue_catalog_database.silver.name}"
    assert arguments["--catalog_database"] == database
    assert glue.config.outputs["catalog_database"]["value"] == database
    settings = stack.config.locals["platform_settings"]
    assert settings["ecom_glue_catalog_database"] == "${module.glue.catalog_database}"


def test_silver_catalog_columns_follow_the_silver_schema() -> None:
    # The checked-in file equals this render: tests/test_codegen.py runs `codegen --check`.
    orders = json.loads(codegen.render_silver_tables())["orders"]
    columns = {c["name"]: c["type"] for c in orders}
    assert columns["order_ts"] == "timestamp"
    assert columns["shipping_amount"] == "decimal(18,2)"
    assert columns["order_id"] == "string"
    assert list(columns)[-3:] == ["_source_file", "_line_number", "_ingested_at"]
    assert columns["_line_number"] == "bigint"
    assert "dt" not in columns  # the partition key is the folder, not a file column


def test_silver_tables_are_partitioned_by_dt_over_the_lake_layout(stack: Evaluator) -> None:
    glue = stack.module("glue")
    table = glue.resource("aws_glue_catalog_table", "silver")
    assert table["for_each"] == "${local.silver_tables}"
    assert "silver_tables.json" in glue.config.locals["silver_tables"]
    assert table["partition_keys"] == [{"name": "dt", "type": "string"}]
    storage = table["storage_descriptor"][0]
    serde = storage["ser_de_info"][0]["serialization_library"]
    assert serde == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert storage["dynamic"][0]["columns"]["for_each"] == "${each.value}"
    lake = stack.output("ecom_lake_uri")
    for entity in ENTITIES:
        location = glue.resolve(storage["location"].replace("${each.key}", entity.name))
        assert location == silver_entity_uri(lake, entity.name) + "/"


def test_glue_role_exchanges_pipes_files_where_dagster_puts_them(stack: Evaluator) -> None:
    iam = stack.module("iam")
    pipes = statement_by_sid(iam, "glue_job", "PipesFiles")
    lake_arn = "${var.lake_bucket_arn}"
    assert pipes["resources"] == [f"{lake_arn}/{pipes_key_prefix()}*"]
    assert {"s3:GetObject", "s3:PutObject"} <= set(pipes["actions"])
    lake_rules = stack.module("storage").resource("aws_s3_bucket_lifecycle_configuration", "lake")
    prefixes = [rule["filter"][0].get("prefix") for rule in lake_rules["rule"]]
    assert pipes_key_prefix() in prefixes, "Pipes files in the lake never expire"


def test_spectrum_role_reads_silver_and_registers_partitions(stack: Evaluator) -> None:
    redshift = stack.module("redshift")
    catalog = statement_by_sid(redshift, "spectrum", "ReadSilverCatalogAddPartitions")
    assert {"glue:GetTable", "glue:BatchCreatePartition"} <= set(catalog["actions"])
    files = statement_by_sid(redshift, "spectrum", "ReadSilverFiles")
    assert files["actions"] == ["s3:GetObject"]
    assert files["resources"] == ["${var.lake_bucket_arn}/silver/*"]


def statement_by_sid(module: Evaluator, document: str, sid: str) -> dict:
    statements = module.config.data[("aws_iam_policy_document", document)]["statement"]
    return next(statement for statement in statements if statement.get("sid") == sid)


# ---------------------------------------------------------------- nothing public


def test_every_bucket_blocks_public_access() -> None:
    for config in all_configs():
        blocks = {
            body["bucket"]: body
            for (type_, _), body in config.resources.items()
            if type_ == "aws_s3_bucket_public_access_block"
        }
        for type_, name in config.resources:
            if type_ != "aws_s3_bucket":
                continue
            block = blocks.get(f"${{aws_s3_bucket.{name}.id}}")
            assert block, f"aws_s3_bucket.{name} in {config.directory} has no public access block"
            flags = ("block_public_acls", "block_public_policy")
            flags += ("ignore_public_acls", "restrict_public_buckets")
            assert all(block[flag] is True for flag in flags), f"aws_s3_bucket.{name}: {block}"


def test_redshift_is_not_publicly_accessible() -> None:
    workgroups = [
        body
        for config in all_configs()
        for (type_, _), body in config.resources.items()
        if type_ == "aws_redshiftserverless_workgroup"
    ]
    assert workgroups
    assert all(body["publicly_accessible"] is False for body in workgroups)
    for path in terraform_files():
        assert not re.search(r"publicly_accessible\s*=\s*true", path.read_text()), path


def test_no_ingress_from_anywhere_and_no_internet_gateway() -> None:
    for config in all_configs():
        for (type_, name), body in config.resources.items():
            assert type_ not in ("aws_internet_gateway", "aws_nat_gateway", "aws_eip"), name
            if type_ == "aws_subnet":
                assert body["map_public_ip_on_launch"] is False
            for rule in ingress_rules(type_, body):
                cidrs = {rule.get(key) for key in ("cidr_ipv4", "cidr_ipv6")}
                cidrs |= set(rule.get("cidr_blocks", [])) | set(rule.get("ipv6_cidr_blocks", []))
                assert not cidrs & ANYWHERE, f"{type_}.{name} admits {cidrs & ANYWHERE}"


def ingress_rules(type_: str, body: dict) -> list[dict]:
    if type_ == "aws_security_group":
        return body.get("ingress", [])
    if type_ == "aws_vpc_security_group_ingress_rule":
        return [body]
    if type_ == "aws_security_group_rule" and body.get("type") == "ingress":
        return [body]
    return []


# ---------------------------------------------------------------- least privilege


def test_every_policy_is_a_checked_policy_document() -> None:
    """Inline JSON policies would escape the statement checks below."""
    for config in all_configs():
        for (type_, name), body in config.resources.items():
            for key in ("policy", "assume_role_policy"):
                if key in body and type_ not in NOT_ACCESS_POLICIES:
                    assert body[key].startswith("${data.aws_iam_policy_document."), (
                        f"{type_}.{name}.{key} is not an aws_iam_policy_document"
                    )


def test_no_statement_allows_every_action_or_everyone() -> None:
    for config in all_configs():
        for document, statement in allow_statements(config):
            assert "*" not in statement["actions"], f"{document} allows every action"
            for principal in statement.get("principals", []):
                assert principal["type"] != "*" and "*" not in principal["identifiers"], (
                    f"{document} allows anyone"
                )


def test_only_key_policies_grant_on_every_resource() -> None:
    """In a key policy "*" means that key; elsewhere a grant on "*" must be unavoidable."""
    for config in all_configs():
        key_policies = documents_used_by(config, "aws_kms_key", "policy")
        for document, statement in allow_statements(config):
            if document in key_policies or "*" not in statement.get("resources", []):
                continue
            assert set(statement["actions"]) <= set(UNSCOPABLE_ACTIONS), f"{document}: '*' resource"
            conditions = {condition["variable"] for condition in statement.get("condition", [])}
            for action in statement["actions"]:
                key = UNSCOPABLE_ACTIONS[action]
                assert key is None or key in conditions, f"{document}: {action} without {key}"


def test_role_policies_list_their_actions() -> None:
    """Roles get named actions, never a service wildcard such as s3:*."""
    for config in all_configs():
        role_policies = documents_used_by(config, "aws_iam_role_policy", "policy")
        for document, statement in allow_statements(config):
            if document in role_policies:
                wildcards = [a for a in statement["actions"] if "*" in a]
                assert not wildcards, f"{document} grants {wildcards}"


def allow_statements(config: TerraformConfig) -> Iterator[tuple[str, dict]]:
    for document, statement in iter_statements(config):
        if statement.get("effect", "Allow") == "Allow":
            yield document, statement


def documents_used_by(config: TerraformConfig, resource_type: str, attribute: str) -> set[str]:
    return {
        body[attribute].split(".")[2]
        for (type_, _), body in config.resources.items()
        if type_ == resource_type
    }


def platform_requirement(name: str) -> Requirement:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    requirements = (Requirement(r) for r in pyproject["project"]["dependencies"])
    return next(r for r in requirements if r.name == name)


def test_bookkeeping_tables_are_catalogued_over_their_lake_layers(stack: Evaluator) -> None:
    """quarantine, bronze_files and silver_stats: columns from lib/lake.py, keyed by folder."""
    glue = stack.module("glue")
    table = glue.resource("aws_glue_catalog_table", "lake")
    assert table["for_each"] == "${local.lake_tables}"
    assert "lake_tables.json" in glue.config.locals["lake_tables"]
    rendered = json.loads(codegen.render_lake_tables())
    assert set(rendered) == {t.name for t in codegen.LAKE_TABLES}
    for name, spec in rendered.items():
        columns = {c["name"] for c in spec["columns"]}
        keys = {k["name"] for k in spec["partition_keys"]}
        assert not columns & keys, f"{name}: a partition key repeats a file column"
    quarantine = {c["name"]: c["type"] for c in rendered["quarantine"]["columns"]}
    assert quarantine["reason_codes"] == "array<string>"
    assert quarantine["line_number"] == "bigint"
    storage = table["storage_descriptor"][0]
    lake_uri = stack.output("ecom_lake_uri")
    for name in rendered:
        location = glue.resolve(storage["location"].replace("${each.key}", name))
        assert location == f"{lake_uri}/{name}/"


def test_spectrum_role_reads_the_bookkeeping_layers(stack: Evaluator) -> None:
    redshift = stack.module("redshift")
    files = statement_by_sid(redshift, "spectrum", "ReadLakeBookkeepingFiles")
    layers = [t.name for t in codegen.LAKE_TABLES]
    assert files["actions"] == ["s3:GetObject"]
    assert files["resources"] == [f"${{var.lake_bucket_arn}}/{layer}/*" for layer in layers]
    listing = statement_by_sid(redshift, "spectrum", "ListLakeBookkeeping")
    assert listing["condition"][0]["values"] == [f"{layer}/*" for layer in layers]
