"""The dbt project behind the gold assets, and the manifest Dagster builds its assets from.

The manifest is generated at load time when it is missing or older than the project's
sources, so `dagster dev` and `ecom-platform run` work on a fresh clone without a manual
`dbt parse`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtProject
from filelock import FileLock

from ecom_platform.lib.dbt_location import dbt_project_dir
from ecom_platform.lib.storage import is_s3
from ecom_platform.settings import Settings, Target, load_settings

DBT_PROJECT_DIR = dbt_project_dir()
# dbt comes with this interpreter's environment; PATH may not include its bin folder.
DBT_EXECUTABLE = Path(sys.executable).parent / "dbt"
# The files a parse reads: a newer one makes the manifest stale.
DBT_SOURCE_FOLDERS = ("models", "macros", "tests", "analyses")
DBT_SOURCE_FILES = ("dbt_project.yml", "profiles.yml")


def dbt_target(target: Target) -> str:
    """The dbt profile output for a platform target (ECOM_TARGET=aws runs on Redshift)."""
    return "redshift" if target is Target.AWS else "local"


def absolute_uri(uri: str) -> str:
    """Local paths made absolute: dbt runs in the project folder, not where Dagster started."""
    return uri if is_s3(uri) else str(Path(uri).resolve())


def dbt_environment(target: Target, lake_uri: str, warehouse: str | None = None) -> dict[str, str]:
    """The ECOM_* variables the dbt profile and silver sources read, with absolute paths."""
    env = {"ECOM_TARGET": target.value, "ECOM_LAKE_URI": absolute_uri(lake_uri)}
    if warehouse is not None:
        env["ECOM_WAREHOUSE"] = absolute_uri(warehouse)
    return env


@contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    """Set variables while a dbt subprocess is started (it copies os.environ), then restore."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def manifest_is_stale(project: DbtProject) -> bool:
    """True when the manifest is missing or any project source changed after it was written."""
    if not project.manifest_path.exists():
        return True
    written = project.manifest_path.stat().st_mtime
    sources = [project.project_dir / name for name in DBT_SOURCE_FILES]
    for folder in DBT_SOURCE_FOLDERS:
        sources.extend((project.project_dir / folder).rglob("*"))
    return any(path.stat().st_mtime > written for path in sources if path.is_file())


def prepare_manifest(project: DbtProject, settings: Settings) -> None:
    """Run `dbt parse` when the manifest is stale; a failed parse stops loading, with dbt's log.

    Code servers and run workers load the definitions at the same time: a file lock lets one
    of them parse while the others wait and then find the manifest fresh.
    """
    project.manifest_path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(project.manifest_path.with_suffix(".lock")):
        if manifest_is_stale(project):
            run_dbt_parse(project, settings)


def run_dbt_parse(project: DbtProject, settings: Settings) -> None:
    command = [str(DBT_EXECUTABLE), "parse", "--quiet", "--target", str(project.target)]
    command += ["--target-path", str(project.target_path)]
    result = subprocess.run(
        command,
        cwd=project.project_dir,
        env={
            **os.environ,
            **dbt_environment(settings.target, settings.lake_uri, settings.warehouse),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"`dbt parse` failed in {project.project_dir}:\n{result.stdout}")


SETTINGS = load_settings()
# One manifest per dbt target: DuckDB and Redshift parse to different adapters.
DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    target=dbt_target(SETTINGS.target),
    target_path=Path("target") / dbt_target(SETTINGS.target),
)
prepare_manifest(DBT_PROJECT, SETTINGS)
