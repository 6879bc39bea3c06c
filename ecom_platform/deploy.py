"""Ship the silver job to AWS Glue: the entry script and the package wheel.

`infra/modules/glue` defines a job that runs `<artifacts>/glue/glue_entry.py` and installs
`<artifacts>/glue/<wheel>`. This module writes the other half of that contract, so the keys
live here once; tests/infra fails when the Terraform side disagrees. (The Glue catalog's
columns are rendered from the specs by `ecom_platform.codegen`.)

    python -m ecom_platform.deploy glue-artifacts --artifacts-uri s3://bucket[/prefix]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ecom_platform.lib.storage import is_s3, join_uri, open_store, validate_uri

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
ENTRY_SCRIPT = PACKAGE_DIR / "spark_jobs" / "glue_entry.py"

GLUE_PREFIX = "glue"
ENTRY_SCRIPT_KEY = f"{GLUE_PREFIX}/{ENTRY_SCRIPT.name}"
DIST_NAME = "ecom_platform"  # the wheel's file-name form of the project name "ecom-platform"

# What a fresh build needs from the checkout; anything else (build/, caches) stays out.
BUILD_SOURCES = ("pyproject.toml", "README.md", "ecom_platform")


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
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(path, dest / name, ignore=ignore)
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
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        published = publish_glue_artifacts(args.artifacts_uri)
        print(f"uploaded {published.entry_script_uri}\nuploaded {published.wheel_uri}")
        return 0
    except DeployError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
