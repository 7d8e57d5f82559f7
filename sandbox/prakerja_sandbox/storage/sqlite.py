"""SQLite implementation of :class:`~prakerja_sandbox.storage.base.Store`.

A file database runs in WAL mode with one connection per thread; every write transaction starts with
``BEGIN IMMEDIATE``, which takes SQLite's write lock up front, so concurrent writers (threads or worker
processes) queue instead of interleaving. ``":memory:"`` keeps one connection shared by all threads of the
process behind a lock, so every thread sees the same database.

File connections use ``synchronous = NORMAL``: in WAL mode a commit is in the WAL file before it returns, so
killing the process loses nothing committed, while the fsync per commit of ``FULL`` is skipped (it would cap
all writers of the sandbox together at a few hundred commits a second). Only a power cut or an
operating-system crash can lose the last commits.

Writers of a file database queue for their turn before ``BEGIN IMMEDIATE``: threads of one process on a
lock, processes on an exclusive ``flock`` of ``<database>-writer``. Both wake the next writer the moment the
current one commits. Left to SQLite alone, a writer that finds the database locked sleeps and polls (1, 2,
5, 10 ... 100 ms), which under load turned a 0.2 ms commit into answers hundreds of milliseconds late.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from prakerja_sandbox.storage.base import KEPT_TABLES, Params, Row
from prakerja_sandbox.storage.migrations import LEDGER, migrations
from prakerja_sandbox.storage.text_search import report_unindexed

if sys.platform != "win32":
    import fcntl

__all__ = ["SqliteStore"]


def _dict_row(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


def features(connection: sqlite3.Connection) -> frozenset[str]:
    """What this SQLite offers of the features a migration may need (``-- needs:``): ``fts5-trigram``."""
    try:
        connection.execute("CREATE VIRTUAL TABLE temp.prakerja_probe USING fts5(x, tokenize = 'trigram')")
    except sqlite3.OperationalError:  # no such module: fts5, or no such tokenizer: trigram (before 3.34)
        return frozenset()
    connection.execute("DROP TABLE temp.prakerja_probe")
    return frozenset({"fts5-trigram"})


def migrate(connection: sqlite3.Connection) -> None:
    """Apply the SQLite migrations ``connection``'s database lacks (the caller keeps other writers out).

    A migration needing a feature this SQLite lacks is recorded without running (see
    :mod:`~prakerja_sandbox.storage.migrations`); the features are probed only when such a migration is due.
    """
    connection.execute(LEDGER)
    done = {row["version"] for row in connection.execute("SELECT version FROM schema_migrations")}
    pending = [migration for migration in migrations("sqlite") if migration.version not in done]
    offered = features(connection) if any(migration.needs for migration in pending) else frozenset()
    for migration in pending:
        applied_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = migration.sql if migration.needs <= offered else "-- needs what this SQLite lacks"
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{body}\n;INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({migration.version}, '{migration.name}', '{applied_at}');\nCOMMIT;"
        )


#: the FTS5 table of migration 0007 (a virtual table: a wipe empties it with its own command)
_TEXT_INDEX = "request_log_fts"
#: the tables FTS5 keeps an index in, named after its virtual table
_FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


class _SqliteTx:
    """A :class:`~prakerja_sandbox.storage.base.Tx` over one connection."""

    __slots__ = ("_connection", "text_index")

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, text_index: bool = False) -> None:
        self._connection = connection
        self.text_index = text_index

    def execute(self, sql: str, params: Params = ()) -> int:
        return self._connection.execute(sql, params).rowcount

    def insert(self, sql: str, params: Params = ()) -> int:
        row_id = self._connection.execute(sql, params).lastrowid
        return int(row_id) if row_id is not None else 0

    def one(self, sql: str, params: Params = ()) -> Row | None:
        row: Row | None = self._connection.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        return list(self._connection.execute(sql, params).fetchall())

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self._connection.execute(sql, params).fetchone()
        return None if row is None else next(iter(row.values()))

    def iterate(self, sql: str, params: Params = ()) -> Iterator[Row]:
        yield from self._connection.execute(sql, params)


class _ThreadState(threading.local):
    depth: int = 0
    tx: _SqliteTx | None = None
    connection: sqlite3.Connection | None = None


class SqliteStore:
    """The sandbox state in SQLite (a file path or ``":memory:"``)."""

    dialect = "sqlite"

    def __init__(self, database: str = ":memory:", *, busy_timeout_seconds: float = 10.0) -> None:
        self.database = database
        self._memory = database == ":memory:"
        self._busy_timeout = busy_timeout_seconds
        self._thread = _ThreadState()
        self._connections: list[sqlite3.Connection] = []
        self._registry_lock = threading.Lock()
        # In memory there is one connection; this lock gives one thread at a time the whole database.
        self._memory_lock = threading.RLock()
        # A file database: writers of this process queue here, processes on the writer file's flock.
        self._writer_lock = threading.Lock()
        self._writer_file: int | None = None
        self._shared: sqlite3.Connection | None = self._open() if self._memory else None
        connection = self._connection()
        if not self._memory:
            connection.execute("PRAGMA journal_mode=WAL")
        with self._memory_lock, nullcontext() if self._memory else self._writer_turn():
            migrate(connection)
        #: the request log's substring index (migration 0007) exists: see storage/text_search.py
        self.text_index = _has_table(connection, _TEXT_INDEX)
        if not self.text_index:
            report_unindexed(
                f"SQLite {database}",
                f"SQLite {sqlite3.sqlite_version} lacks FTS5's trigram tokenizer, or lacked it at migration 0007",
            )

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.database,
            timeout=self._busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.row_factory = _dict_row
        connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        connection.execute("PRAGMA foreign_keys = ON")
        if not self._memory:
            connection.execute("PRAGMA synchronous = NORMAL")  # per connection: see the module docstring
        with self._registry_lock:
            self._connections.append(connection)
        return connection

    def _connection(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        if self._thread.connection is None:
            self._thread.connection = self._open()
        return self._thread.connection

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """Wait for this writer's turn among the threads and processes writing to the file."""
        with self._writer_lock:
            if sys.platform == "win32":
                yield
                return
            if self._writer_file is None:
                self._writer_file = os.open(f"{self.database}-writer", os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self._writer_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._writer_file, fcntl.LOCK_UN)

    @contextmanager
    def _session(self, begin: str) -> Iterator[_SqliteTx]:
        state = self._thread
        if state.depth > 0 and state.tx is not None:
            state.depth += 1
            try:
                yield state.tx
            finally:
                state.depth -= 1
            return
        lock = self._memory_lock if self._memory else None
        writer = lock is None and begin == "BEGIN IMMEDIATE"
        if lock is not None:
            lock.acquire()
        try:
            with self._writer_turn() if writer else nullcontext():
                connection = self._connection()
                connection.execute(begin)
                state.tx = _SqliteTx(connection, self.text_index)
                state.depth = 1
                try:
                    yield state.tx
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                else:
                    connection.execute("COMMIT")
                finally:
                    state.depth = 0
                    state.tx = None
        finally:
            if lock is not None:
                lock.release()

    @contextmanager
    def transaction(self) -> Iterator[_SqliteTx]:
        """A serialised write transaction (``BEGIN IMMEDIATE``)."""
        with self._session("BEGIN IMMEDIATE") as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[_SqliteTx]:
        """A consistent read snapshot (``BEGIN``)."""
        with self._session("BEGIN") as tx:
            yield tx

    def wipe(self) -> None:
        """Delete every row of every table but the store's own (:data:`KEPT_TABLES`), children first.

        The triggers of the emptied tables are dropped for the wipe and made again in the same transaction.
        SQLite empties a table with a ``DELETE`` trigger row by row, firing it for each (10 s instead of 2 s
        for a request log of 1,000,000 rows), and what the triggers keep is in tables emptied here too. An
        FTS5 index (the request log's, migration 0007) is emptied with its ``delete-all`` command, never by
        deleting from the tables it keeps its index in.
        """
        with self.transaction() as tx:
            found = tx.all(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY rowid DESC"
            )
            virtual = [row["name"] for row in found if row["sql"].upper().startswith("CREATE VIRTUAL TABLE")]
            shadows = {f"{name}{suffix}" for name in virtual for suffix in _FTS5_SHADOWS}
            tables = [
                row["name"]
                for row in found
                if row["name"] not in KEPT_TABLES
                and row["name"] not in shadows
                and row["name"] not in virtual
            ]
            triggers = [
                row
                for row in tx.all("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
                if row["tbl_name"] in tables
            ]
            for trigger in triggers:
                tx.execute(f'DROP TRIGGER "{trigger["name"]}"')
            for table in tables:
                tx.execute(f'DELETE FROM "{table}"')
            for name in virtual:
                tx.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'delete-all\')')
            for trigger in triggers:
                tx.execute(trigger["sql"])
            if tx.one("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"):
                marks = ", ".join("?" * len(tables))
                tx.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", tables)

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._registry_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._shared = None
        self._thread.connection = None
        with self._writer_lock:
            if self._writer_file is not None:
                os.close(self._writer_file)
                self._writer_file = None
