"""`make dev` serves the code location: the real webserver loads workspace.yaml on loopback
and its GraphQL API lists every asset of the platform."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.processes import stop_group

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ASSET_KEYS_QUERY = "{ assetNodes { assetKey { path } } }"


def graphql(url: str, query: str) -> dict:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_for_assets(url: str, process: subprocess.Popen, deadline_s: float = 120) -> list[str]:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the webserver exited"
        try:
            nodes = graphql(url, ASSET_KEYS_QUERY)["data"]["assetNodes"]
        except (OSError, KeyError, TypeError):
            nodes = []  # still starting, or the code location is still loading
        if nodes:
            return ["/".join(node["assetKey"]["path"]) for node in nodes]
        time.sleep(1)
    raise AssertionError(f"no assets served within {deadline_s}s")


def test_the_webserver_serves_every_asset_from_the_workspace(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its code server is in its group: stopped with it
    )
    try:
        keys = wait_for_assets(f"http://127.0.0.1:{port}", process)
    finally:
        stop_group(process)
    reviewed = json.loads((ROOT / "tests" / "snapshots" / "definitions_local.json").read_text())[
        "assets"
    ]
    assert sorted(keys) == sorted(reviewed)
