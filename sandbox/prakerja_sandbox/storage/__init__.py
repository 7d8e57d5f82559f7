"""Sandbox state storage: the :class:`Store` interface, its SQLite and PostgreSQL implementations."""

from __future__ import annotations

from prakerja_sandbox.storage.base import KEPT_TABLES, Params, Row, Store, Tx
from prakerja_sandbox.storage.sqlite import SqliteStore

__all__ = ["KEPT_TABLES", "Params", "Row", "SqliteStore", "Store", "Tx", "is_postgresql_url", "open_store"]


def is_postgresql_url(database: str) -> bool:
    """Whether ``database`` names a PostgreSQL server (``postgresql://`` or ``postgres://``)."""
    return database.startswith(("postgresql://", "postgres://"))


def open_store(database: str, *, schema: str | None = None) -> Store:
    """The store ``database`` names: a PostgreSQL URL, a SQLite file path or ``":memory:"``.

    ``schema`` is the PostgreSQL schema to work in (default: the URL's ``schema`` parameter, else ``public``);
    SQLite ignores it. psycopg is imported only
    for a PostgreSQL URL, so the embedded default needs nothing beyond the standard library.
    """
    if is_postgresql_url(database):
        from prakerja_sandbox.storage.postgresql import PostgresStore

        return PostgresStore(database, schema=schema)
    return SqliteStore(database)
