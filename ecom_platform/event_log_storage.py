"""Dagster's SQLite event log, with one pooled connection per database instead of one per event.

Dagster's `SqliteEventLogStorage` creates a SQLAlchemy engine for every event it stores,
opens a fresh SQLite connection (which parses the schema again), commits and throws both
away, and asks SQLite whether the asset-check table exists before every check event. A
scale-1 day stores about 800 events (step outputs, 200 asset checks, materializations),
so a run spent seconds of its own process on bookkeeping: 30% of the run process's samples
under py-spy. This subclass keeps one engine per database (the per-run shards and the
index), each pooling the connection it opened, and remembers that the asset-check table
exists. Everything else (schema, files, migrations) is Dagster's, so a home written by
either class reads with the other.

One thing the pool changes is kept as it was: the webserver follows a running run by
watching its `<run_id>.db` file for writes. A connection that stays open leaves commits
in the `-wal` file, so after each use of a run's database its log is checkpointed into
the database file, as closing the last connection did before.

It overrides `_connect`, a private method of Dagster 1.13's class, and uses its `_db_lock`,
`_initdb` and `_initialized_dbs`: pyproject pins dagster below 1.14, and
tests/test_event_log_storage.py runs it against Dagster's own reader and watcher, so an
upgrade that changes them fails there first.

Production uses PostgreSQL (deploy/dagster.prod.yaml), which pools already.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# The webserver and the daemon read many runs' databases over their life: an engine (and its
# open file) is kept for this many, the least recently used closed first.
OPEN_DATABASES = 16


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's default event log storage, under `<dagster_home>/history/runs/` as Dagster
    puts it, with pooled connections."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()  # guarded by `_db_lock`
        self._engines_pid = os.getpid()
        self._has_asset_check_table = False
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict:
        return {"dagster_home": StringSource}

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict
    ) -> PooledSqliteEventLogStorage:
        home = os.path.abspath(config_value["dagster_home"])
        return cls(os.path.join(home, "history", "runs", ""), inst_data=inst_data)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn:
                with conn.begin():
                    yield conn
                if shard != INDEX_SHARD_NAME:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _engine(self, shard: str) -> Engine:
        if os.getpid() != self._engines_pid:
            # A forked child must not use its parent's connections (SQLite forbids it).
            self._engines = OrderedDict()
            self._engines_pid = os.getpid()
        engine = self._engines.pop(shard, None) or self._new_engine(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_DATABASES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def _new_engine(self, shard: str) -> Engine:
        return create_engine(
            self.conn_string_for_shard(shard),
            # One connection kept; Dagster's schema set-up inspects through a second one.
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=1,
            # Used by whichever thread holds `_db_lock`, one at a time.
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )

    def _dispose_engines(self) -> None:
        while self._engines:
            self._engines.popitem()[1].dispose()

    @property
    def supports_asset_checks(self) -> bool:
        # Asked before every asset-check event; the table, once there, is never dropped.
        if not self._has_asset_check_table:
            self._has_asset_check_table = super().supports_asset_checks
        return self._has_asset_check_table

    def wipe(self) -> None:
        # The run databases are deleted: connections to them would write to unlinked files.
        with self._db_lock:
            self._dispose_engines()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            self._dispose_engines()
