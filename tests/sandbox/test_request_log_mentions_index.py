"""The index behind the request log's ``mentions`` filter (storage migration 0007): used, made on upgrade, optional.

- The query plans of the statements the filter sends use the index, and read no row of the log beyond the
  ones it gives (SQLite ``EXPLAIN QUERY PLAN``; PostgreSQL ``EXPLAIN`` over a log of 20,000 rows with
  statistics); a text under three characters is the documented exception, and reads the log.
- A database whose log was written at version 6 finds its old rows through the filter once upgraded.
- Without the index (a SQLite lacking FTS5's trigram tokenizer, a PostgreSQL without pg_trgm's indexes) the
  store opens, says once that the filter reads every row, and answers the same.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja_sandbox.control import queries
from prakerja_sandbox.request_log import COLUMNS
from prakerja_sandbox.storage import SqliteStore, Tx
from prakerja_sandbox.storage import sqlite as sqlite_store
from prakerja_sandbox.storage.base import Params, Row
from prakerja_sandbox.storage.migrations import LEDGER, migrations
from prakerja_sandbox.storage.postgresql import PostgresStore, split_schema

from .postgres import bare_schema, schema_url
from .test_request_log_mentions import KARTU, holds, texts

_INSERT = f"INSERT INTO request_log ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
_PREVIOUS = 6  # the schema before the index
LogRow = tuple[str | None, str]


class Recording:
    """A :class:`Tx` that keeps every statement it is given (to explain them afterwards)."""

    def __init__(self, tx: Tx) -> None:
        self._tx = tx
        self.dialect = tx.dialect
        self.text_index = tx.text_index
        self.sent: list[tuple[str, list[Any]]] = []

    def _keep(self, sql: str, params: Params) -> None:
        self.sent.append((sql, list(params.values() if isinstance(params, dict) else params)))

    def execute(self, sql: str, params: Params = ()) -> int:
        self._keep(sql, params)
        return self._tx.execute(sql, params)

    def insert(self, sql: str, params: Params = ()) -> int:
        self._keep(sql, params)
        return self._tx.insert(sql, params)

    def one(self, sql: str, params: Params = ()) -> Row | None:
        self._keep(sql, params)
        return self._tx.one(sql, params)

    def all(self, sql: str, params: Params = ()) -> list[Row]:
        self._keep(sql, params)
        return self._tx.all(sql, params)

    def scalar(self, sql: str, params: Params = ()) -> Any:
        self._keep(sql, params)
        return self._tx.scalar(sql, params)

    def iterate(self, sql: str, params: Params = ()) -> Iterator[Row]:
        self._keep(sql, params)
        return self._tx.iterate(sql, params)


def _row(body: str | None, query: str = "") -> list[Any]:
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(at="2026-01-01T00:00:00Z", method="POST", path="/x", query=query, request_headers="{}")
    values.update(status=200, request_body=body)
    return [values[name] for name in COLUMNS]


def _sent_by_the_filter(tx: Tx, text: str) -> list[tuple[str, list[Any]]]:
    """The statements a filtered page of the log sends (its total and its rows)."""
    recording = Recording(tx)
    queries.requests(recording, limit=50, offset=0, mentions=text)
    sent = [(sql, params) for sql, params in recording.sent if "request_log" in sql]
    assert len(sent) == 2, sent
    return sent


def _fill(tx: Tx, rows: int) -> None:
    """``rows`` log rows, each body naming a number of its own; the last names the first Kartu number."""
    for index in range(rows):
        number = KARTU[0] if index == rows - 1 else f"{3200000000000000 + index}"
        tx.execute(_INSERT, _row(f'{{"prakerja_id":"{number}","course_code":"C-{index}"}}', f"page={index}"))


# -- the plans -------------------------------------------------------------------------------------------------


def _sqlite_plan(tx: Tx, sql: str, params: list[Any]) -> list[str]:
    return [row["detail"] for row in tx.all(f"EXPLAIN QUERY PLAN {sql}", params)]


def _reads_the_log(details: list[str]) -> bool:
    """Whether a SQLite plan walks request_log (a table scan, or a scan of any of its indexes)."""
    return any(d.startswith("SCAN request_log") and not d.startswith("SCAN request_log_fts") for d in details)


@pytest.mark.parametrize("text", [KARTU[0], "abc", 'say "hi"', "x%_\\y"])
def test_sqlite_finds_a_text_through_the_fts_index(text: str) -> None:
    store = SqliteStore(":memory:")
    try:
        with store.transaction() as tx:
            _fill(tx, 200)
        with store.read() as tx:
            for sql, params in _sent_by_the_filter(tx, text):
                details = _sqlite_plan(tx, sql, params)
                assert any("request_log_fts VIRTUAL TABLE" in detail for detail in details), details
                assert not _reads_the_log(details), details
                assert any("USING INTEGER PRIMARY KEY" in detail for detail in details), details
    finally:
        store.close()


def test_sqlite_reads_the_log_for_a_text_of_two_characters() -> None:
    """The documented exception: a trigram index cannot narrow a search for fewer than three characters."""
    store = SqliteStore(":memory:")
    try:
        with store.transaction() as tx:
            _fill(tx, 20)
        with store.read() as tx:
            for sql, params in _sent_by_the_filter(tx, "12"):
                assert _reads_the_log(_sqlite_plan(tx, sql, params))
    finally:
        store.close()


def _postgres_plan(tx: Tx, sql: str, params: list[Any]) -> str:
    return "\n".join(row["QUERY PLAN"] for row in tx.all(f"EXPLAIN {sql}", params))


def _fill_postgresql(tx: Tx, rows: int) -> None:
    """:func:`_fill` in one statement, each row about as wide as a logged request (an answer of 1,000 bytes)."""
    tx.execute(
        "INSERT INTO request_log (at, method, path, query, status, request_headers, response_body, request_body) "
        "SELECT '2026-01-01T00:00:00Z', 'POST', '/x', 'page=' || i, 200, '{}', repeat('-', 1000), "
        '\'{"prakerja_id":"\' || (3200000000000000 + i) || \'","course_code":"C-\' || i || \'"}\' '
        "FROM generate_series(1, ?) AS i",
        (rows - 1,),
    )
    tx.execute(_INSERT, _row(f'{{"prakerja_id":"{KARTU[0]}"}}', "page=0"))


# Selective texts (a few rows hold them, or none): for a text most rows hold, walking the newest rows is the
# better plan, and PostgreSQL rightly picks it. A text needs a run of three letters or digits to have trigrams.
@pytest.mark.parametrize("text", [KARTU[0], "C-1234", "munawar.hasballah78@example.id", "page=77_"])
def test_postgresql_finds_a_text_through_the_trigram_indexes(text: str) -> None:
    with schema_url() as url:
        store = PostgresStore(url)
        try:
            with store.transaction() as tx:
                _fill_postgresql(tx, 20_000)
                tx.execute("ANALYZE request_log")
            with store.read() as tx:
                for sql, params in _sent_by_the_filter(tx, text):
                    plan = _postgres_plan(tx, sql, params)
                    assert "request_log_body_trgm" in plan, plan
                    assert "request_log_query_trgm" in plan, plan
                    assert "Seq Scan on request_log" not in plan, plan
                    assert "request_log_pkey" not in plan, plan
        finally:
            store.close()


# -- upgrading a log written at version 6 ----------------------------------------------------------------------

log_rows = st.lists(st.tuples(st.none() | texts, texts), min_size=1, max_size=12)


def _needles(rows: list[LogRow], data: st.DataObject) -> list[str]:
    """Texts held by the rows (slices of their bodies and queries), a Kartu number, and one drawn freely."""
    held = [text for body, query in rows for text in (body, query) if text]
    found = []
    for text in data.draw(st.lists(st.sampled_from(held), max_size=3), label="held") if held else []:
        start = data.draw(st.integers(0, len(text) - 1))
        found.append(text[start : data.draw(st.integers(start + 1, len(text)))])
    return [*found, KARTU[0], data.draw(texts.filter(bool), label="free")]


def _check_filter(tx: Tx, rows: list[LogRow], needles: list[str]) -> None:
    """The filter answers the definition over ``rows`` (logged in that order, ids from 1)."""
    for needle in needles:
        page = queries.requests(tx, limit=1000, offset=0, mentions=needle)
        expected = [index + 1 for index in reversed(range(len(rows))) if holds(rows[index], needle)]
        assert [item["id"] for item in page.items] == expected, needle
        assert page.total == len(expected)


def _at_version(script: Any, run: Any, dialect: str, mark: str) -> None:
    """Make the schema of version :data:`_PREVIOUS` through ``script(sql)`` and ``run(sql, params)``."""
    script(LEDGER)
    for migration in migrations(dialect)[:_PREVIOUS]:
        script(migration.sql)
        run(
            f"INSERT INTO schema_migrations VALUES ({mark}, {mark}, '2026-01-01T00:00:00Z')",
            (migration.version, migration.name),
        )


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=log_rows, data=st.data())
def test_a_sqlite_log_of_version_6_is_found_through_the_index_when_upgraded(
    tmp_path: Path, rows: list[LogRow], data: st.DataObject
) -> None:
    path = tmp_path / f"previous-{secrets.token_hex(4)}.sqlite3"
    with sqlite3.connect(path) as old:
        _at_version(old.executescript, old.execute, "sqlite", "?")
        old.executemany(_INSERT, [_row(body, query) for body, query in rows])
    old.close()
    store = SqliteStore(str(path))
    try:
        assert store.text_index
        with store.read() as tx:
            assert tx.scalar("SELECT MAX(version) FROM schema_migrations") == len(migrations("sqlite"))
            _check_filter(tx, rows, _needles(rows, data))
        with store.transaction() as tx:  # what the migration indexed is what the log holds
            tx.execute("INSERT INTO request_log_fts (request_log_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        store.close()


@settings(max_examples=4, deadline=None)
@given(rows=log_rows, data=st.data())
def test_a_postgresql_log_of_version_6_is_found_through_the_index_when_upgraded(
    rows: list[LogRow], data: st.DataObject
) -> None:

    with bare_schema() as (url, old):
        _at_version(lambda text: old.execute(text.encode()), old.execute, "postgresql", "%s")
        with old.cursor() as cursor:
            cursor.executemany(_INSERT.replace("?", "%s"), [_row(body, query) for body, query in rows])
        store = PostgresStore(url)
        try:
            assert store.text_index
            with store.read() as tx:
                assert tx.scalar("SELECT MAX(version) FROM schema_migrations") == len(
                    migrations("postgresql")
                )
                _check_filter(tx, rows, _needles(rows, data))
        finally:
            store.close()


# -- without the index -----------------------------------------------------------------------------------------


def _unindexed_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if "mentions filter is not indexed" in record.getMessage()
    ]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=log_rows, data=st.data())
def test_a_sqlite_without_the_trigram_tokenizer_answers_the_same_by_reading_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, rows: list[LogRow],
    data: st.DataObject,
) -> None:  # fmt: skip
    """A SQLite built without FTS5 (or older than 3.34) is an edge the sandbox does not own: stood in for."""
    path = str(tmp_path / f"plain-{secrets.token_hex(4)}.sqlite3")
    caplog.clear()
    with monkeypatch.context() as patch, caplog.at_level(logging.WARNING, logger="prakerja_sandbox"):
        patch.setattr(sqlite_store, "features", lambda connection: frozenset())
        store = SqliteStore(path)
        again = SqliteStore(path)  # the same database opened twice: said once
    try:
        assert not store.text_index
        assert len(_unindexed_warnings(caplog)) == 1
        with store.transaction() as tx:
            for body, query in rows:
                tx.execute(_INSERT, _row(body, query))
        with store.read() as tx:
            assert tx.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'request_log_fts%'") == 0
            assert tx.scalar("SELECT MAX(version) FROM schema_migrations") == len(migrations("sqlite"))
            _check_filter(tx, rows, _needles(rows, data))
        store.wipe()
        with store.read() as tx:
            assert queries.requests(tx, limit=10, offset=0, mentions=KARTU[0]).total == 0
    finally:
        store.close()
        again.close()


def _migrate_0007_again(url: str) -> None:
    """Make the trigram indexes again (the schema goes back to the tests' pool, as it was)."""
    import psycopg
    from psycopg import sql

    server, schema = split_schema(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema or "public")))
        connection.execute(migrations("postgresql")[_PREVIOUS].sql.encode())


def test_a_postgresql_schema_without_the_trigram_indexes_answers_the_same(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """What a database where pg_trgm cannot be created looks like after migration 0007 (its DO block's WARNING)."""
    rows: list[LogRow] = [
        (f'{{"n":"{KARTU[0]}"}}', ""),
        (None, f"id={KARTU[0]}"),
        ("4180", "x"),
        ("%_\\", ""),
    ]
    with schema_url() as url:
        try:
            _without_the_indexes(url, rows, caplog)
        finally:
            _migrate_0007_again(url)


def _without_the_indexes(url: str, rows: list[LogRow], caplog: pytest.LogCaptureFixture) -> None:
    store = PostgresStore(url)
    try:
        with store.transaction() as tx:
            tx.execute("DROP INDEX request_log_body_trgm")
            tx.execute("DROP INDEX request_log_query_trgm")
            for body, query in rows:
                tx.execute(_INSERT, _row(body, query))
    finally:
        store.close()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="prakerja_sandbox"):
        reopened = PostgresStore(url)
    try:
        assert not reopened.text_index
        assert len(_unindexed_warnings(caplog)) == 1
        with reopened.read() as tx:
            _check_filter(tx, rows, [KARTU[0], "4180", "%_", "\\", "x", "id="])
    finally:
        reopened.close()
