"""Stopping a server the tests started together with every process it started.

Servers are started as the leader of a new session (`start_new_session=True`), so their
children (a webserver's or daemon's code server, `dagster dev`'s webserver and daemon) are
in its process group. Killing only the leader would leave a code server running until its
heartbeat times out, after the suite has ended.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time


def stop_group(process: subprocess.Popen, grace_s: float = 20) -> None:
    """SIGTERM to the group `process` leads, SIGKILL to whatever is left after `grace_s`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):  # the leader's children, or the leader
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# Every process a test session starts inherits this variable (xdist workers included), so
# the session can find, at its end, whatever is still running that it started.
SESSION_MARKER = "ECOM_TEST_SESSION"


def processes_with(variable: str, value: str) -> dict[int, str]:
    """pid -> command line of every process whose environment has variable=value, but this
    one and its own children (helpers that end with it: Spark's JVM, multiprocessing's
    resource tracker); in an xdist run the tests' processes are the workers' children."""
    wanted = f"{variable}={value}".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid() or parent(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if wanted not in environ.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                found[int(entry)] = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def parent(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def left_running(variable: str, value: str, patience_s: float = 30) -> dict[int, str]:
    """The marked processes still alive after `patience_s` (workers may still be exiting)."""
    deadline = time.monotonic() + patience_s
    while (alive := processes_with(variable, value)) and time.monotonic() < deadline:
        time.sleep(1)
    return alive
