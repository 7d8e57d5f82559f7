"""Fault injection and network profiles: how a partner rehearses a Prakerja that is slow, failing or unreachable.

A **fault** targets one operation (``payments.status``) or every operation (``*``):

``latency``            wait ``latency_ms`` before handling the call
``error``              answer ``status`` with catalogue ``code`` without handling the call
``drop_after_commit``  handle the call and commit its state, then lose the answer: ``504 ERRPLT50401``
                       (``mode: gateway_timeout``) or a closed connection (``mode: close``). The partner does not
                       know whether the purchase happened, which is exactly what it must learn to handle.

``count`` limits how many calls a fault hits (``None``: every call); ``probability`` hits a share of calls,
drawn deterministically from ``seed``. A **network profile** shapes every operation the way a partner's link
does: ``good``, ``3g``, ``poor-coverage`` (high latency with jitter, some requests lost on the way, some answers
lost on the way back, as in regions without 4G) and ``offline``; its draws are deterministic for one ``seed``.

Faults and the profile live in the store (tables ``faults`` and ``kv``), so every worker process applies them.
Without a real socket (Flask's test client, ``httpx.WSGITransport``) a closed connection becomes ``504
ERRPLT50401`` for a lost answer and ``503 ERRPLT50301`` for a request that never arrived.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import time
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import flask
from flask.sansio.app import App

from prakerja_sandbox.context import EXTENSION_KEY, OperationHook, Sandbox, current_sandbox
from prakerja_sandbox.errors import ApiError, render_error
from prakerja_sandbox.storage.base import Row, Store, Tx

__all__ = [
    "FAULT_KINDS",
    "NETWORK_PROFILES",
    "Fault",
    "Faults",
    "NetworkDecision",
    "NetworkProfile",
    "install",
    "plan_request",
]

FaultKind = Literal["latency", "error", "drop_after_commit"]
LostMode = Literal["gateway_timeout", "close"]
Outcome = Literal["deliver", "lose_request", "lose_response", "offline"]

FAULT_KINDS: Final[tuple[str, ...]] = ("latency", "error", "drop_after_commit")
MAX_LATENCY_MS: Final = 120_000

_PROFILE_KEY = "network.profile"
_COUNTER_KEY = "network.requests"
_LOST_MARK = "prakerja_sandbox_lost_response"

_SET_KV = "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


@attrs.frozen(kw_only=True)
class NetworkProfile:
    """How a partner's link behaves: base latency with uniform jitter, and shares of lost traffic."""

    name: str
    description: str
    latency_ms: int = 0
    jitter_ms: int = 0
    lose_request_rate: float = 0.0
    lose_response_rate: float = 0.0
    offline: bool = False


NETWORK_PROFILES: Final[Mapping[str, NetworkProfile]] = {
    profile.name: profile
    for profile in (
        NetworkProfile(name="good", description="no added latency, nothing lost"),
        NetworkProfile(
            name="3g", description="a steady 3G link: 400 ms +- 150 ms", latency_ms=400, jitter_ms=150
        ),
        NetworkProfile(
            name="poor-coverage",
            description="a region without 4G: 1.5 s +- 1.2 s, 10% of requests and 10% of answers lost",
            latency_ms=1500,
            jitter_ms=1200,
            lose_request_rate=0.10,
            lose_response_rate=0.10,
        ),
        NetworkProfile(name="offline", description="no connection: every request is lost", offline=True),
    )
}


@attrs.frozen
class NetworkDecision:
    """What the network does to one request."""

    latency_ms: int
    outcome: Outcome


def plan_request(profile: NetworkProfile, *, seed: int, index: int) -> NetworkDecision:
    """The fate of request number ``index`` under ``profile``; the same ``seed`` gives the same sequence."""
    if profile.offline:
        return NetworkDecision(0, "offline")
    draw = random.Random(f"{seed}:{index}")
    latency = profile.latency_ms + round(draw.uniform(-profile.jitter_ms, profile.jitter_ms))
    roll = draw.random()
    if roll < profile.lose_request_rate:
        outcome: Outcome = "lose_request"
    elif roll < profile.lose_request_rate + profile.lose_response_rate:
        outcome = "lose_response"
    else:
        outcome = "deliver"
    return NetworkDecision(max(0, latency), outcome)


@attrs.frozen(kw_only=True)
class Fault:
    """One injected fault (see the module docstring)."""

    id: int
    operation: str
    kind: FaultKind
    latency_ms: int | None = None
    status: int | None = None
    code: str | None = None
    count: int | None = None
    probability: float = 1.0
    client_code: str | None = None
    mode: LostMode = "gateway_timeout"
    retry_after: int | None = None
    seed: int = 0
    hits: int = 0
    created_at: str = ""

    def to_json(self) -> dict[str, Any]:
        """The fault as the control API shows it (``count`` is what is left)."""
        return attrs.asdict(self)


def _fault_from_row(row: Row) -> Fault:
    params = json.loads(row["params"] or "{}")
    return Fault(
        id=int(row["id"]),
        operation=str(row["operation_id"]),
        kind=row["kind"],
        latency_ms=row["latency_ms"],
        status=row["status"],
        code=row["error_code"],
        count=row["remaining"],
        probability=float(row["probability"]),
        client_code=row["partner_code"],
        mode=params.get("mode", "gateway_timeout"),
        retry_after=params.get("retry_after"),
        seed=int(params.get("seed", 0)),
        hits=int(params.get("hits", 0)),
        created_at=str(row["created_at"]),
    )


_DEFAULT_CODES: Final[Mapping[int, str]] = {
    429: "ERRPLT42901",
    500: "ERRPLT50001",
    502: "ERRPLT50201",
    503: "ERRPLT50301",
    504: "ERRPLT50401",
}


class Faults:
    """The faults and network profile of one sandbox store."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    @property
    def _store(self) -> Store:
        return self._sandbox.store

    def add(
        self,
        *,
        operation: str,
        kind: str,
        latency_ms: int | None = None,
        status: int | None = None,
        code: str | None = None,
        count: int | None = None,
        probability: float = 1.0,
        client_code: str | None = None,
        mode: str = "gateway_timeout",
        retry_after: int | None = None,
        seed: int = 0,
    ) -> Fault:
        """Inject a fault; bad settings are refused with ERRPLT40005 naming the field."""
        contract = self._sandbox.contract
        if operation != "*" and operation not in contract.operations:
            raise ApiError("ERRPLT40005", field="operation", detail="an operationId of the contract, or '*'")
        if kind not in FAULT_KINDS:
            raise ApiError("ERRPLT40005", field="kind", detail=f"one of {', '.join(FAULT_KINDS)}")
        if kind == "latency" and latency_ms is None:
            raise ApiError("ERRPLT40003", field="latency_ms", detail="a latency fault needs latency_ms")
        if latency_ms is not None and not 0 <= latency_ms <= MAX_LATENCY_MS:
            raise ApiError("ERRPLT40005", field="latency_ms", detail=f"0 to {MAX_LATENCY_MS} milliseconds")
        if kind == "error":
            status, code = self._error_answer(status, code)
        if count is not None and count < 1:
            raise ApiError("ERRPLT40005", field="count", detail="1 or more (leave it out for every call)")
        if not 0.0 <= probability <= 1.0:
            raise ApiError("ERRPLT40005", field="probability", detail="between 0.0 and 1.0")
        if mode not in ("gateway_timeout", "close"):
            raise ApiError("ERRPLT40005", field="mode", detail="gateway_timeout or close")
        if retry_after is not None and retry_after < 0:
            raise ApiError("ERRPLT40005", field="retry_after", detail="seconds, 0 or more")
        params = {"mode": mode, "retry_after": retry_after, "seed": seed, "hits": 0}
        with self._store.transaction() as tx:
            fault_id = tx.insert(
                "INSERT INTO faults (operation_id, kind, error_code, status, latency_ms, probability, remaining, "
                "partner_code, params, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (operation, kind, code, status, latency_ms, probability, count, client_code, json.dumps(params),
                 self._sandbox.clock.now_text()),
            )  # fmt: skip
            row = tx.one("SELECT * FROM faults WHERE id = ?", (fault_id,))
        assert row is not None
        return _fault_from_row(row)

    def _error_answer(self, status: int | None, code: str | None) -> tuple[int, str]:
        contract = self._sandbox.contract
        if code is None:
            status = 503 if status is None else status
            if status not in _DEFAULT_CODES:
                raise ApiError("ERRPLT40003", field="code", detail="name a catalogue code for this status")
            code = _DEFAULT_CODES[status]
        if code not in contract.errors:
            raise ApiError("ERRPLT40005", field="code", detail="a code of the error catalogue")
        status = contract.error(code).http_status if status is None else status
        if not 400 <= status <= 599:
            raise ApiError("ERRPLT40005", field="status", detail="an HTTP error status, 400 to 599")
        return status, code

    def active(self) -> list[Fault]:
        """Every active fault, oldest first."""
        with self._store.read() as tx:
            return [_fault_from_row(row) for row in tx.all("SELECT * FROM faults ORDER BY id")]

    def clear(self, *, fault_id: int | None = None, operation: str | None = None) -> int:
        """Remove one fault, the faults of one operation, or (no argument) every fault; returns how many."""
        with self._store.transaction() as tx:
            if fault_id is not None:
                return tx.execute("DELETE FROM faults WHERE id = ?", (fault_id,))
            if operation is not None:
                return tx.execute("DELETE FROM faults WHERE operation_id = ?", (operation,))
            return tx.execute("DELETE FROM faults")

    def set_profile(self, name: str, *, seed: int = 0) -> dict[str, Any]:
        """Switch the network profile (``good`` turns shaping off); resets the request counter."""
        if name not in NETWORK_PROFILES:
            raise ApiError("ERRPLT40005", field="name", detail=f"one of {', '.join(NETWORK_PROFILES)}")
        with self._store.transaction() as tx:
            for key, value in ((_PROFILE_KEY, json.dumps({"name": name, "seed": seed})), (_COUNTER_KEY, "0")):
                tx.execute(_SET_KV, (key, value))
        return self.profile()

    def profile(self) -> dict[str, Any]:
        """The current profile: its name, seed, settings and how many requests it has shaped."""
        with self._store.read() as tx:
            current = self._current(tx)
            shaped = int(tx.scalar("SELECT value FROM kv WHERE key = ?", (_COUNTER_KEY,)) or 0)
        profile = NETWORK_PROFILES[current["name"]]
        return {**attrs.asdict(profile), "seed": current["seed"], "requests_shaped": shaped}

    @staticmethod
    def _current(tx: Tx) -> dict[str, Any]:
        text = tx.scalar("SELECT value FROM kv WHERE key = ?", (_PROFILE_KEY,))
        current: dict[str, Any] = {"name": "good", "seed": 0} if text is None else json.loads(text)
        return current

    def network_decision(self) -> NetworkDecision | None:
        """The next request's fate under the current profile (``None`` when the profile is ``good``)."""
        with self._store.read() as tx:
            if self._current(tx)["name"] == "good":
                return None
        with self._store.transaction() as tx:
            current = self._current(tx)
            index = int(tx.scalar("SELECT value FROM kv WHERE key = ?", (_COUNTER_KEY,)) or 0)
            tx.execute(_SET_KV, (_COUNTER_KEY, str(index + 1)))
        return plan_request(NETWORK_PROFILES[current["name"]], seed=int(current["seed"]), index=index)

    def hits(self, operation_id: str, client_code: str | None) -> list[Fault]:
        """The faults that hit this call, counted and used up in one transaction."""
        with self._store.read() as tx:
            if tx.scalar("SELECT COUNT(*) FROM faults") == 0:
                return []
        fired: list[Fault] = []
        with self._store.transaction() as tx:
            rows = tx.all(
                "SELECT * FROM faults WHERE operation_id IN (?, '*') AND (partner_code IS NULL OR partner_code = ?) "
                "AND (remaining IS NULL OR remaining > 0) ORDER BY id",
                (operation_id, client_code or ""),
            )
            for row in rows:
                fault = _fault_from_row(row)
                params = json.loads(row["params"] or "{}")
                params["hits"] = fault.hits + 1
                tx.execute("UPDATE faults SET params = ? WHERE id = ?", (json.dumps(params), fault.id))
                if random.Random(f"{fault.seed}:{fault.id}:{fault.hits}").random() >= fault.probability:
                    continue
                if fault.count is not None:
                    tx.execute("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", (fault.id,))
                fired.append(fault)
        return fired


def _socket() -> socket.socket | None:
    found = flask.request.environ.get("gunicorn.socket")
    return found if isinstance(found, socket.socket) else None


def _close_connection() -> bool:
    """Shut the client's connection without an answer; ``False`` when there is no socket to close."""
    sock = _socket()
    if sock is None:
        return False
    with contextlib.suppress(OSError):  # the client may have gone already
        sock.shutdown(socket.SHUT_RDWR)
    return True


def _refusal(sandbox: Sandbox, code: str, detail: str, *, status: int | None = None) -> flask.Response:
    response = render_error(
        sandbox.contract, ApiError(code, detail=detail), debug=sandbox.config.sandbox_debug
    )
    if status is not None:
        response.status_code = status
    return response


def before_operation(sandbox: Sandbox, operation_id: str) -> flask.Response | None:
    """The fault hook: network profile first, then the injected faults of ``operation_id``.

    Run only when the state cache found a fault or a profile other than ``good``; each step checks again.
    """
    faults = Faults(sandbox)
    decision = faults.network_decision()
    if decision is not None:
        time.sleep(decision.latency_ms / 1000)
        if decision.outcome in ("offline", "lose_request"):
            closed = " (connection closed)" if _close_connection() else ""
            what = "offline" if decision.outcome == "offline" else "poor-coverage"
            return _refusal(
                sandbox, "ERRPLT50301", f"network profile {what}: the request never arrived{closed}"
            )
        if decision.outcome == "lose_response":
            flask.g.setdefault(_LOST_MARK, "close")
    client_code = flask.request.headers.get("client_code") or flask.request.headers.get("X-Client-Id")
    for fault in faults.hits(operation_id, client_code):
        if fault.kind == "latency" and fault.latency_ms:
            time.sleep(fault.latency_ms / 1000)
        elif fault.kind == "drop_after_commit":
            flask.g.setdefault(_LOST_MARK, fault.mode)
        elif fault.kind == "error" and fault.code is not None:
            flask.g.pop(_LOST_MARK, None)
            response = _refusal(sandbox, fault.code, f"injected fault #{fault.id}", status=fault.status)
            if fault.retry_after is not None:
                response.headers["Retry-After"] = str(fault.retry_after)
            return response
    return None


def after_operation(response: flask.Response) -> flask.Response:
    """Lose the answer of a call marked by ``drop_after_commit`` or the network profile (state is committed)."""
    mode = flask.g.pop(_LOST_MARK, None)
    if mode is None:
        return response
    sandbox = current_sandbox()
    closed = " (connection closed)" if mode == "close" and _close_connection() else ""
    detail = f"the call was handled (HTTP {response.status_code}) and its answer lost on the way back{closed}"
    return _refusal(sandbox, "ERRPLT50401", detail)


def install(app: App) -> None:
    """Hook fault injection into ``app``'s operations (done when the control blueprint is registered)."""
    sandbox = app.extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    sandbox.before_operation.append(
        OperationHook(run=before_operation, idle=lambda s: s.state.current().quiet)
    )
    app.after_request(after_operation)
