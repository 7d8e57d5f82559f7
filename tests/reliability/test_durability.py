"""Crash safety: ``kill -9`` the served sandbox in the middle of a purchase load, restart it on the same file.

Every purchase that was answered 200 before the crash must be there afterwards, complete (transaction,
redeem code, spent payment token, debit, seat, SMS) and nothing half-written; the sandbox must start again
cleanly on the database it left behind.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import attrs
import httpx
import pytest

from .conftest import read_rows
from .served import Partner, ServedSandbox, compact, partner

pytestmark = pytest.mark.slow

SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
STATUS = "/api/v1/integration/payment/status"
BUYER = "9990000000000200"  # scenarios.yaml: always eligible, large balance
COURSE, SCHEDULE, PRICE = "prakerjaoauth1", "prakerjaoauth", 20000
PREFIX = "CRASH-"
BUYERS = 8
MIN_ANSWERED = 40


@attrs.define
class _Load:
    answered: dict[str, str] = attrs.field(factory=dict)
    started: int = 0
    stop: bool = False


async def _buyer(client: httpx.AsyncClient, dp: Partner, load: _Load, lane: int) -> None:
    serial = 0
    while not load.stop:
        serial += 1
        invoice = f"{PREFIX}{lane}-{serial}"
        try:
            body = compact({"user_platform_id": f"crash-{lane}", "prakerja_id": BUYER, "course_code": COURSE,
                            "schedule_code": SCHEDULE, "amount": PRICE})  # fmt: skip
            sent = await client.post(SEND_OTP, content=body, headers=dp.headers(SEND_OTP, body))
            token = sent.json()["data"]["payment_token"]
            body = compact(
                {"otp": "123456", "invoice_url": f"https://dp.example/{invoice}", "invoice_code": invoice}
            )
            headers = {**dp.headers(AUTHORIZE, body), "Authorization": f"Payment {token}"}
            load.started += 1
            paid = await client.post(AUTHORIZE, content=body, headers=headers)
        except (httpx.HTTPError, KeyError, ValueError):
            return  # the server is gone: whatever was in flight has no answer
        if paid.status_code == 200:
            load.answered[invoice] = paid.json()["data"]["transaction_code"]


async def _load_until_killed(sandbox: ServedSandbox, load: _Load) -> None:
    dp = partner("tokopedia")
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        buyers = [asyncio.create_task(_buyer(client, dp, load, lane)) for lane in range(BUYERS)]
        deadline = time.monotonic() + 120
        while len(load.answered) < MIN_ANSWERED and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        sandbox.kill()  # mid-load: requests are in flight on every lane
        load.stop = True
        await asyncio.gather(*buyers)


def _purchases(database: Path) -> dict[str, tuple[str, str]]:
    rows = read_rows(
        database,
        "SELECT invoice_code, transaction_code, status FROM transactions WHERE invoice_code LIKE ?",
        (f"{PREFIX}%",),
    )
    return {invoice: (code, status) for invoice, code, status in rows}


def test_a_crash_during_purchases_loses_nothing_answered_and_leaves_nothing_half_written(
    tmp_path: Path,
) -> None:
    database = tmp_path / "crash.sqlite3"
    sandbox = ServedSandbox(database, workers=2)
    [(balance_before,)] = read_rows(
        database, "SELECT balance FROM participants WHERE prakerja_id = ?", (BUYER,)
    )
    [(sold_before,)] = read_rows(database, "SELECT sold FROM schedules WHERE code = ?", (SCHEDULE,))
    load = _Load()

    asyncio.run(_load_until_killed(sandbox, load))

    assert len(load.answered) >= MIN_ANSWERED
    restarted = ServedSandbox(database, workers=2)
    try:
        output = restarted.output()
        assert "Traceback" not in output
        assert read_rows(database, "PRAGMA integrity_check") == [("ok",)]
        stored = _purchases(database)
        # every purchase answered 200 is there with the transaction code it was answered with
        assert {invoice: stored.get(invoice) for invoice in load.answered} == {
            invoice: (code, "SUCCESS") for invoice, code in load.answered.items()
        }
        assert len(stored) <= load.started  # nothing appeared that was never asked for
        # complete, never half-written: redeem code, spent token, SMS, seat and debit for each transaction
        complete = read_rows(
            database,
            "SELECT COUNT(*) FROM transactions t "
            "JOIN redeem_codes r ON r.code = t.redeem_code AND r.transaction_code = t.transaction_code "
            "JOIN payment_tokens p ON p.token = t.payment_token AND p.transaction_code = t.transaction_code "
            "AND p.used_at IS NOT NULL "
            "WHERE t.invoice_code LIKE ? AND EXISTS (SELECT 1 FROM inbox i WHERE i.redeem_code = t.redeem_code)",
            (f"{PREFIX}%",),
        )
        assert complete == [(len(stored),)]
        assert read_rows(database, "SELECT COUNT(*) FROM payment_tokens WHERE used_at IS NOT NULL "
                         "AND transaction_code NOT IN (SELECT transaction_code FROM transactions)") == [(0,)]  # fmt: skip
        assert read_rows(database, "SELECT sold FROM schedules WHERE code = ?", (SCHEDULE,)) == [
            (sold_before + len(stored),)
        ]
        assert read_rows(database, "SELECT balance FROM participants WHERE prakerja_id = ?", (BUYER,)) == [
            (balance_before - PRICE * len(stored),)
        ]
        # and it keeps working: an answered purchase is found, a new one goes through
        invoice = next(iter(load.answered))
        status = restarted.post(STATUS, {"invoice_code": invoice}, partner("tokopedia"))
        assert status.json()["data"]["transaction_code"] == load.answered[invoice]
    finally:
        assert restarted.stop() == 0
