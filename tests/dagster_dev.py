"""A real `dagster dev` (webserver, daemon, code server) on a free loopback port with its own
DAGSTER_HOME, for the browser test and the operated bench scenario (bench/operated.py).

`dagster dev` starts its children in the process group it leads here, so stopping
the group stops every process the helper started, and nothing else.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.processes import stop_group

ROOT = Path(__file__).resolve().parent.parent
LOCATION = "ecom_platform"
REPOSITORY = "__repository__"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DagsterDev:
    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, deadline_s: float = 180) -> DagsterDev:
        self.home.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "dagster.yaml", self.home / "dagster.yaml")
        dagster = Path(sys.executable).parent / "dagster"
        log = (self.home / "dagster-dev.log").open("wb")
        self.process = subprocess.Popen(
            [str(dagster), "dev", "-h", "127.0.0.1", "-p", str(self.port), "-w", "workspace.yaml"],
            cwd=ROOT,
            env={
                **os.environ,
                **self.env,
                "DAGSTER_HOME": str(self.home),
                "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_for_assets(deadline_s)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_for_assets(self, deadline_s: float) -> None:
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dagster dev exited; see {self.home / 'dagster-dev.log'}")
            try:
                if self.graphql("{ assetNodes { id } }")["data"]["assetNodes"]:
                    return
            except (OSError, KeyError, TypeError):
                pass  # still starting, or the code location is still loading
            time.sleep(1)
        raise RuntimeError(f"no assets served within {deadline_s}s")

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def stop(self) -> None:
        """SIGTERM to the group `dagster dev` leads, SIGKILL to what is left after 20 s."""
        if self.process is not None:
            stop_group(self.process)

    def __enter__(self) -> DagsterDev:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # What the tests and the bench ask of the running instance.

    def launch_run(self, tags: dict[str, str], job: str = "daily_pipeline") -> str:
        result = self.graphql(
            """mutation($params: ExecutionParams!) { launchRun(executionParams: $params) {
                __typename ... on LaunchRunSuccess { run { runId } }
                ... on PythonError { message } ... on InvalidSubsetError { message } } }""",
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": LOCATION,
                        "repositoryName": REPOSITORY,
                        "jobName": job,
                    },
                    "executionMetadata": {
                        "tags": [{"key": k, "value": v} for k, v in tags.items()]
                    },
                }
            },
        )["data"]["launchRun"]
        if result["__typename"] != "LaunchRunSuccess":
            raise RuntimeError(f"launchRun: {result}")
        return result["run"]["runId"]

    def run_status(self, run_id: str) -> dict:
        return self.graphql(
            """query($id: ID!) { runOrError(runId: $id) { ... on Run {
                status creationTime startTime endTime } } }""",
            {"id": run_id},
        )["data"]["runOrError"]

    def wait_for_run(self, run_id: str, deadline_s: float = 900) -> dict:
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            run = self.run_status(run_id)
            if run["status"] in ("SUCCESS", "FAILURE", "CANCELED"):
                return run
            time.sleep(1)
        raise RuntimeError(f"run {run_id} not finished within {deadline_s}s")

    def start_sensor(self, name: str) -> None:
        result = self.graphql(
            """mutation($s: SensorSelector!) { startSensor(sensorSelector: $s) {
                __typename ... on PythonError { message } } }""",
            {
                "s": {
                    "repositoryLocationName": LOCATION,
                    "repositoryName": REPOSITORY,
                    "sensorName": name,
                }
            },
        )["data"]["startSensor"]
        if result["__typename"] != "Sensor":
            raise RuntimeError(f"startSensor: {result}")

    def materialization_times(self, asset_path: list[str], partition: str) -> list[float]:
        """Timestamps (s) of the asset partition's materializations, newest first."""
        asset = self.graphql(
            """query($key: AssetKeyInput!, $p: [String!]) { assetOrError(assetKey: $key) {
                ... on Asset { assetMaterializations(partitions: $p, limit: 5) {
                    timestamp } } } }""",
            {"key": {"path": asset_path}, "p": [partition]},
        )["data"]["assetOrError"]
        return [float(m["timestamp"]) / 1000 for m in asset.get("assetMaterializations", [])]
