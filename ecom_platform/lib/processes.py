"""Which process owns something, and whether that process still lives.

A run killed with SIGKILL (or by the out-of-memory killer) cleans nothing up: its
Dagster run stays STARTED and keeps its pool slot, and its folders stay behind. The
owner's identity is recorded as `host:pid:start` (start = the kernel's start tick of the
process, so a recycled pid is not mistaken for the dead owner), and a later process on
the same host can then tell a dead owner from a live one.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def process_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22; the command name (field 2) is in parentheses and may hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def process_started_at(pid: int) -> float | None:
    """When the process started (seconds since the epoch), or None when it is gone."""
    ticks = process_start(pid)
    if not ticks:
        return None
    boot = next(
        int(line.split()[1])
        for line in Path("/proc/stat").read_text().splitlines()
        if line.startswith("btime ")
    )
    return boot + int(ticks) / os.sysconf("SC_CLK_TCK")


def owner_id(pid: int | None = None) -> str:
    """`host:pid:start` of this process (or of `pid` on this host)."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{process_start(pid)}"


def owner_alive(owner: str) -> bool | None:
    """True/False for an owner on this host; None when it runs elsewhere or is unreadable."""
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    return not start or process_start(pid) in ("", start)


def describe_owner(owner: str) -> str:
    host, _, rest = owner.partition(":")
    return f"pid {rest.partition(':')[0]} on {host}"
