"""Silver on a Spark standalone cluster equals silver in local mode, row for row.

The self-managed scale-out path (docs/scale-out.md): the same `run_silver` on a session
whose master is a cluster (`ECOM_SPARK_MASTER=spark://...`). Generated data with defects
goes through bronze once; silver then runs twice, on copies of that bronze, in local mode
and on a one-worker cluster. Here driver and executor share the lake folder; on a real
cluster the lake must be a shared file system or S3.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ecom_platform.generator import generate
from ecom_platform.lib import lake as layout
from ecom_platform.lib.bronze import build_bronze_partition, write_bronze_partition
from ecom_platform.lib.entities import ENTITIES, ENTITY_NAMES
from ecom_platform.spark_jobs.session import DEFAULT_MASTER
from tests.production import spark_cluster
from tests.production.spark_cluster import SparkCluster, start_cluster

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAY = "2024-01-01"
SILVER_OUTPUTS = (layout.Layer.SILVER, layout.Layer.QUARANTINE, layout.Layer.STATS)


@pytest.fixture(scope="module")
def bronze_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One day of generated landing files with defects, through bronze."""
    root = tmp_path_factory.mktemp("cluster")
    landing, lake = root / "landing", root / "bronze_lake"
    generate(
        out=str(landing), start=date.fromisoformat(DAY), days=1, scale=0.1, seed=3, defect_rate=0.05
    )
    ingested_at = datetime(2024, 1, 2, tzinfo=UTC)
    for entity in ENTITIES:
        partition = build_bronze_partition(entity, DAY, str(landing), ingested_at)
        write_bronze_partition(str(lake), partition)
    return lake


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkCluster]:
    started = start_cluster(tmp_path_factory.mktemp("spark_cluster"))
    try:
        yield started
    finally:
        started.stop()


def silver_on(master: str, bronze_lake: Path, lake: Path) -> str:
    """Copy the bronze lake, run silver on `master` in a new process; its application id."""
    shutil.copytree(bronze_lake, lake)
    result = subprocess.run(
        [sys.executable, "-m", "tests.production.silver_job", master, str(lake), DAY],
        env=spark_cluster.environment(),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])["application_id"]


def table_rows(lake: Path, layer: layout.Layer, entity: str) -> list[tuple]:
    """Every row of a partition folder, as sortable tuples (file names differ between runs)."""
    folder = Path(layout.partition_uri(str(lake), layer, entity, DAY))
    rows = [
        tuple(sorted((k, repr(v)) for k, v in row.items()))
        for path in sorted(folder.glob("*.parquet"))
        for row in pq.read_table(io.BytesIO(path.read_bytes())).to_pylist()
    ]
    return sorted(rows)


def test_silver_on_a_standalone_cluster_equals_local_silver(
    bronze_lake: Path, cluster: SparkCluster, tmp_path: Path
) -> None:
    silver_on(DEFAULT_MASTER, bronze_lake, tmp_path / "local")
    application = silver_on(cluster.master_url, bronze_lake, tmp_path / "cluster")

    completed = {app["id"]: app for app in cluster.status()["completedapps"]}
    assert application in completed, "the run did not go through the cluster's master"
    assert completed[application]["cores"] > 0  # it got the worker's executor
    totals = {layer: 0 for layer in SILVER_OUTPUTS}
    for entity in ENTITY_NAMES:
        for layer in SILVER_OUTPUTS:
            local = table_rows(tmp_path / "local", layer, entity)
            assert table_rows(tmp_path / "cluster", layer, entity) == local, (entity, layer)
            totals[layer] += len(local)
    # The comparison covers clean rows and every kind of defect, not empty tables.
    assert totals[layout.Layer.SILVER] > 1000
    assert totals[layout.Layer.QUARANTINE] > 20
