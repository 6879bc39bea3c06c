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


def stop_group(process: subprocess.Popen, grace_s: float = 20) -> None:
    """SIGTERM to the group `process` leads, SIGKILL to whatever is left after `grace_s`."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):  # the leader's children, or the leader
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
