"""One SparkSession for every silver test (the JVM starts once), and an empty lake per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from ecom_platform.spark_jobs.session import build_local_session


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = build_local_session()
    yield session
    session.stop()


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh lake folder, also what the Dagster assets and checks read (ECOM_LAKE_URI)."""
    root = tmp_path / "lake"
    root.mkdir()
    monkeypatch.setenv("ECOM_LAKE_URI", str(root))
    monkeypatch.setenv("ECOM_TARGET", "local")
    return root
