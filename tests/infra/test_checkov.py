"""checkov passes over infra/ with every check on; each skip is inline and gives its reason."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.infra.infra_hcl import INFRA, PROJECT_ROOT, terraform_files

CHECKOV = PROJECT_ROOT / ".venv-checkov" / "bin" / "checkov"
INLINE_SKIP = re.compile(r"#\s*checkov:skip=([^\n]*)")
JUSTIFIED_SKIP = re.compile(r"^CKV2?_AWS_\d+:\s*\S.{10,}$")


@pytest.fixture(scope="module")
def checkov_report() -> dict:
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: `make test` installs it (or run `make infra-check`)")
    result = subprocess.run(
        [str(CHECKOV), "--config-file", str(INFRA / ".checkov.yaml"), "--output", "json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout, f"checkov printed nothing (exit {result.returncode}):\n{result.stderr}"
    return json.loads(result.stdout)


def test_checkov_finds_no_failed_check(checkov_report: dict) -> None:
    failed = [
        f"{r['check_id']} {r['resource']} ({r['file_path']})"
        for r in checkov_report["results"]["failed_checks"]
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    assert checkov_report["summary"]["parsing_errors"] == 0


def test_checkov_sees_the_modules_through_the_environments(checkov_report: dict) -> None:
    """Without module resolution the environments would pass vacuously."""
    assert checkov_report["summary"]["resource_count"] > 50
    assert checkov_report["summary"]["passed"] > 200


def test_every_inline_skip_gives_a_reason() -> None:
    for path in terraform_files():
        for skip in INLINE_SKIP.findall(path.read_text()):
            assert JUSTIFIED_SKIP.match(skip), f"{path}: skip without a reason: {skip!r}"
