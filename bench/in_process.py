"""Benchmark 6: the in-process sandbox that the pytest plugin gives each test (no socket, no server).

- A signed ``redeem-code/status`` through Flask's test client, against the bare endpoint
  (:mod:`bench.bare_app`) through its own test client: the same request bytes, the two interleaved in rounds,
  each side's median round per call. Target: at most 3x.
- A fresh sandbox as the plugin's ``prakerja_sandbox`` fixture makes one for each test
  (``LocalSandbox.in_process()``: the app, an in-memory database, the seed), then closed. Target: 20 ms; a
  bare Flask app made and asked once is measured beside it as the floor.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import flask

from bench._partners import compact, credentials, signed_headers
from bench._results import Result
from bench._settings import Settings

__all__ = ["NAME", "run"]

NAME = "6 in-process"
PATH = "/api/v1/integration/payment/redeem-code/status"
REDEEM_CODE = "PRAT-TC1001"
STATUS_FACTOR = 3.0
FRESH_LIMIT_MS = 20.0


def _per_call(call: Callable[[], object], calls: int) -> float:
    """Seconds per call of ``call`` over ``calls`` calls, the garbage collector paused as in a steady state."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for _ in range(calls):
            call()
        return (time.perf_counter() - started) / calls
    finally:
        gc.enable()


def _status_calls() -> tuple[Callable[[], object], Callable[[], object]]:
    from bench.bare_app import app as bare_app
    from prakerja_sandbox import create_app

    sandbox = create_app()
    body = compact({"redeem_code": REDEEM_CODE})
    headers = signed_headers(credentials("lp-cipta-kreasi-nusantara"), PATH, body)
    sandbox_client = sandbox.test_client()
    bare_client = bare_app.test_client()

    def ask(client: flask.testing.FlaskClient) -> Callable[[], object]:
        def call() -> Any:
            answer = client.post(PATH, data=body, headers=headers)
            if answer.status_code != 200:
                raise RuntimeError(f"answered {answer.status_code}: {answer.get_data()[:200]!r}")
            return answer

        return call

    return ask(sandbox_client), ask(bare_client)


def _fresh_sandbox() -> None:
    from prakerja.testing.harness import LocalSandbox

    LocalSandbox.in_process().close()


def _fresh_bare() -> None:
    app = flask.Flask("fresh-bare")
    app.add_url_rule(PATH, "status", lambda: flask.jsonify({"success": True}), methods=["POST"])
    app.test_client().post(PATH)


def _interleaved(
    first: Callable[[], object], second: Callable[[], object], *, rounds: int, calls: int
) -> tuple[float, float]:
    firsts, seconds = [], []
    for _ in range(rounds):
        firsts.append(_per_call(first, calls))
        seconds.append(_per_call(second, calls))
    return statistics.median(firsts), statistics.median(seconds)


def run(settings: Settings) -> list[Result]:
    """Time the signed status against the bare endpoint, and a fresh sandbox, in this process."""
    rounds = settings.pick(7, 3)
    sandbox_call, bare_call = _status_calls()
    sandbox_call()  # warm: first-use imports and caches
    bare_call()
    sandbox_s, bare_s = _interleaved(sandbox_call, bare_call, rounds=rounds, calls=settings.pick(500, 100))
    _fresh_sandbox()
    _fresh_bare()
    fresh_s, fresh_bare_s = _interleaved(
        _fresh_sandbox, _fresh_bare, rounds=rounds, calls=settings.pick(10, 3)
    )
    ratio = sandbox_s / bare_s if bare_s else float("inf")
    return [
        Result(
            benchmark=NAME,
            metric="signed status / bare endpoint, Flask test client",
            measured=f"{sandbox_s * 1e6:,.0f} µs / {bare_s * 1e6:,.0f} µs = {ratio:.2f}x",
            target=f"<= {STATUS_FACTOR:.0f}x",
            met=ratio <= STATUS_FACTOR,
            note=f"in-memory sandbox as the pytest plugin makes it; median of {rounds} interleaved rounds",
        ),
        Result(
            benchmark=NAME,
            metric="a fresh in-process sandbox (made, seeded, closed)",
            measured=f"{fresh_s * 1000:.1f} ms (a bare Flask app made and asked once: {fresh_bare_s * 1000:.2f} ms)",
            target=f"<= {FRESH_LIMIT_MS:.0f} ms",
            met=fresh_s * 1000 <= FRESH_LIMIT_MS,
            note="LocalSandbox.in_process(), what the prakerja_sandbox fixture does for each test",
        ),
    ]
