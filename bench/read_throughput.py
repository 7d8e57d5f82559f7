"""Benchmark 1: signed ``redeem-code/status`` throughput over a real socket, against two baselines.

Three servers answer the same signed request, one after the other, in rounds:

- the sandbox (``prakerja-sandbox --workers 2``: gunicorn, a SQLite file, every request signed, validated,
  looked up and written to the request log);
- Stoplight Prism mocking the same operation from ``contracts/openapi.yaml`` (Prism's own request checks);
- a bare Flask endpoint answering a constant JSON under the same gunicorn settings.

wrk (another process) holds 32 keep-alive connections; each request carries the current second's timestamp
and its HMAC signature (see :mod:`bench._wrk`). Each server's result is its median round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bench._baselines import bare_command, prism_command
from bench._http import HttpConnection
from bench._partners import compact, credentials, signed_headers
from bench._procs import HOST, Server, free_port, start_process, start_sandbox
from bench._results import Result
from bench._settings import Settings
from bench._wrk import WrkRun, run_wrk, signed_script, wrk_path

__all__ = ["run"]

NAME = "1 read throughput"
PATH = "/api/v1/integration/payment/redeem-code/status"
REDEEM_CODE = "GHOPNYXUVMT0"
CONNECTIONS = 32
WORKERS = 2
PRISM_FACTOR = 1.5
BARE_SHARE = 0.60
P99_LIMIT_MS = 50.0


def _check_answer(server: Server, body: bytes) -> str | None:
    """Why ``server`` does not answer the benchmark's request with 200 and the redeem code, if it does not."""

    async def ask() -> str | None:
        connection = HttpConnection(HOST, server.port)
        headers = signed_headers(credentials("lp-cipta-kreasi-nusantara"), PATH, body)
        try:
            answer = await connection.request("POST", PATH, headers, body)
        finally:
            await connection.close()
        if answer.status != 200:
            return f"{server.name} answered {answer.status}: {answer.body[:200]!r}"
        data = answer.json().get("data") or {}
        if data.get("redeem_code") != REDEEM_CODE:
            return f"{server.name} answered without the redeem code: {answer.body[:200]!r}"
        return None

    return asyncio.run(ask())


def _median_run(runs: list[WrkRun]) -> WrkRun:
    ordered = sorted(runs, key=lambda run: run.per_second)
    return ordered[len(ordered) // 2]


def _measure(
    servers: dict[str, Server], script: Path, *, rounds: int, seconds: int, warmup: int
) -> dict[str, WrkRun]:
    runs: dict[str, list[WrkRun]] = {name: [] for name in servers}
    for server in servers.values():
        run_wrk(server.base_url, script, connections=CONNECTIONS, duration_seconds=warmup)
    for _ in range(rounds):
        for name, server in servers.items():
            runs[name].append(
                run_wrk(server.base_url, script, connections=CONNECTIONS, duration_seconds=seconds)
            )
    return {name: _median_run(found) for name, found in runs.items()}


def _describe(run: WrkRun) -> str:
    return f"{run.per_second:,.0f} req/s"


def _results(found: dict[str, WrkRun], prism_problem: str | None, rounds: int, seconds: int) -> list[Result]:
    sandbox = found["sandbox"]
    bare = found["bare"]
    faults = sandbox.non_2xx + sandbox.socket_errors
    fault_note = f"; {sandbox.non_2xx} non-2xx and {sandbox.socket_errors} socket errors" if faults else ""
    load = f"wrk, 1 thread, {CONNECTIONS} keep-alive connections, {WORKERS} sandbox workers"
    timing = f"median of {rounds} x {seconds} s rounds"
    rows: list[Result] = []
    prism = found.get("prism")
    if prism is None:
        rows.append(
            Result(
                benchmark=NAME,
                metric="sandbox / Prism req/s",
                measured=f"Prism not run: {prism_problem}",
                target=f">= {PRISM_FACTOR}x",
                met=None,
            )
        )
    else:
        ratio = sandbox.per_second / prism.per_second if prism.per_second else float("inf")
        prism_note = f"; Prism answered {prism.non_2xx} non-2xx" if prism.non_2xx else ""
        rows.append(
            Result(
                benchmark=NAME,
                metric="sandbox / Prism req/s",
                measured=f"{_describe(sandbox)} / {_describe(prism)} = {ratio:.2f}x",
                target=f">= {PRISM_FACTOR}x",
                met=ratio >= PRISM_FACTOR and not faults,
                note=f"{load}; {timing}{fault_note}{prism_note}",
            )
        )
    share = sandbox.per_second / bare.per_second if bare.per_second else 0.0
    rows.append(
        Result(
            benchmark=NAME,
            metric="sandbox / bare Flask req/s",
            measured=f"{_describe(sandbox)} / {_describe(bare)} = {share:.0%}",
            target=f">= {BARE_SHARE:.0%}",
            met=share >= BARE_SHARE and not faults,
            note=f"same gunicorn settings; bare p99 {bare.p99_ms:.1f} ms",
        )
    )
    rows.append(
        Result(
            benchmark=NAME,
            metric="sandbox p99 latency",
            measured=f"{sandbox.p99_ms:.1f} ms (p50 {sandbox.p50_ms:.1f} ms)",
            target=f"< {P99_LIMIT_MS:.0f} ms",
            met=sandbox.p99_ms < P99_LIMIT_MS and not faults,
            note=f"at {CONNECTIONS} connections{fault_note}",
        )
    )
    return rows


def run(settings: Settings) -> list[Result]:
    """Measure the sandbox against Prism and the bare endpoint; one row per target."""
    if wrk_path() is None:
        reason = "wrk is not installed (Debian: apt-get install wrk)"
        return [Result(benchmark=NAME, metric="req/s", measured=reason, target="-", met=None)]
    rounds = settings.pick(3, 1)
    seconds = settings.pick(10, 3)
    warmup = settings.pick(3, 1)
    body = compact({"redeem_code": REDEEM_CODE})
    script_path = settings.workdir / "read.lua"
    total = warmup * 3 + rounds * 3 * (seconds + 2) + 600
    script_path.write_text(signed_script(credentials("lp-cipta-kreasi-nusantara"), PATH, body, seconds=total))
    servers: dict[str, Server] = {}
    stoppers: list[Callable[[], object]] = []
    prism_problem: str | None = None
    try:
        sandbox = start_sandbox(settings.workdir / "read.sqlite3", workers=WORKERS, log_dir=settings.workdir)
        stoppers.append(sandbox.stop)
        servers["sandbox"] = sandbox
        port = free_port()
        bare = start_process("bare", bare_command(port, workers=WORKERS), port=port, log_dir=settings.workdir)
        stoppers.append(bare.stop)
        servers["bare"] = bare
        port = free_port()
        command = prism_command(port)
        if isinstance(command, str):
            prism_problem = command
        else:
            prism = start_process("prism", command, port=port, log_dir=settings.workdir, timeout=120)
            stoppers.append(prism.stop)
            servers["prism"] = prism
        for server in servers.values():
            problem = _check_answer(server, body)
            if problem is not None:
                raise RuntimeError(problem)
        found = _measure(servers, script_path, rounds=rounds, seconds=seconds, warmup=warmup)
    finally:
        for stop in reversed(stoppers):
            stop()
    return _results(found, prism_problem, rounds, seconds)
