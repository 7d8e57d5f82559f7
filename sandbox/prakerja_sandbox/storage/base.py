"""The storage interface every sandbox component talks to.

All state lives in one relational database: SQLite (:mod:`~prakerja_sandbox.storage.sqlite`, the embedded
default) or PostgreSQL (:mod:`~prakerja_sandbox.storage.postgresql`, for several instances on one database),
with the tables of ``storage/migrations/<dialect>/``. Code reads and writes through a
:class:`Tx` obtained from :meth:`Store.transaction` (a write transaction, serialised across threads and
processes) or :meth:`Store.read` (a consistent read-only snapshot)::

    with store.transaction() as tx:
        row = tx.one("SELECT quota FROM schedules WHERE code = ?", (code,))
        tx.execute("UPDATE schedules SET sold = sold + 1 WHERE code = ?", (code,))

Rows come back as plain ``dict`` objects keyed by column name.

SQL is written once, in the subset both dialects run alike: ``?`` placeholders, ``INSERT ... ON CONFLICT``
(never ``INSERT OR ...``), ``CASE`` rather than sums of booleans, ``lower(x) LIKE lower(?)`` where case must
not matter (SQLite's ``LIKE`` ignores ASCII case, PostgreSQL's does not), and ``rowid`` only on the tables
whose PostgreSQL schema carries it (insertion order). Each store translates the placeholders for its driver.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

__all__ = ["KEPT_TABLES", "Params", "Row", "Store", "Tx"]

Row = dict[str, Any]
Params = Sequence[Any] | Mapping[str, Any]

#: the store's own bookkeeping, which :meth:`Store.wipe` keeps: the applied migrations and the workspaces
KEPT_TABLES = frozenset({"schema_migrations", "workspaces"})


class Tx(Protocol):
    """One open transaction (or read snapshot)."""

    #: the store's dialect, ``"sqlite"`` or ``"postgresql"``
    dialect: str
    #: whether the request log's body and query have their substring index (storage migration 0007; see
    #: :mod:`prakerja_sandbox.storage.text_search`)
    text_index: bool

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run a statement; returns the number of changed rows."""

    def insert(self, sql: str, params: Params = ()) -> int:
        """Run an INSERT of one row; returns its integer key (``id``, else ``rowid``; 0 for a table without)."""

    def one(self, sql: str, params: Params = ()) -> Row | None:
        """The first row of a query, or ``None``."""

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        """Every row of a query."""

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or ``None``."""

    def iterate(self, sql: str, params: Params = ()) -> Iterator[Row]:
        """Rows of a query, one at a time (large exports)."""


class Store(Protocol):
    """The sandbox state."""

    #: ``"sqlite"`` or ``"postgresql"``
    dialect: str

    def transaction(self) -> AbstractContextManager[Tx]:
        """A write transaction: commits on normal exit, rolls back if an exception escapes.

        Writers are serialised (``BEGIN IMMEDIATE``), so a read-check-write inside one transaction is atomic.
        Nested calls on the same thread join the outer transaction.
        """

    def read(self) -> AbstractContextManager[Tx]:
        """A read-only view; joins the current transaction when called inside one."""

    def wipe(self) -> None:
        """Delete every row of every table but :data:`KEPT_TABLES` (the schema stays; ids start over)."""

    def close(self) -> None:
        """Release the connections."""
