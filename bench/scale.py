"""Benchmark 3: a sandbox holding a million participants and redeem codes answers as fast as a small one.

Two databases are seeded with the sandbox's own synthetic seed (``bench.scale_seed``, its own process, with a
progress bar): a large one (1,000,000 participants and 1,000,000 purchased redeem codes; 20,000 each with
``--quick``) and a small one (1,000 each). Each is then served (``--workers 2``) and asked the signed
``redeem-code/status`` of random seeded codes, one request at a time on one keep-alive connection; the
median latencies are compared, and the workers' peak resident memory is read from ``/proc``.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import attrs

from bench._http import HttpConnection
from bench._partners import compact, credentials, signed_headers
from bench._procs import HOST, Server, peak_rss_bytes, running, start_sandbox
from bench._results import Result, percentile
from bench._settings import Settings

__all__ = ["NAME", "run"]

NAME = "3 scale"
PATH = "/api/v1/integration/payment/redeem-code/status"
LARGE, QUICK_LARGE, SMALL = 1_000_000, 20_000, 1_000
P50_FACTOR = 1.5
SEED_LIMIT_SECONDS = 60.0
MEMORY_FACTOR = 1.5
WORKERS = 2


@attrs.frozen
class _Seeded:
    seconds: float
    peak_rss_bytes: int


@attrs.frozen
class _Served:
    p50_ms: float
    p99_ms: float
    worker_peak_rss_bytes: int
    non_200: int


def _seed(database: Path, records: int) -> _Seeded:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.scale_seed", str(database), str(records), str(records)],
        stdout=subprocess.PIPE,
        text=True,
        timeout=3600,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    line = json.loads(completed.stdout.strip().splitlines()[-1])
    if int(line["participants"]) != records or int(line["redeem_codes"]) != records:
        raise RuntimeError(f"the synthetic seed added {line} instead of {records} each")
    return _Seeded(seconds=float(line["seconds"]), peak_rss_bytes=int(line["peak_rss_bytes"]))


def _sample_codes(database: Path, count: int) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        total = int(connection.execute("SELECT MAX(rowid) FROM redeem_codes").fetchone()[0])
        draw = random.Random(3)
        rowids = [draw.randint(1, total) for _ in range(count * 2)]
        codes = [
            str(row[0])
            for rowid in rowids
            for row in connection.execute(
                "SELECT r.code FROM redeem_codes r JOIN partners p ON p.code = r.lp_code "
                "WHERE r.rowid = ? AND p.status = 'validated'",
                (rowid,),
            )
        ]
    return codes[:count]


def _lp_of(database: Path, code: str) -> str:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return str(
            connection.execute("SELECT lp_code FROM redeem_codes WHERE code = ?", (code,)).fetchone()[0]
        )


def _measure(server: Server, database: Path, requests: int) -> _Served:
    codes = _sample_codes(database, requests)
    owners = {code: credentials(_lp_of(database, code)) for code in codes}

    async def ask() -> tuple[list[float], int]:
        connection = HttpConnection(HOST, server.port)
        seconds: list[float] = []
        refused = 0
        try:
            for code in codes[: min(50, len(codes))]:  # warm-up: every worker's caches and pages
                body = compact({"redeem_code": code})
                await connection.request("POST", PATH, signed_headers(owners[code], PATH, body), body)
            for code in codes:
                body = compact({"redeem_code": code})
                answer = await connection.request(
                    "POST", PATH, signed_headers(owners[code], PATH, body), body
                )
                seconds.append(answer.seconds)
                refused += answer.status != 200
        finally:
            await connection.close()
        return seconds, refused

    seconds, refused = asyncio.run(ask())
    return _Served(
        p50_ms=percentile(seconds, 0.5) * 1000,
        p99_ms=percentile(seconds, 0.99) * 1000,
        worker_peak_rss_bytes=peak_rss_bytes(server.worker_pids()),
        non_200=refused,
    )


def _serve_and_measure(database: Path, settings: Settings, name: str, requests: int) -> _Served:
    server = start_sandbox(database, workers=WORKERS, log_dir=settings.workdir, name=name)
    with running(server):
        return _measure(server, database, requests)


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"


def run(settings: Settings) -> list[Result]:
    """Seed both databases, serve each, compare latency and memory."""
    large_records = settings.pick(LARGE, QUICK_LARGE)
    requests = settings.pick(2000, 300)
    small_db, large_db = settings.workdir / "scale-small.sqlite3", settings.workdir / "scale-large.sqlite3"
    print(f"  seeding {SMALL:,} + {SMALL:,}", file=sys.stderr, flush=True)
    _seed(small_db, SMALL)
    print(f"  seeding {large_records:,} + {large_records:,}", file=sys.stderr, flush=True)
    seeded = _seed(large_db, large_records)
    small = _serve_and_measure(small_db, settings, "scale-small", requests)
    large = _serve_and_measure(large_db, settings, "scale-large", requests)
    scope = "" if large_records == LARGE else f" (quick: {large_records:,} records, target not judged)"
    judged = large_records == LARGE
    ratio = large.p50_ms / small.p50_ms if small.p50_ms else float("inf")
    memory = large.worker_peak_rss_bytes / small.worker_peak_rss_bytes if small.worker_peak_rss_bytes else 0.0
    faults = large.non_200 + small.non_200
    fault_note = f"; {faults} answers were not 200" if faults else ""
    return [
        Result(
            benchmark=NAME,
            metric=f"status p50, {large_records:,} vs {SMALL:,} records",
            measured=f"{large.p50_ms:.2f} ms / {small.p50_ms:.2f} ms = {ratio:.2f}x{scope}",
            target=f"<= {P50_FACTOR}x",
            met=(ratio <= P50_FACTOR and not faults) if judged else None,
            note=f"{requests} sequential signed requests on random seeded codes; p99 {large.p99_ms:.2f} ms vs "
            f"{small.p99_ms:.2f} ms{fault_note}",
        ),
        Result(
            benchmark=NAME,
            metric=f"seeding {large_records:,} participants + {large_records:,} redeem codes",
            measured=f"{seeded.seconds:.1f} s (seeding process peak RSS {_mib(seeded.peak_rss_bytes)}){scope}",
            target=f"< {SEED_LIMIT_SECONDS:.0f} s",
            met=seeded.seconds < SEED_LIMIT_SECONDS if judged else None,
            note="the sandbox's seed_synthetic in one transaction, with a progress bar",
        ),
        Result(
            benchmark=NAME,
            metric="worker peak RSS, large vs small",
            measured=f"{_mib(large.worker_peak_rss_bytes)} / {_mib(small.worker_peak_rss_bytes)} = {memory:.2f}x"
            f"{scope}",
            target=f"flat (<= {MEMORY_FACTOR}x)",
            met=memory <= MEMORY_FACTOR if judged else None,
            note="largest VmHWM among the gunicorn workers after the latency run",
        ),
    ]
