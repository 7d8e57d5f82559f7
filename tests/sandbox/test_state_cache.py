"""Partners and settings kept per worker follow the store's revision (:mod:`prakerja_sandbox.state_cache`).

Two apps on one database (a SQLite file, or one PostgreSQL schema) play two worker processes or two instances:
what one of them changes (a partner's key or status, a fault, the network profile, the clock) the other's very
next request sees, although it answered from memory a moment before. Every write to the guarded tables moves
the revision, whoever makes it; the network profile's request counter does not.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from prakerja.signing import sign
from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.state_cache import REVISION_KEY

from .conftest import SignedClient
from .lp_kit import LP, REDEEM_STATUS
from .postgres import schema_url

CODE = "PRAT-TC1001"
FAULT_CODE = "ERRPLT42901"


@attrs.frozen
class Pair:
    """The worker that answers partners, and the other one that changes things."""

    serving: flask.Flask
    changing: flask.Flask

    @property
    def serving_sandbox(self) -> Sandbox:
        found = self.serving.extensions[EXTENSION_KEY]
        assert isinstance(found, Sandbox)
        return found

    @property
    def changing_sandbox(self) -> Sandbox:
        found = self.changing.extensions[EXTENSION_KEY]
        assert isinstance(found, Sandbox)
        return found

    def status(self) -> TestResponse:
        """A signed redeem-code status to the serving worker, with the key the store holds now."""
        signed = SignedClient(self.serving.test_client(), self.serving_sandbox)
        return signed.post(REDEEM_STATUS, {"redeem_code": CODE}, as_=LP)

    def control(self, method: str, path: str, body: Any = None) -> None:
        """A control-API call to the changing worker."""
        response = self.changing.test_client().open(f"/_sandbox{path}", method=method, json=body)
        assert response.status_code in (200, 201), response.get_json()

    def write(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """A write to the shared store through the changing worker."""
        with self.changing_sandbox.store.transaction() as tx:
            tx.execute(sql, params)

    def revision(self) -> Any:
        with self.serving_sandbox.store.read() as tx:
            return tx.scalar("SELECT value FROM kv WHERE key = ?", (REVISION_KEY,))


@pytest.fixture
def pair(store_kind: str, tmp_path: Path) -> Iterator[Pair]:
    def build(url: str) -> Iterator[Pair]:
        options = {"database": url, "request_log_batch_ms": 0}
        serving = create_app(options)
        changing = create_app(options)  # finds the database seeded and keeps it
        try:
            yield Pair(serving, changing)
        finally:
            for app in (serving, changing):
                app.extensions[EXTENSION_KEY].close()

    if store_kind == "postgresql":
        with schema_url() as url:
            yield from build(url)
    else:
        yield from build(str(tmp_path / "sandbox.db"))


def _code(response: TestResponse) -> str | None:
    body = response.get_json()
    return None if body.get("success") else str(body["code"])


def test_a_rotated_sign_key_is_checked_by_the_other_worker_at_once(pair: Pair) -> None:
    assert pair.status().status_code == 200  # the serving worker now keeps the partners in memory
    with pair.serving_sandbox.store.read() as tx:
        old_key = tx.scalar("SELECT sign_key FROM partners WHERE client_code = ?", (LP,))
    pair.write("UPDATE partners SET sign_key = ? WHERE client_code = ?", ("rotated-" + old_key, LP))

    assert pair.status().status_code == 200  # signed with the new key
    body = json.dumps({"redeem_code": CODE}, separators=(",", ":")).encode()
    stamp = str(int(time.time()))
    old = sign(
        sign_key=old_key, client_code=LP, timestamp=stamp, method="POST", path=REDEEM_STATUS, body=body
    )
    stale = pair.serving.test_client().post(
        REDEEM_STATUS,
        data=body,
        headers={"client_code": LP, "signature": old, "timestamp": stamp, "Content-Type": "application/json"},
    )
    assert str(_code(stale)).startswith("ERRPLT401"), stale.get_json()  # the old key no longer signs


@attrs.frozen
class Model:
    """What the store holds after a run of changes, hence what the next request must meet."""

    status: str = "validated"
    fault: bool = False
    offline: bool = False
    offset_days: int = 0

    def expected(self) -> str | None:
        """The catalogue code of the refusal, ``None`` for an answer."""
        if self.offline:
            return "ERRPLT50301"
        if self.fault:
            return FAULT_CODE
        if self.status != "validated":
            return "ERRPLT40302"
        return None


def _apply(pair: Pair, model: Model, change: tuple[str, Any]) -> Model:
    kind, value = change
    if kind == "status":
        pair.write("UPDATE partners SET status = ? WHERE client_code = ?", (value, LP))
        return attrs.evolve(model, status=value)
    if kind == "fault":
        pair.control("POST", "/faults", {"operation": "attendance.status", "kind": "error", "status": 429})
        return attrs.evolve(model, fault=True)
    if kind == "clear":
        pair.control("DELETE", "/faults")
        return attrs.evolve(model, fault=False)
    if kind == "profile":
        pair.control("POST", "/network-profile", {"name": value})
        return attrs.evolve(model, offline=value == "offline")
    assert kind == "clock"
    moment = datetime.now(UTC) + timedelta(days=value)
    pair.control("POST", "/clock", {"set": moment.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return attrs.evolve(model, offset_days=value)


CHANGES = st.one_of(
    st.tuples(st.just("status"), st.sampled_from(["validated", "suspended", "rejected"])),
    st.tuples(st.just("fault"), st.none()),
    st.tuples(st.just("clear"), st.none()),
    st.tuples(st.just("profile"), st.sampled_from(["good", "offline"])),
    st.tuples(st.just("clock"), st.integers(min_value=-30, max_value=400)),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(CHANGES, min_size=1, max_size=6))
def test_every_change_in_one_worker_meets_the_next_request_in_the_other(
    pair: Pair, changes: list[tuple[str, Any]]
) -> None:
    model = Model()
    for start in (("status", "validated"), ("clear", None), ("profile", "good"), ("clock", 0)):
        model = _apply(pair, model, start)
    for change in changes:
        pair.status()  # answered from what the serving worker keeps, refreshing it
        model = _apply(pair, model, change)
        response = pair.status()
        assert _code(response) == model.expected(), (change, response.get_json())
        assert (response.status_code == 200) == (model.expected() is None), (change, response.status_code)
        with pair.serving_sandbox.store.read() as tx:
            logged = tx.scalar("SELECT at FROM request_log ORDER BY id DESC LIMIT 1")
        seen = time.mktime(time.strptime(logged, "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime())
        assert abs(seen - model.offset_days * 86400) < 30, (change, logged)  # the sandbox time of the request


_NEW_PARTNER = (
    "INSERT INTO partners (code, kind, name, client_code, sign_key, status, created_at) "
    "VALUES ('sbx-extra', 'DP', 'Extra', 'SBX-DP-EXTRA', 'k', 'active', '') ON CONFLICT (code) DO NOTHING"
)
_NEW_FAULT = "INSERT INTO faults (operation_id, kind, probability, params, created_at) VALUES ('*', 'latency', 1, '{}', '')"
#: (what to write first, if anything; the write whose transaction must move the revision)
GUARDED = st.sampled_from(
    [
        (None, "UPDATE partners SET name = name || 'x' WHERE client_code = 'SBX-LP-CIPTAKREASI'"),
        (None, "UPDATE partners SET sign_key = sign_key || 'x' WHERE client_code = 'SBX-DP-TOKOPEDIA'"),
        ("DELETE FROM partners WHERE code = 'sbx-extra'", _NEW_PARTNER),
        (_NEW_PARTNER, "DELETE FROM partners WHERE code = 'sbx-extra'"),
        (None, _NEW_FAULT),
        (_NEW_FAULT, "UPDATE faults SET remaining = 1"),
        (_NEW_FAULT, "DELETE FROM faults"),
        (
            None,
            "INSERT INTO kv (key, value) VALUES ('clock.offset_seconds', '5.0') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        ),
        (
            None,
            "INSERT INTO kv (key, value) VALUES ('defaults.participant_balance', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        ),
    ]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(GUARDED, min_size=1, max_size=4))
def test_every_write_to_partners_faults_or_settings_moves_the_revision(
    pair: Pair, writes: list[tuple[str | None, str]]
) -> None:
    seen = {pair.revision()}
    for first, statement in writes:
        if first is not None:
            pair.write(first)
            seen.add(pair.revision())
        pair.write(statement)
        revision = pair.revision()
        assert revision is not None, statement
        assert revision not in seen, statement
        seen.add(revision)


def test_the_network_counter_leaves_the_revision_alone(pair: Pair) -> None:
    pair.control("POST", "/network-profile", {"name": "3g"})
    before = pair.revision()
    pair.write(
        "INSERT INTO kv (key, value) VALUES ('network.requests', '7') "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    assert pair.revision() == before
