"""The local run launcher: Dagster's default one, with run workers that run monitoring can check.

The default launcher cannot tell a run worker killed hard (SIGKILL, the out-of-memory
killer) from a live one, so such a run stays STARTED: it keeps its place in the run queue
(one run at a time) and its `duckdb_warehouse` pool slot, and every later run the daemon
launches waits behind it forever. This launcher answers Dagster's run monitoring
(`dagster.yaml`: `run_monitoring`), which then marks the dead run failed; the slots of a
finished run are freed after `free_slots_after_run_end_seconds`.

A run worker is judged only on this host: a run of `ecom-platform run` by its worker tag,
a daemon-launched run by the pid its worker logged when it started ("Started process for
run"), when the code server that spawned it is local. A pid is the worker only if that
process started before the worker logged it (pids are recycled).
"""

from __future__ import annotations

import json
import socket

from dagster import DagsterEventType, DagsterRun, DefaultRunLauncher
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster._core.storage.tags import GRPC_INFO_TAG

from ecom_platform.lib.processes import describe_owner, owner_alive, process_started_at

OWNER_TAG = "ecom-platform/worker"  # host:pid:start of the process running a CLI run
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
CLOCK_SLACK_S = 1.0  # process start times are read in clock ticks


class LocalRunLauncher(DefaultRunLauncher):
    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        owner = run.tags.get(OWNER_TAG)
        if owner is not None:
            return owner_health(owner)
        if not spawned_here(run):
            return CheckRunHealthResult(WorkerStatus.UNKNOWN, "run worker on another host")
        started = self.worker_start(run)
        if started is None:
            return CheckRunHealthResult(WorkerStatus.UNKNOWN, "run worker not started yet")
        pid, logged_at = started
        return pid_health(pid, logged_at)

    def worker_start(self, run: DagsterRun) -> tuple[int, float] | None:
        """The newest (pid, time) a run worker of this run logged when it started."""
        for entry in reversed(
            self._instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT)
        ):
            event = entry.dagster_event
            data = event.engine_event_data if event else None
            pid = data.metadata.get("pid") if data else None
            if pid is not None and str(pid.value).isdigit():
                return int(pid.value), entry.timestamp
        return None


def owner_health(owner: str) -> CheckRunHealthResult:
    alive = owner_alive(owner)
    text = f"worker {describe_owner(owner)}"
    if alive is None:
        return CheckRunHealthResult(WorkerStatus.UNKNOWN, f"{text} runs elsewhere")
    if alive:
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"{text} is alive")
    return CheckRunHealthResult(WorkerStatus.FAILED, f"{text} is gone (killed?)")


def pid_health(pid: int, logged_at: float) -> CheckRunHealthResult:
    started_at = process_started_at(pid)
    text = f"run worker pid {pid} on {socket.gethostname()}"
    if started_at is not None and started_at <= logged_at + CLOCK_SLACK_S:
        return CheckRunHealthResult(WorkerStatus.RUNNING, f"{text} is alive")
    return CheckRunHealthResult(WorkerStatus.FAILED, f"{text} is gone (killed?)")


def spawned_here(run: DagsterRun) -> bool:
    """True when the run's code server (which spawns its worker) is on this host."""
    try:
        grpc = json.loads(run.tags.get(GRPC_INFO_TAG, "{}"))
    except ValueError:
        return False
    host = grpc.get("host")
    return "socket" in grpc or host in LOCAL_HOSTS or host == socket.gethostname()
