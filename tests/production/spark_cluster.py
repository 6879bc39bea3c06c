"""A Spark standalone cluster (one master, one worker) from the installed pyspark, on loopback.

The pyspark wheel has no `sbin/start-*.sh`, but `bin/spark-class` starts the master and
worker classes directly. Both bind 127.0.0.1 (SPARK_LOCAL_IP), as does every driver
started with `environment()`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyspark

from tests.conftest import free_port

SPARK_HOME = Path(pyspark.__file__).parent
WORKER_MEMORY = "1200m"  # above the executors' default 1g
WORKER_CORES = 2


def environment() -> dict[str, str]:
    """For the cluster's JVMs and the drivers: loopback only, this interpreter for Python."""
    return {
        **os.environ,
        "SPARK_HOME": str(SPARK_HOME),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,
    }


def spark_class(main_class: str, *arguments: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(SPARK_HOME / "bin" / "spark-class"), main_class, *arguments],
            env=environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # spark-class execs java; the group holds all of it
        )


@dataclass
class SparkCluster:
    master_url: str
    web_ui: str
    processes: list[subprocess.Popen]

    def status(self) -> dict:
        """The master's JSON status page: workers, running and completed applications."""
        with urllib.request.urlopen(f"{self.web_ui}/json/", timeout=5) as response:
            return json.load(response)

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def wait_for_worker(cluster: SparkCluster, deadline_s: float = 90) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in cluster.processes):
            raise RuntimeError("a Spark cluster process exited during start-up")
        try:
            if any(w["state"] == "ALIVE" for w in cluster.status()["workers"]):
                return
        except OSError:
            pass  # the master's web UI is not up yet
        time.sleep(1)
    raise RuntimeError(f"no Spark worker registered within {deadline_s}s")


def start_cluster(log_dir: Path) -> SparkCluster:
    port, ui_port, worker_ui = free_port(), free_port(), free_port()
    master = spark_class(
        "org.apache.spark.deploy.master.Master",
        *("--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui_port)),
        log=log_dir / "master.log",
    )
    master_url = f"spark://127.0.0.1:{port}"
    worker = spark_class(
        "org.apache.spark.deploy.worker.Worker",
        *("--host", "127.0.0.1", "--webui-port", str(worker_ui)),
        *("--cores", str(WORKER_CORES), "--memory", WORKER_MEMORY),
        *("--work-dir", str(log_dir / "work"), master_url),
        log=log_dir / "worker.log",
    )
    cluster = SparkCluster(master_url, f"http://127.0.0.1:{ui_port}", [master, worker])
    try:
        wait_for_worker(cluster)
    except RuntimeError:
        cluster.stop()
        logs = "\n".join((log_dir / n).read_text()[-1500:] for n in ("master.log", "worker.log"))
        raise RuntimeError(f"the Spark cluster did not start:\n{logs}") from None
    return cluster
