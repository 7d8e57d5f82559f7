"""Benchmark 7: what grows with use. A request log of 1,000,000 rows, and a worker after 100,000 requests.

- **Request log.** Two databases, each served by the sandbox's own command with the log bound off
  (``--request-log-rows 0``): one whose log holds 100 copies of a real status request's row, one whose log
  holds 1,000,000 (bulk-copied in SQL before serving). The median time of ``GET /_sandbox/requests`` (the
  newest 50, as the dashboard and tests read it) and of the dashboard page (the newest 15) are compared. Both
  logs fill a whole page, so the ratio is what the log's size costs, not the cost of showing 50 rows instead
  of none (which an empty log compared: in-process, 50 rows took about 3 ms to read and render, none 0.35 ms).
  The copies differ in the redeem code of their body (a 16-digit number each); every tenth of the log names
  one seeded participant's Kartu Prakerja number instead, so in both logs 9 rows mention it: the time of
  ``GET /_sandbox/requests?mentions=<that number>`` and of that participant's dashboard page (which lists the
  requests mentioning them) is compared the same way.
- **Worker memory.** One sandbox, two workers, driven by wrk with the read benchmark's static signed request
  until 100,000 requests are answered; each worker's resident memory (``VmRSS``) after a 2,000-request
  warm-up is compared with the same after the run.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
from pathlib import Path

from bench._http import HttpConnection
from bench._partners import compact, credentials, signed_headers
from bench._procs import HOST, Server, running, start_sandbox
from bench._results import Result
from bench._settings import Settings
from bench._wrk import run_wrk, signed_script, wrk_path

__all__ = ["NAME", "run"]

NAME = "7 cost growth"
PATH = "/api/v1/integration/payment/redeem-code/status"
PARTNER = "lp-cipta-kreasi-nusantara"
REDEEM_CODE = "GHOPNYXUVMT0"
BODY = compact({"redeem_code": REDEEM_CODE})
KARTU = "2900078904998608"  # a seeded participant (contracts/partners.yaml)
LOG_ROWS, QUICK_LOG_ROWS = 1_000_000, 20_000
SMALL_LOG_ROWS = 100  # more than a page of either reader
REQUESTS, QUICK_REQUESTS = 100_000, 5_000
LOG_FACTOR = 1.5
MEMORY_FACTOR = 1.25
WORKERS = 2


async def _median_ms(server: Server, path: str, calls: int) -> float:
    connection = HttpConnection(HOST, server.port, timeout=120)
    seconds = []
    try:
        for _ in range(calls + 2):  # the first two warm the worker's pages
            answer = await connection.request("GET", path)
            if answer.status != 200:
                raise RuntimeError(f"GET {path} answered {answer.status}: {answer.body[:200]!r}")
            seconds.append(answer.seconds)
    finally:
        await connection.close()
    return statistics.median(seconds[2:]) * 1000


async def _one_status(server: Server) -> None:
    connection = HttpConnection(HOST, server.port)
    try:
        answer = await connection.request(
            "POST", PATH, signed_headers(credentials(PARTNER), PATH, BODY), BODY
        )
    finally:
        await connection.close()
    if answer.status != 200:
        raise RuntimeError(f"the status request answered {answer.status}: {answer.body[:200]!r}")


def _fill_log(database: Path, rows: int) -> None:
    """Copy the log's newest row until the log holds ``rows`` rows (the server is stopped).

    Copy ``i`` carries a number of its own in place of the body's redeem code, or :data:`KARTU` when ``i`` is
    a multiple of a tenth of ``rows``: 9 rows mention the participant, whatever the size of the log.
    """
    every = rows // 10
    with sqlite3.connect(database) as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(request_log)") if row[1] != "id"]
        names = ", ".join(columns)
        copied = ", ".join(
            f"replace(request_body, '{REDEEM_CODE}', CASE WHEN i % {every} = 0 THEN '{KARTU}' "
            "ELSE printf('%016d', 1000000000000000 + i) END)"
            if name == "request_body"
            else name
            for name in columns
        )
        connection.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            f"INSERT INTO request_log ({names}) SELECT {copied} FROM n, "
            f"(SELECT {names} FROM request_log ORDER BY id DESC LIMIT 1)",
            (rows - 1,),
        )


def _serve(database: Path, settings: Settings, name: str) -> Server:
    return start_sandbox(
        database, workers=WORKERS, log_dir=settings.workdir, name=name, options=["--request-log-rows", "0"]
    )


#: what is timed on each log: label, path
_READERS = (
    ("GET /_sandbox/requests", "/_sandbox/requests?limit=50"),
    ("dashboard", "/_sandbox/"),
    ("GET /_sandbox/requests?mentions=<Kartu number>", f"/_sandbox/requests?limit=50&mentions={KARTU}"),
    ("dashboard participant page", f"/_sandbox/ui/participants/{KARTU}"),
)


def _log_latencies(database: Path, settings: Settings, name: str, calls: int) -> list[float]:
    with running(_serve(database, settings, name)) as server:
        return [asyncio.run(_median_ms(server, path, calls)) for _, path in _READERS]


def _log_rows(settings: Settings) -> list[Result]:
    rows = settings.pick(LOG_ROWS, QUICK_LOG_ROWS)
    calls = settings.pick(10, 3)
    small_db, full_db = settings.workdir / "growth-small.sqlite3", settings.workdir / "growth-full.sqlite3"
    for database in (small_db, full_db):
        with running(_serve(database, settings, f"growth-{database.stem}")) as server:
            asyncio.run(_one_status(server))
    _fill_log(small_db, SMALL_LOG_ROWS)
    small = _log_latencies(small_db, settings, "growth-small-log", calls)
    _fill_log(full_db, rows)  # after: filled first, the small log answered slower (0.3x-0.6x in three runs)
    full = _log_latencies(full_db, settings, "growth-full-log", calls)
    judged = rows == LOG_ROWS
    scope = "" if judged else f" (quick: {rows:,} rows, target not judged)"
    results = []
    for (label, _), large, base in zip(_READERS, full, small, strict=True):
        ratio = large / base if base else float("inf")
        results.append(
            Result(
                benchmark=NAME,
                metric=f"{label}, request log of {rows:,} rows vs {SMALL_LOG_ROWS}",
                measured=f"{large:.1f} ms / {base:.1f} ms = {ratio:.2f}x{scope}",
                target=f"<= {LOG_FACTOR}x",
                met=ratio <= LOG_FACTOR if judged else None,
                note=f"median of {calls} calls, one at a time; served with --request-log-rows 0",
            )
        )
    return results


def _rss_kib(pids: list[int]) -> dict[int, int]:
    found = {}
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found[pid] = int(line.split()[1])
    return found


def _drive(server: Server, script: Path, requests: int) -> int:
    """Run wrk in rounds (each freshly signed) until ``requests`` are answered; returns how many were."""
    answered = 0
    while answered < requests:
        script.write_text(signed_script(credentials(PARTNER), PATH, BODY))
        answered += run_wrk(server.base_url, script, connections=32, duration_seconds=10).requests
    return answered


def _memory(settings: Settings) -> Result:
    requests = settings.pick(REQUESTS, QUICK_REQUESTS)
    script = settings.workdir / "growth.lua"
    with running(start_sandbox(settings.workdir / "growth-memory.sqlite3", workers=WORKERS,
                               log_dir=settings.workdir, name="growth-memory")) as server:  # fmt: skip
        script.write_text(signed_script(credentials(PARTNER), PATH, BODY))
        run_wrk(server.base_url, script, connections=32, duration_seconds=3)
        before = _rss_kib(server.worker_pids())
        answered = _drive(server, script, requests)
        after = _rss_kib(server.worker_pids())
    growth = max(after[pid] / before[pid] for pid in before if pid in after)
    judged = requests == REQUESTS
    worst = max(after.values())
    return Result(
        benchmark=NAME,
        metric=f"worker memory after {requests:,} requests vs after warm-up",
        measured=f"{worst / 1024:,.0f} MiB largest; growth {growth:.2f}x"
        + ("" if judged else f" (quick: {requests:,} requests, target not judged)"),
        target=f"<= {MEMORY_FACTOR}x",
        met=growth <= MEMORY_FACTOR if judged else None,
        note=f"VmRSS of each of {WORKERS} workers; {answered:,} requests answered by wrk (32 connections)",
    )


def run(settings: Settings) -> list[Result]:
    """The request log at size, and a worker's memory after many requests."""
    rows = _log_rows(settings)
    if wrk_path() is None:
        reason = "wrk is not installed (Debian: apt-get install wrk)"
        return [*rows, Result(benchmark=NAME, metric="worker memory", measured=reason, target="-", met=None)]
    return [*rows, _memory(settings)]
