"""Benchmark 1: signed ``redeem-code/status`` throughput over a real socket, against baselines, calibrated.

Servers answering the same signed request, one after the other, in rounds:

- the sandbox (``prakerja-sandbox --workers 2``: gunicorn with its gevent worker, a SQLite file, every request
  signed, validated, looked up and logged);
- Stoplight Prism mocking the same operation from ``contracts/openapi.yaml`` (Prism's own request checks);
- a bare Flask endpoint answering a constant JSON under the sandbox's own server and settings, and the same
  endpoint under gunicorn gthread and under granian (the server candidates);
- the calibration server: granian's native interface answering a constant (:mod:`bench.trivial_app`). The
  generator must drive it at twice the rate of the best server above, or the table says it saturated.

wrk (another process, one thread) holds 32 keep-alive connections and sends one static signed request (see
:mod:`bench._wrk`; a fresh signature for each run). Each server's result is its median round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bench._baselines import BARE_SERVERS, bare_command, prism_command, trivial_command
from bench._http import HttpConnection
from bench._partners import compact, credentials, signed_headers
from bench._procs import HOST, Server, cpu_seconds, free_port, start_process, start_sandbox
from bench._results import Result, calibration_row
from bench._settings import Settings
from bench._wrk import WrkRun, run_wrk, signed_script, wrk_path

__all__ = ["run"]

NAME = "1 read throughput"
PATH = "/api/v1/integration/payment/redeem-code/status"
REDEEM_CODE = "GHOPNYXUVMT0"
PARTNER = "lp-cipta-kreasi-nusantara"
CONNECTIONS = 32
WORKERS = 2
PRISM_FACTOR = 1.5
BARE_SHARE = 0.60
P99_LIMIT_MS = 50.0


def _check_answer(server: Server, body: bytes) -> str | None:
    """Why ``server`` does not answer the benchmark's request with 200 and the redeem code, if it does not."""

    async def ask() -> str | None:
        connection = HttpConnection(HOST, server.port)
        headers = signed_headers(credentials(PARTNER), PATH, body)
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


def _wrk(server: Server, script: Path, body: bytes, seconds: int) -> tuple[WrkRun, float]:
    """One wrk run, and the server's CPU time per answered request in it (all its processes and threads)."""
    # signed right before each run, so every run is well inside the +-300 s window
    script.write_text(signed_script(credentials(PARTNER), PATH, body))
    pids = server.pids()
    before = cpu_seconds(pids)
    run = run_wrk(server.base_url, script, connections=CONNECTIONS, duration_seconds=seconds)
    used = cpu_seconds(pids) - before
    return run, used / run.requests if run.requests else 0.0


def _measure(
    servers: dict[str, Server], script: Path, body: bytes, *, rounds: int, seconds: int, warmup: int
) -> tuple[dict[str, WrkRun], dict[str, float]]:
    """Each server's median round, and its median CPU seconds per request."""
    runs: dict[str, list[WrkRun]] = {name: [] for name in servers}
    costs: dict[str, list[float]] = {name: [] for name in servers}
    for server in servers.values():
        _wrk(server, script, body, warmup)
    for _ in range(rounds):
        for name, server in servers.items():
            run, cost = _wrk(server, script, body, seconds)
            runs[name].append(run)
            costs[name].append(cost)
    medians = {name: sorted(found)[len(found) // 2] for name, found in costs.items()}
    return {name: _median_run(found) for name, found in runs.items()}, medians


def _describe(run: WrkRun) -> str:
    return f"{run.per_second:,.0f} req/s"


def _bare_rows(found: dict[str, WrkRun]) -> list[Result]:
    sandbox = found["sandbox"]
    rows = []
    for server, label in BARE_SERVERS.items():
        bare = found.get(f"bare-{server}")
        if bare is None:
            continue
        share = sandbox.per_second / bare.per_second if bare.per_second else 0.0
        same = server == "sandbox"
        rows.append(
            Result(
                benchmark=NAME,
                metric="sandbox / bare Flask req/s" + ("" if same else f" on {server}"),
                measured=f"{_describe(sandbox)} / {_describe(bare)} = {share:.0%}",
                target=f">= {BARE_SHARE:.0%}" if same else "reported",
                met=(share >= BARE_SHARE and _clean(sandbox)) if same else None,
                note=f"bare Flask under {label}; bare p99 {bare.p99_ms:.1f} ms",
            )
        )
    return rows


def _clean(run: WrkRun) -> bool:
    return not (run.non_2xx or run.socket_errors)


def _cpu_row(costs: dict[str, float]) -> Result:
    """Server CPU per request: unlike req/s, not skewed by the share of a busy machine each server gets."""
    sandbox = costs["sandbox"]
    bare = costs.get("bare-sandbox", 0.0)
    others = ", ".join(
        f"{name.removeprefix('bare-')} {costs[name] * 1e6:,.0f}"
        for name in ("bare-gthread", "bare-granian", "prism")
        if name in costs
    )
    share = bare / sandbox if sandbox else 0.0
    return Result(
        benchmark=NAME,
        metric="server CPU per request: bare Flask / sandbox",
        measured=f"{bare * 1e6:,.0f} µs / {sandbox * 1e6:,.0f} µs = {share:.0%}",
        target="reported",
        met=None,
        note=f"user + system time of each server's processes over its runs, per answered request (median "
        f"round); other servers, µs: {others}. On a shared machine req/s follow the CPU share each server "
        "gets (more threads, more share); CPU per request does not",
    )


def _results(
    found: dict[str, WrkRun], costs: dict[str, float], prism_problem: str | None, rounds: int, seconds: int
) -> list[Result]:
    sandbox = found["sandbox"]
    fault_note = (
        "" if _clean(sandbox) else f"; {sandbox.non_2xx} non-2xx and {sandbox.socket_errors} socket errors"
    )
    load = f"wrk, 1 thread, {CONNECTIONS} keep-alive connections, {WORKERS} workers each"
    timing = f"median of {rounds} x {seconds} s rounds"
    measured = {name: run.per_second for name, run in found.items() if name != "calibration"}
    best = max(measured.items(), key=lambda item: item[1])
    rows = [calibration_row(NAME, f"wrk (1 thread, {CONNECTIONS} connections)", found["calibration"].per_second,
                            best, "req/s")]  # fmt: skip
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
                met=ratio >= PRISM_FACTOR and _clean(sandbox),
                note=f"{load}; {timing}{fault_note}{prism_note}",
            )
        )
    rows.extend(_bare_rows(found))
    rows.append(_cpu_row(costs))
    rows.append(
        Result(
            benchmark=NAME,
            metric="sandbox p99 latency",
            measured=f"{sandbox.p99_ms:.1f} ms (p50 {sandbox.p50_ms:.1f} ms)",
            target=f"< {P99_LIMIT_MS:.0f} ms",
            met=sandbox.p99_ms < P99_LIMIT_MS and _clean(sandbox),
            note=f"at {CONNECTIONS} connections{fault_note}",
        )
    )
    return rows


def _start_servers(
    settings: Settings, servers: dict[str, Server], stoppers: list[Callable[[], object]]
) -> str | None:
    """Start every server of the benchmark into ``servers``; returns why Prism is missing, if it is."""

    def started(name: str, server: Server) -> None:
        stoppers.append(server.stop)
        servers[name] = server

    started(
        "sandbox", start_sandbox(settings.workdir / "read.sqlite3", workers=WORKERS, log_dir=settings.workdir)
    )
    for server in BARE_SERVERS:
        port = free_port()
        command = bare_command(port, workers=WORKERS, server=server)
        started(
            f"bare-{server}", start_process(f"bare-{server}", command, port=port, log_dir=settings.workdir)
        )
    port = free_port()
    command = trivial_command(port, workers=WORKERS)
    started("calibration", start_process("calibration", command, port=port, log_dir=settings.workdir))
    port = free_port()
    prism = prism_command(port)
    if isinstance(prism, str):
        return prism
    started("prism", start_process("prism", prism, port=port, log_dir=settings.workdir, timeout=120))
    return None


def run(settings: Settings) -> list[Result]:
    """Measure the sandbox against Prism and the bare endpoint; one row per target."""
    if wrk_path() is None:
        reason = "wrk is not installed (Debian: apt-get install wrk)"
        return [Result(benchmark=NAME, metric="req/s", measured=reason, target="-", met=None)]
    rounds = settings.pick(3, 1)
    seconds = settings.pick(10, 3)
    warmup = settings.pick(3, 1)
    body = compact({"redeem_code": REDEEM_CODE})
    servers: dict[str, Server] = {}
    stoppers: list[Callable[[], object]] = []
    try:
        prism_problem = _start_servers(settings, servers, stoppers)
        for name, server in servers.items():
            problem = _check_answer(server, body) if name != "calibration" else None
            if problem is not None:
                raise RuntimeError(problem)
        found, costs = _measure(
            servers, settings.workdir / "read.lua", body, rounds=rounds, seconds=seconds, warmup=warmup
        )
    finally:
        for stop in reversed(stoppers):
            stop()
    return _results(found, costs, prism_problem, rounds, seconds)
