"""The PostgreSQL server the sandbox tests run their second store on.

The server is ``$PRAKERJA_TEST_POSTGRESQL`` (default ``postgresql://prakerja:prakerja@127.0.0.1:5432/
prakerja_test``, the role and database ``.ci/run`` creates). Each sandbox gets a schema of its own
(:func:`schema_url`), dropped afterwards. Without a server a local run skips the PostgreSQL cases with the
reason; in CI (``CI=true``) they fail instead, so a missing server never passes unnoticed.
"""

from __future__ import annotations

import atexit
import functools
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

__all__ = ["STORES", "require_server", "schema_url"]

#: the ids of the store parameter every parametrised sandbox fixture takes
STORES = ("sqlite", "postgresql")
_DEFAULT_URL = "postgresql://prakerja:prakerja@127.0.0.1:5432/prakerja_test"


def _url() -> str:
    return os.environ.get("PRAKERJA_TEST_POSTGRESQL") or _DEFAULT_URL


@functools.cache
def _unavailable() -> str | None:
    """Why the server cannot be used (``None`` when it can)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]')"
    try:
        with psycopg.connect(_url(), connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"no PostgreSQL server at {_url()} ({first_line}); set PRAKERJA_TEST_POSTGRESQL"
    return None


def require_server() -> str:
    """The server's URL; skips the test without one (fails it in CI)."""
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the PostgreSQL cases: {reason}")
        pytest.skip(f"PostgreSQL cases skipped: {reason}")
    return _url()


def drop_schema(schema: str, *, itself: bool = True) -> None:
    """Drop the schemas of ``schema``'s workspaces (``<schema>_ws_<name>``) and, when ``itself``, ``schema``."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(_url(), autocommit=True) as connection:
        cursor = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", (f"{schema}_ws_",)
        )
        names = [row[0] for row in cursor.fetchall()] + ([schema] if itself else [])
        for name in names:
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


#: schemas emptied after their test, for the next one (creating a schema's tables costs far more than emptying)
_spare: list[str] = []


def _drop_spare() -> None:
    while _spare:
        drop_schema(_spare.pop())


@contextmanager
def schema_url() -> Iterator[str]:
    """A URL naming an empty schema on the test server for this test alone (emptied again afterwards)."""
    from prakerja_sandbox.storage.postgresql import PostgresStore

    url = require_server()
    if not _spare:
        atexit.register(_drop_spare)
    schema = _spare.pop() if _spare else f"test_{secrets.token_hex(6)}"
    named = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    try:
        yield named
    finally:
        try:
            drop_schema(schema, itself=False)
            store = PostgresStore(named)
            try:
                store.wipe()
                with store.transaction() as tx:
                    tx.execute("DELETE FROM workspaces")  # kept by wipe(); their schemas are gone
            finally:
                store.close()
        except Exception:
            drop_schema(schema)
            raise
        _spare.append(schema)


@contextmanager
def bare_schema() -> Iterator[tuple[str, Any]]:
    """A schema of this test alone, emptied of everything (tables and ledger too), and an autocommit psycopg
    connection whose ``search_path`` is that schema: for building a database as an older schema left it.
    Yields the store's URL for that schema and the connection."""
    import psycopg
    from psycopg import sql

    from prakerja_sandbox.storage.postgresql import split_schema

    with schema_url() as url:
        server, schema = split_schema(url)
        assert schema is not None
        with psycopg.connect(server, autocommit=True) as connection:
            name = sql.Identifier(schema)
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))
            connection.execute(sql.SQL("CREATE SCHEMA {}").format(name))
            connection.execute(sql.SQL("SET search_path TO {}").format(name))
            yield url, connection
