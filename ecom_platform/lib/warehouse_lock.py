"""Waiting, for a bounded time, until the DuckDB warehouse file can be written.

DuckDB lets one process write a file at a time; anyone else (a second run on another
DAGSTER_HOME, a notebook, a SQL client) makes dbt fail at once with a lock error. A run
retries for ECOM_WAREHOUSE_LOCK_TIMEOUT_S instead, saying who holds the file, then fails
with one line naming the file and the holder.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb


class WarehouseLockedError(RuntimeError):
    """The warehouse file stayed locked by another process for the whole timeout."""


def lock_conflict(path: Path) -> str | None:
    """DuckDB's one-line lock message when another process holds `path`, else None."""
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as exc:
        message = str(exc).splitlines()[0]
        if "lock" in message.lower():
            return message
        raise
    return None


def wait_for_warehouse(
    path: Path, timeout_s: float, say: Callable[[str], None], poll_s: float = 1.0
) -> float:
    """Return the seconds waited once `path` is free; raise WarehouseLockedError at timeout."""
    started = time.monotonic()
    conflict = lock_conflict(path)
    if conflict is None:
        return 0.0
    say(
        f"warehouse {path} is busy ({conflict}); retrying for up to {timeout_s:g} s "
        "(ECOM_WAREHOUSE_LOCK_TIMEOUT_S)"
    )
    while conflict is not None:
        waited = time.monotonic() - started
        if waited >= timeout_s:
            raise WarehouseLockedError(
                f"warehouse {path} stayed locked by another process for {waited:.0f} s "
                f"(ECOM_WAREHOUSE_LOCK_TIMEOUT_S={timeout_s:g}): {conflict}"
            )
        time.sleep(poll_s)
        conflict = lock_conflict(path)
    waited = time.monotonic() - started
    say(f"warehouse {path} is free after {waited:.0f} s; building gold")
    return waited
