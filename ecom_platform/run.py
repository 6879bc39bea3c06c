"""One in-process Dagster run over a range of daily partitions, as the CLI and demo use it.

The run goes through `daily_pipeline`, the job the schedule and the sensor
launch, with the instance from DAGSTER_HOME, so it is the same run a backfill
from the UI would make and it shows up in `dagster dev`.

A run killed hard (SIGKILL, the out-of-memory killer, power loss) cleans nothing up: its
Dagster run stays STARTED and keeps the `duckdb_warehouse` pool slot, and every later
run would wait for that slot forever. So each run records its worker (`host:pid:start`)
as a run tag, a new run first marks runs whose worker is gone as failed and frees
their slots, and while it waits for the pool it says who holds it and since when,
giving up after ECOM_WAREHOUSE_LOCK_TIMEOUT_S unless the holder is a live run here.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES
from dagster._utils.error import SerializableErrorInfo
from dagster._utils.interrupts import check_captured_interrupt

from ecom_platform.lib.entities import ENTITY_NAMES
from ecom_platform.lib.processes import describe_owner, owner_alive, owner_id
from ecom_platform.lib.summary import format_summary, summarize_entity
from ecom_platform.run_launcher import OWNER_TAG
from ecom_platform.settings import Settings

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
QUIET_LOGGERS = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
POOL_MESSAGE_EVERY_S = 30.0


@dataclass
class RunOutcome:
    success: bool
    run_id: str
    failed_steps: list[str] = field(default_factory=list)  # "step: one-line cause"
    failed_checks: list[str] = field(default_factory=list)
    not_materialized: list[str] = field(default_factory=list)
    tool_log: Path | None = None

    def report(self, settings: Settings, days: list[date]) -> str:
        dts = [d.isoformat() for d in days]
        lines = ["", f"Run {self.run_id}: {'succeeded' if self.success else 'FAILED'}", ""]
        lines += summary_lines(settings.lake_uri, dts)
        if self.failed_checks:
            lines += ["", "Failed quality checks:", *(f"  {c}" for c in self.failed_checks)]
        if self.failed_steps:
            lines += ["", "Failed steps:", *(f"  {s}" for s in self.failed_steps)]
        if self.not_materialized:
            lines += ["", f"Not materialized (stopped upstream): {len(self.not_materialized)}"]
            lines.append("  " + ", ".join(self.not_materialized))
        lines += gold_report_lines(settings)
        if self.tool_log:
            lines += ["", f"Log (dbt, Spark and Dagster, tracebacks included): {self.tool_log}"]
        return "\n".join(lines)


def summary_lines(lake_uri: str, dts: list[str]) -> list[str]:
    """The per-entity table; a lake that cannot be read gives one line, not a traceback."""
    try:
        return [format_summary([summarize_entity(lake_uri, e, dts) for e in ENTITY_NAMES])]
    except Exception as exc:
        return [f"(no summary: the lake {lake_uri} could not be read: {first_line(str(exc))})"]


def gold_report_lines(settings: Settings) -> list[str]:
    """The first questions asked of the warehouse, when gold exists and can be read."""
    if not settings.warehouse_path.exists():
        return []
    import duckdb

    from ecom_platform.lib.gold_report import format_gold_report

    try:
        return ["", format_gold_report(settings.warehouse_path)]
    except duckdb.Error as exc:
        return ["", f"(no gold report: {settings.warehouse_path}: {first_line(str(exc))})"]


def range_tags(start: date, end: date) -> dict[str, str]:
    return {RANGE_START_TAG: start.isoformat(), RANGE_END_TAG: end.isoformat()}


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def one_line_cause(error: SerializableErrorInfo) -> str:
    """The innermost error of a chain as one line: what a user reads to fix it.

    dbt's own error lines (model and file) come after dagster-dbt's preamble; a Py4J
    error's first line only names the JVM call, so the Java exception line is taken.
    """
    while error.cause is not None:
        error = error.cause
    message = error.message
    marker = "Errors parsed from dbt logs:"
    if marker in message:
        return "dbt: " + first_line(message.split(marker, 1)[1])
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith("An error occurred while calling")]
    text = (useful or lines or [error.cls_name or "unknown error"])[0].removeprefix(": ")
    if error.cls_name:  # "package.module.LockedError: the message" -> "the message"
        text = re.sub(rf"^[\w.]*\b{re.escape(error.cls_name)}: ", "", text)
    return text[:400]


def failed_check_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    lines = []
    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            continue
        description = evaluation.description or ""
        key = evaluation.asset_key.to_user_string()
        severity = evaluation.severity.value
        line = f"[{severity}] {key} {evaluation.check_name}: {description}".rstrip(": ")
        lines.append(line.replace("\n", "\n    "))
    return lines


def failed_step_lines(result: dg.ExecuteInProcessResult) -> list[str]:
    """`step: cause` per failed step, plus the run's own failure when no step carries it."""
    lines = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE and event.step_key:
            error = event.step_failure_data.error
            cause = one_line_cause(error) if error else "failed"
            lines.append(f"{event.step_key}: {cause}")
        elif event.event_type == dg.DagsterEventType.RUN_FAILURE and not lines:
            error = event.job_failure_data.error if event.job_failure_data else None
            if error is not None:
                lines.append(f"run: {one_line_cause(error)}")
    return lines


def unmaterialized_assets(result: dg.ExecuteInProcessResult, job: dg.JobDefinition) -> list[str]:
    """Assets of the run that a failed step or blocking check kept from running."""
    planned = job.asset_layer.executable_asset_keys
    done = {event.asset_key for event in result.get_asset_materialization_events()}
    return sorted(key.to_user_string() for key in planned - done)


def new_run_id() -> str:
    return str(uuid.uuid4())


def run_log_path(run_id: str) -> Path:
    """Each run's own log beside the run records: dbt, Spark and Dagster output, tracebacks."""
    folder = Path(os.environ["DAGSTER_HOME"]) / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"run-{stamp}-{run_id[:8]}.log"


def reap_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark in-progress runs whose worker process is gone as failed, and free the pool
    slots of every finished run; return one line per thing done.

    Only runs tagged with a worker on this host can be judged; runs the daemon launched
    are watched by Dagster's run monitoring (dagster.yaml), which frees their slots too.
    """
    notes = []
    for run in instance.get_runs(dg.RunsFilter(statuses=list(IN_PROGRESS_RUN_STATUSES))):
        owner = run.tags.get(OWNER_TAG)
        if owner and owner_alive(owner) is False:
            instance.report_run_failed(
                run, message=f"The run's worker ({describe_owner(owner)}) is gone (killed?)"
            )
            notes.append(f"run {run.run_id} died ({describe_owner(owner)} is gone): marked failed")
    storage = instance.event_log_storage
    if storage.supports_global_concurrency_limits:
        for run_id in sorted(storage.get_concurrency_run_ids()):
            run = instance.get_run_by_id(run_id)
            if run is None or run.is_finished:
                storage.free_concurrency_slots_for_run(run_id)
                notes.append(f"freed the pool slots still held by finished run {run_id}")
    return notes


class PoolWaitTimeout(Exception):
    """Raised in the main thread when the run waited too long for a pool slot."""


def holder_alive(instance: dg.DagsterInstance, run_id: str) -> bool:
    """True when the holder is a run whose worker is a live process on this host."""
    run = instance.get_run_by_id(run_id)
    owner = run.tags.get(OWNER_TAG) if run else None
    return bool(owner) and owner_alive(owner) is True


def holder_text(instance: dg.DagsterInstance, run_id: str) -> str:
    run = instance.get_run_by_id(run_id)
    owner = run.tags.get(OWNER_TAG) if run else None
    if owner is None:
        return f"run {run_id}"
    alive = {True: "alive", False: "gone", None: "on another host"}[owner_alive(owner)]
    return f"run {run_id} ({describe_owner(owner)}, {alive})"


class PoolWatcher(threading.Thread):
    """Watches this run's claim on a pool: reaps dead holders, says who it waits for and
    since when, and interrupts the main thread on Ctrl-C or once holders it cannot see
    alive (another host, a daemon-launched run) have kept the pool for `timeout_s`.
    Dagster's in-process wait never ends by itself and ignores Ctrl-C. A holder that is
    a live run on this host is waited for: it is building, and its turn ends."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        pool: str,
        timeout_s: float,
        say: Callable[[str], None],
    ) -> None:
        super().__init__(name="pool-watcher", daemon=True)
        self.instance, self.run_id, self.pool = instance, run_id, pool
        self.timeout_s, self.say = timeout_s, say
        self.cause: str | None = None
        self._stop_event = threading.Event()
        self._waiting_since: float | None = None
        self._last_message = 0.0
        self._unverified_since: float | None = None
        self.started_at = ""
        self.step_key = ""

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=5)

    def run(self) -> None:
        while not self._stop_event.wait(1.0):
            with contextlib.suppress(Exception):  # a busy SQLite read: try again next second
                self.check()

    def waiting(self) -> bool:
        info = self.instance.event_log_storage.get_concurrency_info(self.pool)
        mine = [
            step.step_key
            for step in info.pending_steps
            if step.run_id == self.run_id and step.assigned_timestamp is None
        ]
        self.step_key = mine[0] if mine else self.step_key
        return bool(mine)

    def check(self) -> None:
        if not self.waiting():
            self._waiting_since = None
            return
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since, self._last_message = now, 0.0
            self.started_at = datetime.now().strftime("%H:%M:%S")
        for note in reap_dead_runs(self.instance):
            self.say(note)
        info = self.instance.event_log_storage.get_concurrency_info(self.pool)
        holders = sorted({s.run_id for s in info.claimed_slots if s.run_id != self.run_id})
        held_by = ", ".join(holder_text(self.instance, r) for r in holders) or "nobody (freed)"
        working = any(holder_alive(self.instance, r) for r in holders)
        if not working:
            self._unverified_since = self._unverified_since or now
        else:
            self._unverified_since = None
        if now - self._last_message >= POOL_MESSAGE_EVERY_S:
            self._last_message = now
            limit = (
                "waiting while it runs"
                if working
                else f"giving up after {self.timeout_s:g} s (ECOM_WAREHOUSE_LOCK_TIMEOUT_S)"
            )
            self.say(
                f"waiting since {self.started_at} for pool {self.pool} (one dbt build at a "
                f"time), held by {held_by}; {limit}; Ctrl-C stops"
            )
        if check_captured_interrupt():
            self.give_up(f"interrupted (Ctrl-C) while waiting for pool {self.pool}")
        elif self._unverified_since is not None and now - self._unverified_since >= self.timeout_s:
            waited = now - self._waiting_since
            self.give_up(
                f"waited {waited:.0f} s (ECOM_WAREHOUSE_LOCK_TIMEOUT_S) for pool {self.pool}, "
                f"held by {held_by}"
            )

    def give_up(self, cause: str) -> None:
        if self.cause is None and self.waiting():
            self.cause = cause
            signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)


@contextlib.contextmanager
def interruptible_by_watcher() -> Iterator[None]:
    """While the block runs, SIGUSR1 (sent by the PoolWatcher) raises PoolWaitTimeout."""

    def handler(signum: int, frame: object) -> None:
        raise PoolWaitTimeout("gave up waiting for a pool slot")

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGUSR1, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGUSR1, previous)


class ConsoleFilter(io.TextIOBase):
    """stderr during the run: everything goes to the run log, only each record's first
    line to the console, so tracebacks stay in the log file."""

    def __init__(self, console: io.TextIOBase, log: io.TextIOBase) -> None:
        self.console, self.log = console, log

    def write(self, text: str) -> int:
        self.log.write(text)
        self.log.flush()
        head = text.split("\n", 1)[0]
        if head.strip():
            self.console.write(head + "\n")
            self.console.flush()
        return len(text)

    def flush(self) -> None:
        self.log.flush()
        self.console.flush()


def say(text: str) -> None:
    """A line for the user on the real console (stderr), whatever is redirected."""
    print(f"ecom-platform: {text}", file=sys.__stderr__, flush=True)


def run_all_assets(
    start: date, end: date, settings: Settings, run_id: str, log_path: Path
) -> RunOutcome:
    """Materialize every asset (and run every check) for the partitions start..end inclusive.

    Dagster's own log lines (stderr) show progress, one line each; tool output and
    tracebacks go to the run's log file.
    """
    from ecom_platform.definitions import defs
    from ecom_platform.defs.gold.assets import WAREHOUSE_POOL
    from ecom_platform.defs.jobs import DAILY_PIPELINE

    job = defs.resolve_job_def(DAILY_PIPELINE)
    with (
        dg.DagsterInstance.get() as instance,
        log_path.open("a") as tool_log,
        contextlib.redirect_stdout(tool_log),
        contextlib.redirect_stderr(ConsoleFilter(sys.stderr, tool_log)),
    ):
        for note in reap_dead_runs(instance):
            say(note)
        watcher = PoolWatcher(
            instance, run_id, WAREHOUSE_POOL, settings.warehouse_lock_timeout_s, say
        )
        watcher.start()
        try:
            with interruptible_by_watcher():
                result = job.execute_in_process(
                    instance=instance,
                    run_id=run_id,
                    tags={**range_tags(start, end), OWNER_TAG: owner_id()},
                    run_config=QUIET_LOGGERS,
                    raise_on_error=False,
                )
        finally:
            watcher.stop()
    failed_steps = failed_step_lines(result)
    if watcher.cause:
        failed_steps = [f"{watcher.step_key}: {watcher.cause}"]
    return RunOutcome(
        success=result.success,
        run_id=result.run_id,
        failed_steps=failed_steps,
        failed_checks=failed_check_lines(result),
        not_materialized=unmaterialized_assets(result, job),
        tool_log=log_path,
    )
