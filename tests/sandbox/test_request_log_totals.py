"""The request log's running totals (storage migration 0006): its row count, and coverage per code and operation.

The totals are kept by database triggers, so they are checked against what they stand for: the row count against
``COUNT(*)`` of the log, coverage against a model of every row logged since the log was last wiped (the bound
dropping old rows does not take a code away; a reset does, unless it keeps the request log). Rows come through
the request-log writer (which also drops the oldest rows past a small bound) and through real partner requests.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import flask
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from prakerja_sandbox import Sandbox
from prakerja_sandbox.request_log import COLUMNS
from prakerja_sandbox.storage import SqliteStore, Tx
from prakerja_sandbox.storage.migrations import LEDGER, migrations

from .conftest import RequestLogMachine, run_machine_on_new_app
from .postgres import bare_schema

BOUND = 3  # the log keeps 3 or 4 rows (a step of one row)
CODES = ("ERRPLT40101", "ERRPLT40001", "ERRPLT40401", "NOT-IN-CATALOGUE")
OPERATIONS = ("payments.send_otp", "redeem_codes.status", "unknown.operation")
TIMES = ("2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z", "2025-12-31T23:59:59Z", "2026-01-02T08:00:00Z")
STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"

Logged = tuple[str, str | None, int, str | None]  # at, operation_id, status, error_code

logged_rows = st.tuples(
    st.sampled_from(TIMES),
    st.none() | st.sampled_from(OPERATIONS),
    st.sampled_from((200, 201, 302, 399, 400, 401, 404, 500)),
    st.none() | st.sampled_from(CODES),
)


def _writer_row(row: Logged) -> tuple[Any, ...]:
    at, operation, status, code = row
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(at=at, method="POST", path="/x", query="", request_headers="{}")
    values.update(operation_id=operation, status=status, error_code=code)
    return tuple(values[name] for name in COLUMNS)


def _expected_coverage(rows: Iterable[Logged]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What coverage must say after ``rows``, by its definition (count, first and last time; calls, successes)."""
    codes: dict[str, dict[str, Any]] = {}
    operations: dict[str, dict[str, Any]] = {}
    for at, operation, status, code in rows:
        if code is not None:
            entry = codes.setdefault(code, {"code": code, "count": 0, "first_at": at, "last_at": at})
            entry.update(count=entry["count"] + 1, first_at=min(entry["first_at"], at))
            entry["last_at"] = max(entry["last_at"], at)
        if operation is not None:
            calls = operations.setdefault(operation, {"operation": operation, "calls": 0, "succeeded": 0})
            calls["calls"] += 1
            calls["succeeded"] += status < 400
    return [codes[c] for c in sorted(codes)], [operations[o] for o in sorted(operations)]


def _recount(tx: Tx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = tx.all("SELECT at, operation_id, status, error_code FROM request_log ORDER BY id")
    return _expected_coverage((r["at"], r["operation_id"], r["status"], r["error_code"]) for r in rows)


def _stored_totals(tx: Tx) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    codes = tx.all(
        "SELECT error_code AS code, count, first_at, last_at FROM coverage_codes ORDER BY error_code"
    )
    operations = tx.all(
        "SELECT operation_id AS operation, calls, succeeded FROM coverage_operations ORDER BY operation_id"
    )
    return codes, operations


def _row_count(tx: Tx) -> int:
    return int(tx.scalar("SELECT row_count FROM request_log_count") or 0)


class LogTotals(RequestLogMachine):
    """Random log writes, prunes and resets; after each step the totals match their definition."""

    bound = BOUND

    def __init__(self, app: flask.Flask) -> None:
        super().__init__(app)
        self.logged: list[Logged] = []  # every row logged since the log was last wiped, in order
        self.met: list[Logged] = []  # what coverage counts: the same, but a reset keeping the log keeps it

    def _reset(self, *, keep: bool) -> None:
        answer = self.client.post("/_sandbox/reset", json={"seed": False, "keep_request_log": keep})
        assert answer.status_code == 200, answer.get_data(as_text=True)

    @initialize()
    def empty(self) -> None:
        self._reset(keep=False)

    @rule(rows=st.lists(logged_rows, min_size=1, max_size=6))
    def write(self, rows: list[Logged]) -> None:
        for row in rows:
            self.sandbox.request_log.record(_writer_row(row))
        self.logged += rows
        self.met += rows

    @rule(rows=st.lists(logged_rows, min_size=1, max_size=120))
    def write_batch(self, rows: list[Logged]) -> None:
        """A file database's writer: queued rows go in together (INSERTs of many rows), then the bound."""
        for row in rows:
            self.batched.record(_writer_row(row))
        self.batched.flush()
        self.logged += rows
        self.met += rows

    @rule(
        operation_path=st.sampled_from([STATUS_PATH, "/api/v1/integration/payment/send-otp", "/nowhere"]),
        signed=st.booleans(),
    )
    def partner_request(self, operation_path: str, signed: bool) -> None:
        """A real request: refused (the sandbox is empty), logged by the request path itself."""
        headers = {"client_code": "SBX-NOBODY", "signature": "0" * 64, "timestamp": "1"} if signed else {}
        self.client.post(operation_path, json={"redeem_code": "ABC"}, headers=headers)
        with self.sandbox.store.read() as tx:
            newest = tx.one("SELECT at, operation_id, status, error_code FROM request_log ORDER BY id DESC")
        assert newest is not None
        assert newest["status"] >= 400
        assert newest["error_code"] is not None
        row = (newest["at"], newest["operation_id"], newest["status"], newest["error_code"])
        self.logged.append(row)
        self.met.append(row)

    @rule(keep=st.booleans())
    def reset(self, keep: bool) -> None:
        self._reset(keep=keep)
        if not keep:
            self.logged, self.met = [], []

    @invariant()
    def row_count_is_the_logs(self) -> None:
        with self.sandbox.store.read() as tx:
            counted = int(tx.scalar("SELECT COUNT(*) FROM request_log"))
            assert _row_count(tx) == counted
            kept = tx.all("SELECT at, operation_id, status, error_code FROM request_log ORDER BY id")
        assert counted <= BOUND + 1
        # the bound keeps the newest rows
        assert [tuple(row.values()) for row in kept] == self.logged[len(self.logged) - counted :]
        page = self.client.get("/_sandbox/requests?limit=1").get_json()["data"]
        assert page["total"] == counted
        failed = self.client.get("/_sandbox/requests?limit=1&failed=1").get_json()["data"]
        assert failed["total"] == sum(1 for row in kept if row["status"] >= 400)

    @invariant()
    def coverage_is_every_row_since_the_log_was_wiped(self) -> None:
        codes, operations = _expected_coverage(self.met)
        answer = self.client.get("/_sandbox/coverage").get_json()["data"]
        assert [
            {k: row[k] for k in ("code", "count", "first_at", "last_at")} for row in answer["emitted"]
        ] == codes
        assert answer["operations"] == operations
        catalogue = self.sandbox.contract.errors
        assert answer["covered"] == len({row["code"] for row in codes} & set(catalogue))


@pytest.mark.parametrize("store_kind", ["sqlite", "postgresql"])
def test_totals_follow_writes_prunes_and_resets(store_kind: str) -> None:
    config = {"request_log_batch_ms": 0, "request_log_max_rows": BOUND}
    run_machine_on_new_app(
        store_kind, LogTotals, config, settings(max_examples=20, stateful_step_count=12, deadline=None)
    )


def test_a_reset_keeping_the_log_keeps_codes_the_bound_dropped(client: FlaskClient, sandbox: Sandbox) -> None:
    """The bound drops the oldest rows, but coverage keeps counting what they met, across a keeping reset."""
    for _ in range(3):
        client.post(STATUS_PATH, json={})  # unsigned: refused with a code, logged
    with sandbox.store.transaction() as tx:
        tx.execute("DELETE FROM request_log WHERE id <= 2")  # what the bound does
    before = client.get("/_sandbox/coverage").get_json()["data"]
    assert sum(row["count"] for row in before["emitted"]) == 3
    client.post("/_sandbox/reset", json={"keep_request_log": True})
    after = client.get("/_sandbox/coverage").get_json()["data"]
    assert after["emitted"] == before["emitted"]
    assert after["operations"] == before["operations"]
    assert client.get("/_sandbox/requests").get_json()["data"]["total"] == 1
    client.post("/_sandbox/reset", json={})
    emptied = client.get("/_sandbox/coverage").get_json()["data"]
    assert emptied["emitted"] == []
    assert emptied["operations"] == []
    assert emptied["covered"] == 0


def _totals(client: FlaskClient, prefix: str = "", token: str | None = None) -> tuple[int, dict[str, int]]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    total = client.get(f"{prefix}/_sandbox/requests?limit=1", headers=headers).get_json()["data"]["total"]
    coverage = client.get(f"{prefix}/_sandbox/coverage", headers=headers).get_json()["data"]
    return total, {row["code"]: row["count"] for row in coverage["emitted"]}


def test_a_workspace_keeps_totals_of_its_own(client: FlaskClient) -> None:
    """Each workspace's log (a schema or a file of its own) counts its own rows, also after it is made again."""
    made = client.post("/_sandbox/workspaces", json={"name": "totals"}).get_json()["data"]
    prefix, token = made["path"], made["control_token"]
    for _ in range(3):
        client.post(prefix + STATUS_PATH, json={})  # unsigned: refused with a code, logged in the workspace
    client.post(STATUS_PATH, json={})
    in_workspace, in_default = _totals(client, prefix, token), _totals(client)
    assert in_workspace[0] == 3
    assert sum(in_workspace[1].values()) == 3
    assert in_default[0] == 1
    assert sum(in_default[1].values()) == 1

    assert client.delete(f"/_sandbox/workspaces/{made['name']}").status_code == 200
    remade = client.post("/_sandbox/workspaces", json={"name": "totals"})
    assert remade.status_code == 201
    again = remade.get_json()["data"]
    assert _totals(client, again["path"], again["control_token"]) == (0, {})
    assert _totals(client) == in_default


# -- upgrading a database made by the previous schema (version 5) ---------------------------------------------

_PREVIOUS = 5


def _old_insert(rows: list[Logged]) -> list[tuple[Any, ...]]:
    return [(at, "POST", "/x", operation, status, code) for at, operation, status, code in rows]


_OLD_INSERT = "INSERT INTO request_log (at, method, path, operation_id, status, error_code) VALUES "


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(logged_rows, max_size=30))
def test_a_sqlite_log_of_the_previous_schema_is_totalled_when_upgraded(
    tmp_path: Path, rows: list[Logged]
) -> None:
    path = tmp_path / f"previous-{secrets.token_hex(4)}.sqlite3"
    with sqlite3.connect(path) as old:
        old.execute(LEDGER)
        for migration in migrations("sqlite")[:_PREVIOUS]:
            old.executescript(migration.sql)
            old.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (migration.version, migration.name),
            )
        old.executemany(_OLD_INSERT + "(?, ?, ?, ?, ?, ?)", _old_insert(rows))
    old.close()
    store = SqliteStore(str(path))
    try:
        with store.read() as tx:
            assert tx.scalar("SELECT MAX(version) FROM schema_migrations") == len(migrations("sqlite"))
            assert _row_count(tx) == len(rows)
            assert _stored_totals(tx) == _recount(tx) == _expected_coverage(rows)
    finally:
        store.close()


@settings(max_examples=5, deadline=None)
@given(rows=st.lists(logged_rows, max_size=30))
def test_a_postgresql_log_of_the_previous_schema_is_totalled_when_upgraded(rows: list[Logged]) -> None:

    from prakerja_sandbox.storage.postgresql import PostgresStore

    with bare_schema() as (url, old):
        old.execute(LEDGER)
        for migration in migrations("postgresql")[:_PREVIOUS]:
            old.execute(migration.sql.encode())
            old.execute(
                "INSERT INTO schema_migrations VALUES (%s, %s, '2026-01-01T00:00:00Z')",
                (migration.version, migration.name),
            )
        with old.cursor() as cursor:
            cursor.executemany(_OLD_INSERT + "(%s, %s, %s, %s, %s, %s)", _old_insert(rows))
        store = PostgresStore(url)
        try:
            with store.read() as tx:
                assert tx.scalar("SELECT MAX(version) FROM schema_migrations") == len(
                    migrations("postgresql")
                )
                assert _row_count(tx) == len(rows)
                assert _stored_totals(tx) == _recount(tx) == _expected_coverage(rows)
            with store.transaction() as tx:  # and the triggers carry on from there
                tx.execute(
                    _OLD_INSERT + "(?, ?, ?, ?, ?, ?)", _old_insert([(TIMES[0], None, 500, CODES[0])])[0]
                )
                tx.execute("DELETE FROM request_log WHERE id <= 1")
            with store.read() as tx:
                assert _row_count(tx) == tx.scalar("SELECT COUNT(*) FROM request_log") == len(rows)
        finally:
            store.close()
