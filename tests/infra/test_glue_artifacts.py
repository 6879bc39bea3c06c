"""The Glue artifacts: built from the checkout, uploaded to the keys the Glue job reads."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ecom_platform import deploy


@pytest.fixture
def entry_script(tmp_path: Path) -> Path:
    """A stand-in for spark_jobs/glue_entry.py, which its own tests cover."""
    script = tmp_path / "glue_entry.py"
    script.write_text("print('silver job')\n")
    return script


@pytest.mark.slow
def test_publish_uploads_the_entry_script_and_wheel_to_the_job_keys(s3_env, entry_script) -> None:
    bucket = s3_env.create_bucket("glue-artifacts")
    published = deploy.publish_glue_artifacts(f"s3://{bucket}/release", entry_script=entry_script)

    version = deploy.project_version()
    script_key = f"release/{deploy.ENTRY_SCRIPT_KEY}"
    wheel_key = f"release/glue/ecom_platform-{version}-py3-none-any.whl"
    client = s3_env.client()
    listed = client.list_objects_v2(Bucket=bucket, Prefix="release/")["Contents"]
    assert sorted(obj["Key"] for obj in listed) == sorted([script_key, wheel_key])
    assert published.entry_script_uri == f"s3://{bucket}/{script_key}"
    assert published.wheel_uri == f"s3://{bucket}/{wheel_key}"

    script = client.get_object(Bucket=bucket, Key=script_key)["Body"].read()
    assert script == entry_script.read_bytes()
    wheel = client.get_object(Bucket=bucket, Key=wheel_key)["Body"].read()
    names = zipfile.ZipFile(io.BytesIO(wheel)).namelist()
    assert "ecom_platform/lib/entities.py" in names
    assert "ecom_platform/spark_jobs/__init__.py" in names
    assert f"ecom_platform-{version}.dist-info/METADATA" in names
    assert not [n for n in names if "__pycache__" in n or not n.startswith("ecom_platform")]


def test_wheel_ignores_stale_build_output(tmp_path: Path) -> None:
    """A module deleted from the source must not come back from an old build/ folder."""
    root = tmp_path / "checkout"
    deploy.copy_build_sources(deploy.PROJECT_ROOT, root)
    stale = root / "build" / "lib" / "ecom_platform" / "removed_module.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("")
    wheel = deploy.build_wheel(tmp_path / "dist", root=root)
    assert "ecom_platform/removed_module.py" not in zipfile.ZipFile(wheel).namelist()


def test_publish_refuses_a_local_folder(tmp_path: Path, entry_script: Path) -> None:
    with pytest.raises(deploy.DeployError, match="not an s3:// URI"):
        deploy.publish_glue_artifacts(str(tmp_path), entry_script=entry_script)


def test_publish_needs_the_entry_script(tmp_path: Path) -> None:
    with pytest.raises(deploy.DeployError, match="entry script"):
        deploy.publish_glue_artifacts("s3://bucket", entry_script=tmp_path / "missing.py")


def test_cli_reports_a_bad_artifacts_uri(capsys: pytest.CaptureFixture[str]) -> None:
    assert deploy.main(["glue-artifacts", "--artifacts-uri", "gs://bucket"]) == 2
    assert "ECOM_ARTIFACTS_URI" in capsys.readouterr().err
