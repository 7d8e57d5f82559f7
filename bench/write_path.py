"""Benchmark 2: complete purchases per second by 16 concurrent buyers, with nothing lost or duplicated.

The sandbox runs as a partner would run it (``prakerja-sandbox --workers 2 --otp-mode random``). Each of 16
buyers (one keep-alive connection each, in one asyncio load generator) repeats a whole purchase for a new
participant: ``send-otp``, read the OTP from the SMS inbox (``GET /_sandbox/inbox``), ``authorize`` with it.
Afterwards the database itself is audited: every purchase answered 200 is there exactly once, with its
transaction code, one redeem code and one debit; nothing is there that was not answered.

The generator is Python, so it is calibrated in the same run: the same 16 buyers run the same purchase cycle
against the calibration server (:mod:`bench.trivial_app`, a constant answer holding every field a buyer
reads), and must complete at least twice as many purchases a second as the sandbox did.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import attrs

from bench._baselines import trivial_command
from bench._http import HttpConnection
from bench._partners import Credentials, compact, credentials, signed_headers
from bench._procs import HOST, Server, free_port, running, start_process, start_sandbox
from bench._results import Result, calibration_row
from bench._settings import Settings

__all__ = ["NAME", "Audit", "audit", "run"]

NAME = "2 write path"
BUYERS = 16
WORKERS = 2
TARGET_PER_SECOND = 500.0
SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
COURSE, SCHEDULE, PRICE = "prakerjaoauth1", "prakerjaoauth", 20000
INVOICE_PREFIX = "BENCH-W-"


@attrs.define
class _Tally:
    answered: dict[str, str] = attrs.field(factory=dict)  # invoice code -> transaction code (200 answers)
    refused: dict[str, int] = attrs.field(factory=dict)  # "operation status code" -> count
    failed_calls: int = 0


@attrs.frozen
class Audit:
    """What the database holds for the benchmark's purchases."""

    answered: int
    stored: int
    lost: int
    duplicated: int
    unanswered: int
    wrong_debits: int

    @property
    def clean(self) -> bool:
        """Nothing lost, duplicated, unanswered or debited wrongly."""
        return not (self.lost or self.duplicated or self.unanswered or self.wrong_debits)


async def _buyer(
    server: Server, dp: Credentials, participants: Iterator[str], tally: _Tally, deadline: float
) -> None:
    connection = HttpConnection(HOST, server.port)
    try:
        while time.monotonic() < deadline:
            prakerja_id = next(participants, None)
            if prakerja_id is None:
                return
            try:
                await _purchase(connection, dp, prakerja_id, tally)
            except (OSError, asyncio.IncompleteReadError, TimeoutError):
                tally.failed_calls += 1
    finally:
        await connection.close()


def _count(tally: _Tally, key: str) -> None:
    tally.refused[key] = tally.refused.get(key, 0) + 1


async def _purchase(
    connection: HttpConnection, partner: Credentials, prakerja_id: str, tally: _Tally
) -> None:
    body = compact(
        {"user_platform_id": f"bench-{prakerja_id}", "prakerja_id": prakerja_id, "course_code": COURSE,
         "schedule_code": SCHEDULE, "amount": PRICE}
    )  # fmt: skip
    sent = await connection.request("POST", SEND_OTP, signed_headers(partner, SEND_OTP, body), body)
    if sent.status != 200:
        _count(tally, f"send-otp {sent.status} {sent.json().get('code')}")
        return
    token = sent.json()["data"]["payment_token"]
    query = urlencode({"prakerja_id": prakerja_id, "kind": "otp", "limit": 1})
    inbox = await connection.request("GET", f"/_sandbox/inbox?{query}")
    messages = inbox.json()["data"]["messages"] if inbox.status == 200 else []
    if not messages or messages[0].get("payment_token") != token:
        _count(tally, f"inbox {inbox.status} without this token's OTP")
        return
    invoice = f"{INVOICE_PREFIX}{prakerja_id}"
    body = compact(
        {"otp": messages[0]["otp"], "invoice_url": f"https://dp.example/i/{invoice}", "invoice_code": invoice}
    )
    headers = signed_headers(partner, AUTHORIZE, body, authorization=f"Payment {token}")
    paid = await connection.request("POST", AUTHORIZE, headers, body)
    if paid.status != 200:
        _count(tally, f"authorize {paid.status} {paid.json().get('code')}")
        return
    tally.answered[invoice] = paid.json()["data"]["transaction_code"]


async def _load(server: Server, buyers: list[str], seconds: float) -> tuple[_Tally, float]:
    tally = _Tally()
    participants = iter(buyers)
    dp = credentials("tokopedia")
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_buyer(server, dp, participants, tally, deadline) for _ in range(BUYERS)))
    return tally, time.monotonic() - started


def audit(database: Path, answered: dict[str, str]) -> Audit:
    """Compare the purchases answered 200 with what ``database`` holds (read after the server stopped)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT t.invoice_code, t.transaction_code, t.prakerja_id, "
            "(SELECT COUNT(*) FROM redeem_codes r WHERE r.transaction_code = t.transaction_code), p.balance "
            "FROM transactions t JOIN participants p ON p.prakerja_id = t.prakerja_id "
            "WHERE t.invoice_code LIKE ?",
            (f"{INVOICE_PREFIX}%",),
        ).fetchall()
        starting = int(
            connection.execute("SELECT value FROM kv WHERE key = 'defaults.participant_balance'").fetchone()[
                0
            ]
        )
    stored: dict[str, list[str]] = {}
    wrong_debits = 0
    for invoice, transaction, _participant, redeem_codes, balance in rows:
        stored.setdefault(invoice, []).append(transaction)
        if redeem_codes != 1 or balance != starting - PRICE:
            wrong_debits += 1
    lost = sum(1 for invoice, code in answered.items() if code not in stored.get(invoice, []))
    duplicated = sum(len(codes) - 1 for codes in stored.values())
    unanswered = sum(1 for invoice in stored if invoice not in answered)
    return Audit(
        answered=len(answered),
        stored=len(rows),
        lost=lost,
        duplicated=duplicated,
        unanswered=unanswered,
        wrong_debits=wrong_debits,
    )


def _rowids(database: Path, sql: str) -> list[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return [str(row[0]) for row in connection.execute(sql)]


def _new_participants(server: Server, database: Path, count: int) -> list[str]:
    """Add ``count`` synthetic participants through the control API; returns their numbers."""
    before = int(_rowids(database, "SELECT COALESCE(MAX(rowid), 0) FROM participants")[0])

    async def seed() -> None:
        connection = HttpConnection(HOST, server.port, timeout=600)
        try:
            body = compact({"participants": count, "seed": 7})
            answer = await connection.request(
                "POST", "/_sandbox/seed", {"Content-Type": "application/json"}, body
            )
        finally:
            await connection.close()
        if answer.status != 200:
            raise RuntimeError(f"/_sandbox/seed answered {answer.status}: {answer.body[:300]!r}")

    asyncio.run(seed())
    return _rowids(database, f"SELECT prakerja_id FROM participants WHERE rowid > {before} ORDER BY rowid")


def run(settings: Settings) -> list[Result]:
    """Run the purchase load, audit the database, and report purchases per second."""
    seconds = settings.pick(10, 3)
    database = settings.workdir / "write.sqlite3"
    sandbox = start_sandbox(
        database, workers=WORKERS, log_dir=settings.workdir, options=["--otp-mode", "random"]
    )
    with running(sandbox):
        buyers = _new_participants(sandbox, database, int(TARGET_PER_SECOND * seconds * 3))
        tally, elapsed = asyncio.run(_load(sandbox, buyers, seconds))
    found = audit(database, tally.answered)
    rate = found.answered / elapsed if elapsed else 0.0
    port = free_port()
    calibration = start_process("calibration-write", trivial_command(port, workers=WORKERS), port=port,
                                log_dir=settings.workdir)  # fmt: skip
    with running(calibration):
        fake = [f"9{index:015d}" for index in range(int(TARGET_PER_SECOND * seconds * 20))]
        calibrated, calibration_elapsed = asyncio.run(_load(calibration, fake, seconds))
    calibration_rate = len(calibrated.answered) / calibration_elapsed if calibration_elapsed else 0.0
    refusals = ", ".join(f"{count} x {key}" for key, count in sorted(tally.refused.items()))
    note = f"{BUYERS} buyers, {WORKERS} workers, {elapsed:.1f} s; OTP read from the SMS inbox"
    if refusals:
        note += f"; refused: {refusals}"
    if tally.failed_calls:
        note += f"; {tally.failed_calls} calls without an answer"
    if len(buyers) == found.answered + sum(tally.refused.values()) + tally.failed_calls:
        note += "; ran out of participants before the time was up"
    generator = f"the Python generator ({BUYERS} buyers, the same purchase cycle)"
    return [
        calibration_row(NAME, generator, calibration_rate, ("sandbox", rate), "purchases/s"),
        Result(
            benchmark=NAME,
            metric="completed purchases/s",
            measured=f"{rate:,.0f} purchases/s ({found.answered:,} purchases)",
            target=f">= {TARGET_PER_SECOND:.0f}/s",
            met=rate >= TARGET_PER_SECOND,
            note=note,
        ),
        Result(
            benchmark=NAME,
            metric="lost / duplicated transactions",
            measured=f"{found.lost} lost, {found.duplicated} duplicated, {found.unanswered} unanswered, "
            f"{found.wrong_debits} wrong debits ({found.stored:,} stored)",
            target="0 / 0",
            met=found.clean and found.answered > 0,
            note="audited in the database file after the server stopped",
        ),
    ]
