"""Ship the silver job to AWS Glue: the entry script and the package wheel.

`infra/modules/glue` defines a job that runs `<artifacts>/glue/glue_entry.py` and installs
`<artifacts>/glue/<wheel>`. This module writes the other half of that contract, so the keys
live here once; tests/infra fails when the Terraform side disagrees. (The Glue catalog's
columns are rendered from the specs by `ecom_platform.codegen`.)

    python -m ecom_platform.deploy glue-artifacts --artifacts-uri s3://bucket[/prefix]

It also sets up the database role gold builds with (`lib/redshift_grants.py`), as the admin
user whose password it reads from the secret Redshift manages:

    python -m ecom_platform.deploy redshift-access --admin-secret-arn ARN --iam-role-name NAME
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ecom_platform.lib.redshift_grants import (
    EXISTING_ROLE_SQL,
    EXISTING_USER_SQL,
    GoldAccess,
    setup_statements,
)
from ecom_platform.lib.storage import is_s3, join_uri, open_store, validate_uri
from ecom_platform.settings import load_aws_settings

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
ENTRY_SCRIPT = PACKAGE_DIR / "spark_jobs" / "glue_entry.py"

GLUE_PREFIX = "glue"
ENTRY_SCRIPT_KEY = f"{GLUE_PREFIX}/{ENTRY_SCRIPT.name}"
DIST_NAME = "ecom_platform"  # the wheel's file-name form of the project name "ecom-platform"

# What a fresh build needs from the checkout; anything else (build/, caches) stays out.
# setup.py copies the dbt project into the wheel (Glue ignores it; gold runs need it).
BUILD_SOURCES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "ecom_platform",
    "ecom_dbt",
)
# Caches, and what dbt writes into its project folder.
BUILD_IGNORED = ("__pycache__", "*.pyc", "target", "logs", "dbt_packages", ".user.yml")


# Data API statement states after which describe_statement changes no more.
DONE = {"FINISHED", "FAILED", "ABORTED"}


class DeployError(RuntimeError):
    """A deployment step cannot go on; the message says what to fix."""


# ---------------------------------------------------------------- Glue artifacts


def project_version(root: Path = PROJECT_ROOT) -> str:
    """The version in pyproject.toml: the wheel's file name, and so its S3 key, carries it."""
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise DeployError(f"{pyproject} not found: build Glue artifacts from a source checkout")
    return tomllib.loads(pyproject.read_text())["project"]["version"]


def wheel_filename(version: str) -> str:
    return f"{DIST_NAME}-{version}-py3-none-any.whl"


def wheel_key(version: str) -> str:
    return f"{GLUE_PREFIX}/{wheel_filename(version)}"


def build_wheel(out_dir: Path, root: Path = PROJECT_ROOT) -> Path:
    """Build the package wheel from a scratch copy, so stale files in build/ never ship."""
    expected = out_dir / wheel_filename(project_version(root))
    with tempfile.TemporaryDirectory(prefix="ecom-wheel-") as scratch:
        source = Path(scratch) / "src"
        copy_build_sources(root, source)
        # --no-deps: Glue installs the wheel alone (its requirements would replace Glue's Spark).
        command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--quiet"]
        result = subprocess.run(
            [*command, "--wheel-dir", str(out_dir)], capture_output=True, text=True
        )
    if result.returncode != 0:
        raise DeployError(f"building the ecom_platform wheel failed:\n{result.stderr[-4000:]}")
    if not expected.is_file():
        raise DeployError(f"pip built no {expected.name} in {out_dir}")
    return expected


def copy_build_sources(root: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for name in BUILD_SOURCES:
        path = root / name
        if path.is_dir():
            shutil.copytree(path, dest / name, ignore=shutil.ignore_patterns(*BUILD_IGNORED))
        else:
            shutil.copy2(path, dest / name)


@dataclass(frozen=True)
class GlueArtifacts:
    entry_script_uri: str
    wheel_uri: str


def publish_glue_artifacts(
    artifacts_uri: str, entry_script: Path = ENTRY_SCRIPT, root: Path = PROJECT_ROOT
) -> GlueArtifacts:
    """Build the wheel and upload it with the entry script where the Glue job expects them."""
    check_artifacts_uri(artifacts_uri)
    if not entry_script.is_file():
        raise DeployError(f"the Glue entry script {entry_script} does not exist")
    store = open_store(artifacts_uri)
    with tempfile.TemporaryDirectory(prefix="ecom-glue-") as out_dir:
        wheel = build_wheel(Path(out_dir), root)
        wheel_uri = join_uri(artifacts_uri, wheel_key(project_version(root)))
        store.write_bytes(wheel_uri, wheel.read_bytes())
    script_uri = join_uri(artifacts_uri, ENTRY_SCRIPT_KEY)
    store.write_bytes(script_uri, entry_script.read_bytes())
    return GlueArtifacts(entry_script_uri=script_uri, wheel_uri=wheel_uri)


def check_artifacts_uri(artifacts_uri: str) -> None:
    """Glue reads scripts and wheels only from S3, so a local folder is a mistake here."""
    try:
        validate_uri(artifacts_uri, "ECOM_ARTIFACTS_URI")
    except ValueError as exc:
        raise DeployError(str(exc)) from None
    if not is_s3(artifacts_uri):
        raise DeployError(
            f"ECOM_ARTIFACTS_URI={artifacts_uri!r} is not an s3:// URI; Glue loads jobs from S3 "
            "(use `terraform output -raw ecom_artifacts_uri`)"
        )


# ---------------------------------------------------------------- Redshift access


def gold_access(iam_role_name: str) -> GoldAccess:
    """Who builds gold, from the aws-target settings (every missing variable named)."""
    try:
        settings = load_aws_settings()
        return GoldAccess(
            iam_role_name=iam_role_name,
            database=settings.redshift_database,
            spectrum_role_arn=settings.redshift_spectrum_role_arn,
        )
    except ValueError as exc:  # SettingsError is one
        raise DeployError(str(exc)) from None


def serverless_workgroup(host: str) -> str:
    """The workgroup of a Redshift Serverless endpoint, `<workgroup>.<account>.<region>...`."""
    if ".redshift-serverless." not in host:
        raise DeployError(f"ECOM_REDSHIFT_HOST={host!r} is not a Redshift Serverless endpoint")
    return host.split(".", 1)[0]


def apply_redshift_access(access: GoldAccess, admin_secret_arn: str) -> list[str]:
    """Create what is missing and grant the rest, as the admin; returns what ran.

    Through the Redshift Data API with the admin secret: it runs from an operator's machine
    (the workgroup accepts no connections from outside the VPC), and the password is read by
    Redshift itself, never by this process.
    """
    import boto3

    settings = load_aws_settings()
    data_api = boto3.client("redshift-data", region_name=settings.region)
    target = {
        "WorkgroupName": serverless_workgroup(settings.redshift_host),
        "Database": settings.redshift_database,
        "SecretArn": admin_secret_arn,
    }

    def run(sql: str, **parameters: str) -> bool:
        """Run one statement; True when it returned rows."""
        bound = [{"name": k, "value": v} for k, v in parameters.items()]
        started = data_api.execute_statement(
            **target, Sql=sql, **({"Parameters": bound} if bound else {})
        )
        while (status := data_api.describe_statement(Id=started["Id"]))["Status"] not in DONE:
            time.sleep(0.5)
        if status["Status"] != "FINISHED":
            raise DeployError(f"{sql!r} {status['Status']}: {status.get('Error', '')}")
        return bool(status.get("HasResultSet") and status.get("ResultRows", 0))

    role_exists = run(EXISTING_ROLE_SQL, name=access.database_role)
    user_exists = run(EXISTING_USER_SQL, name=access.database_user)
    statements = setup_statements(access, role_exists=role_exists, user_exists=user_exists)
    for statement in statements:
        run(statement)
    return statements


# ---------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m ecom_platform.deploy", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    artifacts = commands.add_parser(
        "glue-artifacts", help="build the wheel and upload it with the Glue entry script"
    )
    artifacts.add_argument(
        "--artifacts-uri", required=True, help="s3://bucket[/prefix] (ECOM_ARTIFACTS_URI)"
    )
    access = commands.add_parser(
        "redshift-access", help="create gold's database role and grant it to dbt's IAM user"
    )
    access.add_argument(
        "--iam-role-name", required=True, help="the IAM role dbt runs as (the ECS task role)"
    )
    access.add_argument(
        "--admin-secret-arn",
        help="the secret Redshift manages (terraform output redshift_admin_secret_arn)",
    )
    access.add_argument(
        "--print-sql",
        action="store_true",
        help="print the SQL for a fresh database; connect to nothing",
    )
    return parser.parse_args(argv)


def command_redshift_access(args: argparse.Namespace) -> int:
    access = gold_access(args.iam_role_name)
    if args.print_sql:
        statements = setup_statements(access, role_exists=False, user_exists=False)
        print(";\n".join(statements) + ";")
        return 0
    if not args.admin_secret_arn:
        raise DeployError("--admin-secret-arn is needed unless --print-sql")
    for statement in apply_redshift_access(access, args.admin_secret_arn):
        print(f"ran: {statement}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "redshift-access":
            return command_redshift_access(args)
        published = publish_glue_artifacts(args.artifacts_uri)
        print(f"uploaded {published.entry_script_uri}\nuploaded {published.wheel_uri}")
        return 0
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
