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
def lake(tmp_path: Path) -> Path:
    """A fresh lake folder (Dagster tests pass it as resources: silver_fixtures)."""
    root = tmp_path / "lake"
    root.mkdir()
    return root
