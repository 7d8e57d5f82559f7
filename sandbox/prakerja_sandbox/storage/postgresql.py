"""PostgreSQL implementation of :class:`~prakerja_sandbox.storage.base.Store` (psycopg 3).

Several sandbox instances, on one host or many, pointed at one database behave as one sandbox: every piece of
state (clock offset, faults, settings, SMS inbox, request log) is in the database, and writes are exclusive
across all of them.

**Why a lock and not serialisable retries.** The domain code is written as read-check-write inside one
:meth:`~PostgresStore.transaction` (the seat count, the token's ``used_at``, the redeem code's status), which
SQLite runs one writer at a time (``BEGIN IMMEDIATE``). Here every write transaction first takes one
transaction-scoped advisory lock (``pg_advisory_xact_lock``) keyed by the schema it works in, so writers of one
sandbox queue exactly as in SQLite, whichever instance they run in, while sandboxes in other schemas of the
same database (``?schema=``) write in parallel. ``SERIALIZABLE`` with retry would instead need every transaction body to be safe to run twice
(it is not: bodies hand out random tokens and sleep for injected latency), and row locks (``FOR UPDATE``) at
every check would leave inserts of new unique things (an SSO code, a binding) to constraint errors. The lock is
released by ``COMMIT`` or ``ROLLBACK``, also when the connection dies (a killed instance leaves nothing held).
Reads run ``REPEATABLE READ READ ONLY``: one consistent snapshot, never blocked by writers.

SQL arrives in the sandbox's portable subset (see :mod:`prakerja_sandbox.storage.base`) with ``?``
placeholders; it is rewritten once per statement text for psycopg (``%s``, ``%`` doubled) and prepared by the
server after a few runs (psycopg's ``prepare_threshold``). Transactions borrow connections from a small pool
(see :class:`PostgresStore`); a connection found broken (the server restarted) is replaced by a new one.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql as pgsql

from prakerja_sandbox.storage.base import KEPT_TABLES, Params, Row
from prakerja_sandbox.storage.migrations import LEDGER, migrations
from prakerja_sandbox.storage.text_search import report_unindexed

__all__ = ["PostgresStore", "split_schema", "translate"]

#: the advisory lock (one per database) held while migrations run, whichever instance starts first
_MIGRATION_LOCK = 0x5052414B  # "PRAK"


def split_schema(url: str) -> tuple[str, str | None]:
    """``url`` without its ``schema`` query parameter (the sandbox's, not libpq's), and that parameter."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [value for key, value in query if key == "schema"]
    kept = urlencode([(key, value) for key, value in query if key != "schema"])
    return urlunsplit(parts._replace(query=kept)), (schemas[-1] if schemas else None)


@lru_cache(maxsize=4096)
def translate(statement: str) -> tuple[str, bool]:
    """``statement`` with psycopg placeholders, and whether its select list names ``rowid``.

    ``?`` outside quoted text and identifiers becomes ``%s``; every ``%`` is doubled (``LIKE '999%'``).
    """
    out: list[str] = []
    quote = ""
    for char in statement:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    head = statement.upper().split(" FROM ", 1)[0]
    return "".join(out), "ROWID" in head


def _params(params: Params) -> Params:
    """Booleans as 0/1, as SQLite stores them (the columns are integers)."""
    if isinstance(params, Mapping):
        return {
            key: int(value) if value is True or value is False else value for key, value in params.items()
        }
    if any(value is True or value is False for value in params):
        return [int(value) if value is True or value is False else value for value in params]
    return params


def _rows(cursor: psycopg.Cursor[Any], keep_rowid: bool) -> Iterator[Row]:
    if cursor.description is None:
        return
    names = [column.name for column in cursor.description]
    drop = -1 if keep_rowid or "rowid" not in names else names.index("rowid")
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        if drop >= 0:
            del row["rowid"]  # SQLite's `SELECT *` leaves the implicit rowid out; so does this store
        yield row


class _PostgresTx:
    """A :class:`~prakerja_sandbox.storage.base.Tx` over one connection."""

    __slots__ = ("_connection", "_keys", "text_index")

    dialect = "postgresql"

    def __init__(
        self, connection: psycopg.Connection[Any], keys: Mapping[str, str], text_index: bool = False
    ) -> None:
        self._connection = connection
        self._keys = keys
        self.text_index = text_index

    def _run(self, sql: str, params: Params) -> tuple[psycopg.Cursor[Any], bool]:
        statement, keep_rowid = translate(sql)
        cursor = self._connection.cursor()
        cursor.execute(statement, _params(params))  # translated from the sandbox's own SQL
        return cursor, keep_rowid

    def execute(self, sql: str, params: Params = ()) -> int:
        cursor, _ = self._run(sql, params)
        return cursor.rowcount

    def insert(self, sql: str, params: Params = ()) -> int:
        words = sql.split(None, 3)
        key = self._keys.get(words[2].split("(")[0].lower(), "") if len(words) > 2 else ""
        if not key or " RETURNING " in sql.upper():
            self.execute(sql, params)
            return 0
        cursor, _ = self._run(f"{sql} RETURNING {key}", params)
        row = cursor.fetchone()
        return 0 if row is None else int(row[0])

    def one(self, sql: str, params: Params = ()) -> Row | None:
        cursor, keep_rowid = self._run(sql, params)
        return next(_rows(cursor, keep_rowid), None)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        cursor, keep_rowid = self._run(sql, params)
        return list(_rows(cursor, keep_rowid))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        cursor, _ = self._run(sql, params)
        row = cursor.fetchone()
        return None if row is None else row[0]

    def iterate(self, sql: str, params: Params = ()) -> Iterator[Row]:
        cursor, keep_rowid = self._run(sql, params)
        yield from _rows(cursor, keep_rowid)


class _ThreadState(threading.local):
    """The open transaction of a thread (of a greenlet, under gevent's monkey-patching)."""

    depth: int = 0
    tx: _PostgresTx | None = None


class PostgresStore:
    """The sandbox state in one schema of a PostgreSQL database (``postgresql://user:pass@host:port/db``).

    The schema is ``schema``, else the URL's own ``schema`` query parameter (``...?schema=team_a``), else
    ``public``; it is created when missing.

    A transaction borrows one of at most ``pool_size`` connections and gives it back when it ends; a
    transaction that finds all of them busy waits for one. So the connections a worker holds stay bounded
    whether it serves with threads or with greenlets (gevent makes psycopg's waits cooperative, so many
    requests of one worker may be in the database at once).
    """

    dialect = "postgresql"

    def __init__(
        self, url: str, *, schema: str | None = None, pool_size: int = 10, connect_timeout_seconds: int = 10
    ) -> None:
        self.url = url
        self.database, url_schema = split_schema(url)
        self.schema = schema or url_schema or "public"
        self._connect_timeout = connect_timeout_seconds
        #: writers of this schema queue on this advisory lock, across every instance
        self._writer_key = zlib.crc32(f"prakerja_sandbox:{self.schema}".encode())
        self._thread = _ThreadState()
        self._idle: list[psycopg.Connection[Any]] = []
        self._idle_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(pool_size)
        self._closed = False
        self._keys: dict[str, str] = {}
        #: the request log's substring indexes (migration 0007) exist: see storage/text_search.py
        self.text_index = False
        self._migrate()
        if not self.text_index:
            report_unindexed(
                f"PostgreSQL schema {self.schema}",
                "no pg_trgm indexes: migration 0007 could not create pg_trgm",
            )

    def _open(self) -> psycopg.Connection[Any]:
        connection = psycopg.connect(
            self.database,
            autocommit=True,
            connect_timeout=self._connect_timeout,
            application_name="prakerja-sandbox",
        )
        connection.execute(pgsql.SQL("SET search_path TO {}").format(pgsql.Identifier(self.schema)))
        return connection

    @contextmanager
    def _borrowed(self) -> Iterator[psycopg.Connection[Any]]:
        """An idle connection (a new one when none is idle), given back afterwards unless it broke."""
        self._slots.acquire()
        try:
            with self._idle_lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None or connection.closed or connection.broken:
                self._closed = False  # a closed store opens connections again when used, as SQLite's does
                connection = self._open()
            try:
                yield connection
            finally:
                if connection.broken or connection.closed or self._closed:
                    connection.close()
                else:
                    with self._idle_lock:
                        self._idle.append(connection)
        finally:
            self._slots.release()

    def _migrate(self) -> None:
        """Create the schema and apply the migrations it lacks (one instance at a time)."""
        with self._borrowed() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            connection.execute(
                pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(pgsql.Identifier(self.schema))
            )
            connection.execute(LEDGER)
            cursor = connection.execute("SELECT version FROM schema_migrations")
            done = {row[0] for row in cursor.fetchall()}
            applied_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for migration in migrations("postgresql"):
                if migration.version not in done:
                    connection.execute(migration.sql.encode())
                    connection.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                        (migration.version, migration.name, applied_at),
                    )
            cursor = connection.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = %s AND column_name IN ('id', 'rowid') ORDER BY column_name",
                (self.schema,),
            )
            for table, column in cursor.fetchall():
                self._keys.setdefault(table, column)  # `id` sorts first: it wins over `rowid`
            cursor = connection.execute(
                "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = %s AND tablename = 'request_log' "
                "AND indexname IN ('request_log_body_trgm', 'request_log_query_trgm')",
                (self.schema,),
            )
            row = cursor.fetchone()
            self.text_index = row is not None and row[0] == 2

    @contextmanager
    def _session(self, begin: str, lock: bool) -> Iterator[_PostgresTx]:
        state = self._thread
        if state.depth > 0 and state.tx is not None:
            state.depth += 1
            try:
                yield state.tx
            finally:
                state.depth -= 1
            return
        with self._borrowed() as connection:
            connection.execute(begin)
            try:
                if lock:
                    connection.execute("SELECT pg_advisory_xact_lock(%s)", (self._writer_key,))
                state.tx = _PostgresTx(connection, self._keys, self.text_index)
                state.depth = 1
                try:
                    yield state.tx
                finally:
                    state.depth = 0
                    state.tx = None
            except BaseException:
                if not connection.broken:
                    connection.execute("ROLLBACK")
                raise
            else:
                connection.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTx]:
        """A write transaction, exclusive among the writers of this schema in every instance."""
        with self._session("BEGIN ISOLATION LEVEL READ COMMITTED", lock=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[_PostgresTx]:
        """A consistent read-only snapshot."""
        with self._session("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", lock=False) as tx:
            yield tx

    def wipe(self) -> None:
        """Empty every table but the store's own (:data:`KEPT_TABLES`), children first, and restart the ids.

        ``DELETE`` rather than ``TRUNCATE``: a sandbox is reset often and holds few rows, where ``TRUNCATE``
        (new files for every table, an exclusive lock that also stops readers) costs far more.
        """
        with self.transaction() as tx:
            tables = [
                row["relname"]
                for row in tx.all(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = ? AND c.relkind = 'r' ORDER BY c.oid DESC",
                    (self.schema,),
                )
                if row["relname"] not in KEPT_TABLES
            ]
            for table in tables:
                tx.execute(f'DELETE FROM "{table}"')
            for row in tx.all(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = ? AND is_identity = 'YES'",
                (self.schema,),
            ):
                if row["table_name"] not in KEPT_TABLES:
                    table = f'"{self.schema}"."{row["table_name"]}"'
                    tx.scalar(
                        "SELECT setval(pg_get_serial_sequence(?, ?), 1, false)", (table, row["column_name"])
                    )

    def close(self) -> None:
        """Close the idle connections (a connection in use is closed when its transaction gives it back)."""
        with self._idle_lock:
            self._closed = True
            connections, self._idle = self._idle, []
        for connection in connections:
            connection.close()
