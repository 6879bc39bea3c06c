"""How the benchmark measures: a command's wall time and the peak memory of its process tree,
and where a Dagster run spent its time, step by step, from the run's own event log."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Measured:
    seconds: float
    peak_rss_mib: float
    returncode: int
    output: str = ""


def tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants (the Spark JVM is a child).

    A child that has not yet exec'd (its command line is its parent's) is not counted: the
    JVM starts each subprocess (Hadoop's `chmod` on local files, for one) through
    posix_spawn, whose child shares the JVM's memory until it execs, yet for that moment
    reports the JVM's whole resident set as its own (counted, a 2.2 GiB JVM read as 4.4).
    Each command line is read before the memory: a child seen with its own command line has
    exec'd, so the memory read after it is its own, even when the exec fell between reads."""
    children: dict[int, list[int]] = {}
    commands: dict[int, bytes | None] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        command = command_line(pid)
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(pid)
        commands[pid], rss[pid] = command, int(fields[21]) * PAGE_KIB
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(kid for kid in children.get(pid, []) if commands[kid] != commands.get(pid))
    return total


def command_line(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return None


def run_measured(
    command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None
) -> Measured:
    """Run a command to completion, sampling its tree's memory every 0.2 s."""
    started = time.perf_counter()
    with subprocess.Popen(
        list(command),
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        peak = [0]

        def sample() -> None:
            while process.poll() is None:
                peak[0] = max(peak[0], tree_rss_kib(process.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        output = process.communicate()[0]
        sampler.join()
    return Measured(time.perf_counter() - started, peak[0] / 1024, process.returncode, output)


@dataclass
class RunSteps:
    """Seconds per step of one Dagster run; the rest of the wall time is start-up."""

    seconds: dict[str, float] = field(default_factory=dict)

    def stage(self, prefix: str) -> float:
        return round(sum(s for key, s in self.seconds.items() if key.startswith(prefix)), 2)


def run_steps(dagster_home: Path) -> RunSteps:
    """Step durations of the newest run recorded in `dagster_home`."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(dagster_home)
    with dg.DagsterInstance.get() as instance:
        (run,) = instance.get_runs(limit=1)
        started: dict[str, float] = {}
        steps = RunSteps()
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None or not event.step_key:
                continue
            if event.event_type_value == "STEP_START":
                started[event.step_key] = record.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                begun = started.get(event.step_key, record.timestamp)
                steps.seconds[event.step_key] = record.timestamp - begun
        return steps
