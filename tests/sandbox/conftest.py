"""Fixtures for sandbox tests: a seeded app (on each store: SQLite in memory and PostgreSQL), its test client
and a signing client.

``signed.post(path, body, as_="SBX-DP-TOKOPEDIA")`` sends ``body`` as compact JSON signed with that seeded
partner's key (``as_`` is a client code or a seed code such as ``tokopedia``). Keyword arguments bend the
request for negative tests: ``raw=`` sends exact bytes, ``sign_body=`` signs other bytes than those sent,
``timestamp=``, ``signature=``, ``headers=``, ``drop=`` (header names to leave out), ``authorization=``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import flask
import pytest
from flask.testing import FlaskClient
from hypothesis import settings as Settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test
from werkzeug.test import TestResponse

from prakerja.signing import sign
from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.request_log import RequestLog

from .postgres import STORES, schema_url

DP = "SBX-DP-TOKOPEDIA"
OTHER_DP = "SBX-DP-BUKALAPAK"
LP = "SBX-LP-CIPTAKREASI"


class SignedClient:
    """Sends requests signed as a seeded partner."""

    def __init__(self, client: FlaskClient, sandbox: Sandbox) -> None:
        self.client = client
        self.sandbox = sandbox

    def credentials(self, partner: str) -> tuple[str, str]:
        """``(client_code, sign_key)`` of a seeded partner, by client code or seed code."""
        with self.sandbox.store.read() as tx:
            row = tx.one(
                "SELECT client_code, sign_key FROM partners WHERE client_code = ? OR code = ?",
                (partner, partner),
            )
        if row is None:
            raise LookupError(f"no seeded partner {partner!r}")
        return row["client_code"], row["sign_key"]

    def request(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | list[Any] | None = None,
        *,
        as_: str = DP,
        convention: str = "integration",
        query: str = "",
        raw: bytes | str | None = None,
        sign_body: bytes | str | None = None,
        sign_path: str | None = None,
        timestamp: int | str | None = None,
        signature: str | None = None,
        authorization: str | None = None,
        sign_authorization: bool = False,
        content_type: str | None = "application/json",
        headers: Mapping[str, str] | None = None,
        drop: Iterable[str] = (),
    ) -> TestResponse:
        """One signed request; see the module docstring for the bending options."""
        client_code, sign_key = self.credentials(as_)
        if raw is not None:
            sent = raw.encode("utf-8") if isinstance(raw, str) else raw
        elif body is not None:
            sent = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        else:
            sent = b""
        signed_body = sent if sign_body is None else sign_body
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signed_path = sign_path if sign_path is not None else (f"{path}?{query}" if query else path)
        if signature is None:
            signature = sign(
                sign_key=sign_key,
                client_code=client_code,
                timestamp=stamp,
                method=method,
                path=signed_path,
                body=signed_body,
                authorization=authorization if (sign_authorization and authorization) else "",
            )
        names = ("client_code", "signature", "timestamp")
        if convention == "sso":
            names = ("X-Client-Id", "X-Signature", "X-Timestamp")
        sent_headers = dict(zip(names, (client_code, signature, stamp), strict=True))
        if content_type is not None:
            sent_headers["Content-Type"] = content_type
        if authorization is not None:
            sent_headers["Authorization"] = authorization
        sent_headers.update(headers or {})
        dropped = {name.lower() for name in drop}
        sent_headers = {name: value for name, value in sent_headers.items() if name.lower() not in dropped}
        url = f"{path}?{query}" if query else path
        return self.client.open(url, method=method, data=sent if sent else None, headers=sent_headers)

    def post(
        self, path: str, body: Mapping[str, Any] | list[Any] | None = None, **options: Any
    ) -> TestResponse:
        """A signed POST."""
        return self.request("POST", path, body, **options)

    def get(self, path: str, **options: Any) -> TestResponse:
        """A signed GET (``query=`` is signed as sent)."""
        options.setdefault("content_type", None)
        return self.request("GET", path, **options)


@contextmanager
def database(store: str) -> Iterator[str]:
    """A new, empty database of ``store`` (``sqlite`` in memory, or a fresh PostgreSQL schema)."""
    if store == "postgresql":
        with schema_url() as url:
            yield url
    else:
        yield ":memory:"


class RequestLogMachine(RuleBasedStateMachine):
    """A state machine over one sandbox app's request log: its test client, its sandbox, and a batched log
    writer bounded at :attr:`bound` rows (closed at teardown)."""

    bound: int = 0

    def __init__(self, app: flask.Flask) -> None:
        super().__init__()
        self.client: FlaskClient = app.test_client()
        found = app.extensions[EXTENSION_KEY]
        assert isinstance(found, Sandbox)
        self.sandbox = found
        self.batched = RequestLog(found.store, batch_seconds=60, max_rows=self.bound)

    def teardown(self) -> None:
        self.batched.close()


def run_machine_on_new_app(
    store: str, machine: type[RuleBasedStateMachine], config: Mapping[str, Any], settings: Settings
) -> None:
    """Run the state ``machine`` (made with the app it drives) against a new sandbox app on a new database of
    ``store`` made with ``config``; the app is closed afterwards."""
    with database(store) as url:
        app = create_app({"database": url, **config})

        class OfThisApp(machine):  # type: ignore[misc,valid-type]
            def __init__(self) -> None:
                super().__init__(app)

        OfThisApp.__name__ = f"{machine.__name__}OfThisApp"
        try:
            run_state_machine_as_test(OfThisApp, settings=settings)
        finally:
            app.extensions[EXTENSION_KEY].close()


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which store the sandbox of this test runs on: every sandbox test runs on both."""
    kind: str = request.param
    return kind


@pytest.fixture
def app(store_kind: str) -> Iterator[flask.Flask]:
    """A freshly seeded sandbox, on SQLite in memory or on a PostgreSQL schema of its own."""
    with database(store_kind) as url:
        # the request log written at once, as in memory, so a test reads its rows right after the request
        application = create_app({"database": url, "request_log_batch_ms": 0})
        yield application
        application.extensions[EXTENSION_KEY].close()


@pytest.fixture
def sandbox(app: flask.Flask) -> Sandbox:
    """The state object of ``app``."""
    found = app.extensions[EXTENSION_KEY]
    assert isinstance(found, Sandbox)
    return found


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    """Flask's test client for ``app``."""
    return app.test_client()


@pytest.fixture
def signed(client: FlaskClient, sandbox: Sandbox) -> SignedClient:
    """A client that signs as a seeded partner (``as_=``)."""
    return SignedClient(client, sandbox)


class EmittedCodes:
    """Every catalogue code any sandbox answered during this test session (JSON refusals and HTML pages)."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def record(self, sender: flask.Flask, response: flask.Response, **_: Any) -> None:
        code = flask.g.get("error_code")
        if code:
            self.codes[code] = self.codes.get(code, 0) + 1


@pytest.fixture(scope="session", autouse=True)
def emitted_codes() -> Iterator[EmittedCodes]:
    """Listens to every in-process sandbox of the session; read by test_zz_catalogue_reachable.py."""
    emitted = EmittedCodes()
    flask.request_finished.connect(emitted.record)
    yield emitted
    flask.request_finished.disconnect(emitted.record)
