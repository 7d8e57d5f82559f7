"""Benchmark 8: two instances on one PostgreSQL database against one instance on a SQLite file, same run.

Both set-ups get the same two server processes (SQLite: one ``prakerja-sandbox --workers 2``; PostgreSQL: two
``prakerja-sandbox --workers 1`` on one database, the load spread over both) and the same Python load
generator (:mod:`bench._http`, one keep-alive connection per client):

- **read**: signed ``redeem-code/status`` calls by 16 clients, answers per second;
- **purchase**: 16 buyers each repeating ``send-otp`` + ``authorize`` (fixed OTP) for fresh synthetic
  participants, completed purchases per second.

The rows report both rates and their ratio; there is no target. PostgreSQL runs on the same machine and shares
its cores with the sandbox and the generator, so on two cores the ratio shows the cost of the database round
trips rather than what more machines would add. The server is ``$PRAKERJA_BENCH_POSTGRESQL`` (default: the
test suite's ``postgresql://prakerja:prakerja@127.0.0.1:5432/prakerja_test``); each run uses a new schema,
dropped afterwards. Without a server the rows say so.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import attrs

from bench._http import HttpConnection
from bench._partners import Credentials, compact, credentials, signed_headers
from bench._procs import HOST, Server, running, start_sandbox
from bench._results import Result
from bench._settings import Settings

__all__ = ["NAME", "run"]

NAME = "8 shared database"
CLIENTS = 16
STATUS = "/api/v1/integration/payment/redeem-code/status"
REDEEM_CODE, LP = "GHOPNYXUVMT0", "lp-cipta-kreasi-nusantara"
SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
COURSE, SCHEDULE, PRICE = "prakerjaoauth1", "prakerjaoauth", 20000
_DEFAULT_URL = "postgresql://prakerja:prakerja@127.0.0.1:5432/prakerja_test"


def _server_url() -> str:
    return os.environ.get("PRAKERJA_BENCH_POSTGRESQL") or _DEFAULT_URL


def _unavailable(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except Exception as error:  # any reason at all means: not measurable here
        return f"no PostgreSQL server at {url}: {type(error).__name__}"
    return None


def _drop(url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


async def _reads(servers: list[Server], seconds: float) -> float:
    body = compact({"redeem_code": REDEEM_CODE})
    lp = credentials(LP)
    done = 0

    async def client(server: Server) -> None:
        nonlocal done
        connection = HttpConnection(HOST, server.port)
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                answer = await connection.request("POST", STATUS, signed_headers(lp, STATUS, body), body)
                if answer.status == 200:
                    done += 1
        finally:
            await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(client(servers[index % len(servers)]) for index in range(CLIENTS)))
    return done / (time.monotonic() - started)


async def _purchase(connection: HttpConnection, dp: Credentials, prakerja_id: str) -> str:
    """One purchase: ``"OK"``, or the refusal (operation and code)."""
    body = compact(
        {"user_platform_id": f"bench-{prakerja_id}", "prakerja_id": prakerja_id, "course_code": COURSE,
         "schedule_code": SCHEDULE, "amount": PRICE}
    )  # fmt: skip
    sent = await connection.request("POST", SEND_OTP, signed_headers(dp, SEND_OTP, body), body)
    if sent.status != 200:
        return f"send-otp {sent.json().get('code')}"
    token = sent.json()["data"]["payment_token"]
    body = compact(
        {"otp": "123456", "invoice_url": "https://dp.example/i/B", "invoice_code": f"B-{prakerja_id}"}
    )
    paid = await connection.request(
        "POST", AUTHORIZE, signed_headers(dp, AUTHORIZE, body, authorization=f"Payment {token}"), body
    )
    return "OK" if paid.status == 200 else f"authorize {paid.json().get('code')}"


async def _purchases(
    servers: list[Server], buyers: Iterator[str], seconds: float
) -> tuple[float, Counter[str]]:
    dp = credentials("tokopedia")
    outcomes: Counter[str] = Counter()

    async def buyer(server: Server) -> None:
        connection = HttpConnection(HOST, server.port)
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline and (prakerja_id := next(buyers, None)) is not None:
                outcomes[await _purchase(connection, dp, prakerja_id)] += 1
        finally:
            await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(buyer(servers[index % len(servers)]) for index in range(CLIENTS)))
    return outcomes["OK"] / (time.monotonic() - started), outcomes


async def _new_participants(server: Server, count: int) -> list[str]:
    """Seed ``count`` synthetic participants; their numbers (read back through the control API)."""
    connection = HttpConnection(HOST, server.port, timeout=600)
    json = {"Content-Type": "application/json"}
    try:
        before = (await connection.request("GET", "/_sandbox/participants?limit=1")).json()["data"]["total"]
        seeded = await connection.request("POST", "/_sandbox/seed", json, compact({"participants": count}))
        if seeded.status != 200:
            raise RuntimeError(f"/_sandbox/seed answered {seeded.status}: {seeded.body[:300]!r}")
        numbers: list[str] = []
        for offset in range(0, before + count, 1000):
            page = await connection.request("GET", f"/_sandbox/participants?limit=1000&offset={offset}")
            numbers += [row["prakerja_id"] for row in page.json()["data"]["items"] if row["balance"] > PRICE]
    finally:
        await connection.close()
    return numbers


@attrs.frozen
class _Measured:
    reads: float
    purchases: float
    #: purchases refused, by operation and code
    refused: str


def _measure(servers: list[Server], seconds: int, buyers: int) -> _Measured:
    reads = asyncio.run(_reads(servers, seconds))
    numbers = asyncio.run(_new_participants(servers[0], buyers))
    purchases, outcomes = asyncio.run(_purchases(servers, iter(numbers), seconds))
    refused = ", ".join(f"{count} x {key}" for key, count in sorted(outcomes.items()) if key != "OK")
    return _Measured(reads, purchases, refused)


def _sqlite(workdir: Path, seconds: int, buyers: int) -> _Measured:
    server = start_sandbox(workdir / "shared-sqlite.sqlite3", workers=2, log_dir=workdir, name="sqlite")
    with running(server):
        return _measure([server], seconds, buyers)


def _postgresql(url: str, workdir: Path, seconds: int, buyers: int) -> _Measured:
    schema = f"bench_{secrets.token_hex(4)}"
    database = f"{url}{'&' if '?' in url else '?'}schema={schema}"
    try:
        first = start_sandbox(database, workers=1, log_dir=workdir, name="postgresql-1")
        with running(first):
            second = start_sandbox(database, workers=1, log_dir=workdir, name="postgresql-2")
            with running(second):
                return _measure([first, second], seconds, buyers)
    finally:
        _drop(url, schema)


def _row(metric: str, unit: str, sqlite: float, postgresql: float | None, note: str) -> Result:
    measured = f"SQLite 1 x 2 workers: {sqlite:,.0f} {unit}; "
    if postgresql is None:
        measured += "PostgreSQL: not measured"
    else:
        ratio = postgresql / sqlite if sqlite else float("inf")
        measured += f"PostgreSQL 2 x 1 worker: {postgresql:,.0f} {unit} ({ratio:.2f}x)"
    return Result(benchmark=NAME, metric=metric, measured=measured, target="-", met=None, note=note)


def run(settings: Settings) -> list[Result]:
    """Measure reads and purchases on both set-ups; one row each."""
    seconds, buyers = settings.pick(10, 2), settings.pick(6000, 600)
    sqlite = _sqlite(settings.workdir, seconds, buyers)
    url = _server_url()
    reason = _unavailable(url)
    pg = None if reason is not None else _postgresql(url, settings.workdir, seconds, buyers)
    note = reason or (
        f"{CLIENTS} clients, {seconds} s each; PostgreSQL on the same machine, sharing its cores: more cores or "
        "a database host of its own let the instances add up; writes of one workspace stay one at a time"
    )
    refused = [f"{name} refused {text}" for name, found in (("SQLite", sqlite), ("PostgreSQL", pg))
               if found is not None and (text := found.refused)]  # fmt: skip
    return [
        _row("signed status reads/s", "reads/s", sqlite.reads, None if pg is None else pg.reads, note),
        _row(
            "completed purchases/s",
            "purchases/s",
            sqlite.purchases,
            None if pg is None else pg.purchases,
            "; ".join([note, *refused]),
        ),
    ]
