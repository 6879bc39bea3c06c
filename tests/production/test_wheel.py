"""The built wheel runs without the checkout: it carries the dbt project and loads its defs.

The wheel is the one `ecom_platform.deploy` builds (from a scratch copy of the build
sources), cached by the content of those sources under build/test-wheels/. It is
installed into a fresh venv whose other packages come from this one through a .pth line
(their .pth files, the editable install's among them, are not processed there), and the
definitions are loaded from a folder outside the checkout.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from ecom_platform import deploy

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WHEEL_CACHE = PROJECT_ROOT / "build" / "test-wheels"
PYTHON_VERSION = f"python{sys.version_info.major}.{sys.version_info.minor}"
INSPECT = """
import json
from ecom_platform.definitions import defs
from ecom_platform.defs.gold.project import DBT_PROJECT
import ecom_platform
keys = [k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()]
print(json.dumps({
    "package": ecom_platform.__file__,
    "dbt_project": str(DBT_PROJECT.project_dir),
    "manifest": DBT_PROJECT.manifest_path.is_file(),
    "gold_assets": sum(k.startswith("gold/") for k in keys),
}))
"""


def build_sources_digest() -> str:
    """Of every file the wheel build copies: a change in any of them means a new wheel."""
    digest = hashlib.sha256()
    for name in deploy.BUILD_SOURCES:
        top = PROJECT_ROOT / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            relative = path.relative_to(PROJECT_ROOT)
            if any(
                fnmatch.fnmatch(part, p) for part in relative.parts for p in deploy.BUILD_IGNORED
            ):
                continue
            digest.update(str(relative).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cached_wheel() -> Path:
    """The wheel `python -m ecom_platform.deploy` ships, built once per source content."""
    folder = WHEEL_CACHE / build_sources_digest()
    wheels = sorted(folder.glob("*.whl"))
    return wheels[0] if wheels else deploy.build_wheel(folder)


def fresh_venv(root: Path) -> Path:
    """A venv seeing this environment's dependencies, without this checkout's package."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    site_packages = root / "lib" / PYTHON_VERSION / "site-packages"
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = root / "bin" / "python"
    # What pip would generate when installing dbt-core into this venv.
    dbt = root / "bin" / "dbt"
    dbt.write_text(f"#!{python}\nimport sys\nfrom dbt.cli.main import cli\nsys.exit(cli())\n")
    dbt.chmod(0o755)
    return python


def run_outside(python: Path, arguments: list[str], cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("ECOM_", "PYTHON"))}
    environment["DAGSTER_HOME"] = str(cwd / "dagster_home")
    (cwd / "dagster_home").mkdir(exist_ok=True)
    return subprocess.run(
        [str(python), *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_the_installed_wheel_loads_the_definitions_outside_the_checkout(tmp_path: Path) -> None:
    wheel = cached_wheel()
    python = fresh_venv(tmp_path / "venv")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    validated = run_outside(
        python,
        ["-m", "dagster", "definitions", "validate", "-m", "ecom_platform.definitions"],
        elsewhere,
    )
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]
    assert "Validation successful" in validated.stdout + validated.stderr

    inspected = run_outside(python, ["-c", INSPECT], elsewhere)
    assert inspected.returncode == 0, inspected.stderr[-3000:]
    found = json.loads(inspected.stdout.strip().splitlines()[-1])
    installed = (tmp_path / "venv").resolve()
    assert Path(found["package"]).resolve().is_relative_to(installed)
    assert Path(found["dbt_project"]).resolve().is_relative_to(installed)
    assert found["manifest"]
    assert found["gold_assets"] > 20
