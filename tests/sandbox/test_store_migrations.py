"""Schema migrations (both dialects) and the SQL the PostgreSQL store sends.

A database made by an earlier schema is upgraded in place and keeps its rows: for SQLite the database the
sandbox made before its schema was versioned (exactly ``0001_initial``, no ledger), for PostgreSQL a schema at
version 1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from prakerja_sandbox.storage import SqliteStore
from prakerja_sandbox.storage.migrations import migrations
from prakerja_sandbox.storage.postgresql import PostgresStore, split_schema, translate

from .postgres import bare_schema

_LATEST = len(migrations("sqlite"))


def test_both_dialects_have_the_same_numbered_migrations() -> None:
    names = [(migration.version, migration.name) for migration in migrations("sqlite")]
    assert names == [(migration.version, migration.name) for migration in migrations("postgresql")]
    assert [version for version, _ in names] == list(range(1, len(names) + 1))


def test_a_sqlite_database_from_before_the_ledger_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(migrations("sqlite")[0].sql)
        old.execute("INSERT INTO kv (key, value) VALUES ('clock.offset_seconds', '3600')")
        old.execute(
            "INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '0812', 'kode 123456', 'then')"
        )
    old.close()

    store = SqliteStore(str(path))
    try:
        with store.read() as tx:
            assert tx.scalar("SELECT value FROM kv WHERE key = 'clock.offset_seconds'") == "3600"
            assert tx.all("SELECT id, text FROM inbox") == [{"id": 1, "text": "kode 123456"}]
            versions = [row["version"] for row in tx.all("SELECT version FROM schema_migrations ORDER BY 1")]
        assert versions == list(range(1, _LATEST + 1))
        assert "verifications_redeem_code" in _sqlite_indexes(store)  # made by 0002
    finally:
        store.close()
    reopened = SqliteStore(str(path))  # nothing left to apply: opening again changes nothing
    try:
        with reopened.read() as tx:
            assert tx.scalar("SELECT COUNT(*) FROM schema_migrations") == _LATEST
            assert tx.scalar("SELECT COUNT(*) FROM inbox") == 1
    finally:
        reopened.close()


def _sqlite_indexes(store: SqliteStore) -> set[str]:
    with store.read() as tx:
        return {row["name"] for row in tx.all("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_a_postgresql_schema_at_version_1_is_upgraded_keeping_its_rows() -> None:

    with bare_schema() as (url, old):
        old.execute(migrations("postgresql")[0].sql.encode())
        old.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
        old.execute("INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01T00:00:00Z')")
        old.execute("INSERT INTO kv (key, value) VALUES ('clock.offset_seconds', '-60')")
        old.execute("INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '0812', 'x', 'then')")

        store = PostgresStore(url)
        try:
            with store.read() as tx:
                assert tx.scalar("SELECT value FROM kv WHERE key = 'clock.offset_seconds'") == "-60"
                assert tx.all("SELECT id, text FROM inbox") == [{"id": 1, "text": "x"}]
                versions = [
                    row["version"] for row in tx.all("SELECT version FROM schema_migrations ORDER BY 1")
                ]
            assert versions == list(range(1, _LATEST + 1))
            with store.read() as tx:  # made by 0002
                assert (
                    tx.scalar(
                        "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'verifications_redeem_code' AND schemaname = current_schema()"
                    )
                    == 1
                )
            with store.transaction() as tx:  # ids go on after the kept rows
                assert (
                    tx.insert(
                        "INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '1', 'y', 'n')"
                    )
                    == 2
                )
        finally:
            store.close()


_plain = st.text(alphabet=st.characters(blacklist_characters="'\"?%", codec="utf-8"), max_size=12)
_quoted = st.text(alphabet=st.characters(blacklist_characters="'\"", codec="utf-8"), max_size=12)


@given(st.lists(st.tuples(_plain, st.sampled_from(["?", "%", "'", ""]), _quoted), max_size=6))
def test_placeholders_outside_quotes_become_psycopg_ones(parts: list[tuple[str, str, str]]) -> None:
    """``?`` outside quoted text becomes ``%s``; quoted text keeps its ``?``; every ``%`` is doubled."""
    statement = "".join(
        f"{plain}'{quoted}'" if mark == "'" else f"{plain}{mark}" for plain, mark, quoted in parts
    )
    translated, _ = translate(statement)
    expected = []
    for plain, mark, quoted in parts:
        expected.append(plain)
        if mark == "?":
            expected.append("%s")
        elif mark == "%":
            expected.append("%%")
        elif mark == "'":
            expected.append("'" + quoted.replace("%", "%%") + "'")
    assert translated == "".join(expected)


def test_rowid_is_kept_only_when_the_select_list_names_it() -> None:
    assert translate("SELECT rowid, code FROM partners")[1]
    assert not translate("SELECT * FROM partners WHERE rowid > ?")[1]


def test_the_schema_parameter_is_the_sandboxs_not_libpqs() -> None:
    assert split_schema("postgresql://u:p@h:5432/db?schema=team_a&sslmode=disable") == (
        "postgresql://u:p@h:5432/db?sslmode=disable",
        "team_a",
    )
    assert split_schema("postgresql://h/db") == ("postgresql://h/db", None)
