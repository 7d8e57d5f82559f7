"""Races against the served sandbox (several worker processes on one database file).

Every contested resource (a payment token, the last seats of a schedule, the first attendance of a redeem
code) is hit by many simultaneous requests over real sockets; exactly one winner (or exactly as many as
there are seats) is allowed, and the database agrees with the answers.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from prakerja.contract import contract_dir

from .conftest import read_rows
from .served import Partner, ServedSandbox, compact, partner

pytestmark = pytest.mark.slow

SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
QUOTA = "/api/v1/integration/payment/quota-schedule"
COMMIT = "/api/v1/integration/payment/redeem-code/commit"
ALWAYS_SUCCEEDS = "9990000000000200"  # scenarios.yaml: the magic participant whose purchases all succeed
SEATS, BUYERS, PRICE = 10, 500, 250_000
COURSE, SCHEDULE = "race_course", "race_schedule_10"


def _race_seed(path: Path) -> Path:
    """partners.yaml plus a course with one 10-seat schedule and 500 buyers who can each afford it once."""
    with (contract_dir() / "partners.yaml").open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    document["courses"].append(
        {"code": COURSE, "lp": "lp-cipta-kreasi-nusantara", "title": "Kelas Rebutan Kursi", "type": "webinar",
         "price": PRICE, "sessions": 1, "tpm_count": 0, "has_uk": False, "sold_on": ["tokopedia"],
         "requirements": {"min_age": 18, "max_age": 64},
         "schedules": [{"code": SCHEDULE, "start_offset_minutes": 10080, "duration_minutes": 60, "capacity": SEATS}]}
    )  # fmt: skip
    document["participants"].extend(
        {"prakerja_id": f"770000{index:010d}", "name": f"Peserta Rebutan {index}", "birth_date": "1995-05-05",
         "gender": "F", "education": "S1", "phone": f"0812{index:08d}", "email": f"rebutan{index}@example.id",
         "regency_code": "31.74", "status": "active", "balance": PRICE}
        for index in range(BUYERS)
    )  # fmt: skip
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The sandbox seeded with the 10-seat schedule, served by three workers."""
    folder = tmp_path_factory.mktemp("race")
    seed = _race_seed(folder / "race-seed.yaml")
    sandbox = ServedSandbox(folder / "race.sqlite3", workers=3, options=["--seed-file", str(seed)])
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _signed(path: str, body: Mapping[str, Any], as_: Partner, **extra: str) -> tuple[bytes, dict[str, str]]:
    content = compact(body)
    return content, {**as_.headers(path, content), **extra}


async def _all_at_once(
    base_url: str, requests: list[tuple[str, bytes, dict[str, str]]]
) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests), max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as client:
        return await asyncio.gather(
            *(client.post(path, content=content, headers=headers) for path, content, headers in requests)
        )


def _send_otp(sandbox: ServedSandbox, prakerja_id: str, course: str, schedule: str, amount: int) -> str:
    answer = sandbox.post(
        SEND_OTP,
        {"user_platform_id": f"race-{prakerja_id}", "prakerja_id": prakerja_id, "course_code": course,
         "schedule_code": schedule, "amount": amount},
        partner("tokopedia"),
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    return str(answer.json()["data"]["payment_token"])


def _codes(answers: list[httpx.Response]) -> Counter[str]:
    return Counter(
        "200" if answer.status_code == 200 else str(answer.json().get("code")) for answer in answers
    )


def test_a_hundred_authorizations_of_one_payment_token_pay_once(served: ServedSandbox) -> None:
    dp = partner("tokopedia")
    token = _send_otp(served, ALWAYS_SUCCEEDS, "prakerjaoauth1", "prakerjaoauth", 20000)
    requests = []
    for index in range(100):
        body = {
            "otp": "123456",
            "invoice_url": f"https://dp.example/i/race-{index}",
            "invoice_code": f"RACE-{index}",
        }
        content, headers = _signed(AUTHORIZE, body, dp, Authorization=f"Payment {token}")
        requests.append((AUTHORIZE, content, headers))

    answers = asyncio.run(_all_at_once(served.base_url, requests))

    assert _codes(answers) == Counter({"200": 1, "ERRPLT40027": 99})
    stored = read_rows(
        served.database, "SELECT invoice_code FROM transactions WHERE payment_token = ?", (token,)
    )
    winner = next(answer for answer in answers if answer.status_code == 200).json()["data"]["invoice_code"]
    assert stored == [(winner,)]


async def _purchase(base_url: str, tls: ssl.SSLContext, dp: Partner, prakerja_id: str) -> str:
    """One buyer as a partner's client makes the purchase: send-otp, then authorize, on one keep-alive pool.

    The authorize goes out on the connection that carried the send-otp, unless it sat idle past httpx's
    keep-alive expiry (5 s) on a loaded machine; the client then opens a new one, as any partner's would.
    """
    async with httpx.AsyncClient(base_url=base_url, timeout=300, verify=tls) as client:
        return await _buy(client, dp, prakerja_id)


async def _buy(client: httpx.AsyncClient, dp: Partner, prakerja_id: str) -> str:
    content, headers = _signed(
        SEND_OTP,
        {"user_platform_id": f"race-{prakerja_id}", "prakerja_id": prakerja_id, "course_code": COURSE,
         "schedule_code": SCHEDULE, "amount": PRICE},
        dp,
    )  # fmt: skip
    sent = await client.post(SEND_OTP, content=content, headers=headers)
    if sent.status_code != 200:
        return f"send-otp {sent.json()['code']}"
    token = sent.json()["data"]["payment_token"]
    body = {
        "otp": "123456",
        "invoice_url": f"https://dp.example/i/{prakerja_id}",
        "invoice_code": f"SEAT-{prakerja_id}",
    }
    content, headers = _signed(AUTHORIZE, body, dp, Authorization=f"Payment {token}")
    paid = await client.post(AUTHORIZE, content=content, headers=headers)
    return "paid" if paid.status_code == 200 else f"authorize {paid.json()['code']}"


async def _stampede(base_url: str, buyers: list[str]) -> list[str]:
    dp = partner("tokopedia")
    # Each buyer is a partner client of its own. One pool shared by 500 requests in flight is not used: httpx's
    # pool (httpcore 1.0.9) can close a connection it has already handed to a request that is starting on it,
    # when the connection's keep-alive expiry passes in between (encode/httpcore#1110); on a loaded machine
    # that cut some authorize requests off after their head, which read as a server closing the connection.
    tls = ssl.create_default_context()  # one context for every client (making one per client costs ~40 ms)
    return await asyncio.gather(*(_purchase(base_url, tls, dp, buyer) for buyer in buyers))


def test_five_hundred_buyers_of_ten_seats_make_exactly_ten_purchases(race: ServedSandbox) -> None:
    buyers = [f"770000{index:010d}" for index in range(BUYERS)]

    outcomes = Counter(asyncio.run(_stampede(race.base_url, buyers)))

    assert outcomes["paid"] == SEATS, outcomes
    assert set(outcomes) <= {"paid", "send-otp ERRPLT40013", "authorize ERRPLT40013"}, outcomes
    quota = race.post(QUOTA, {"course_code": COURSE, "schedule_code": SCHEDULE}, partner("tokopedia"))
    assert quota.json()["data"]["quota"] == 0
    assert read_rows(race.database, "SELECT sold, capacity FROM schedules WHERE code = ?", (SCHEDULE,)) == [
        (SEATS, SEATS)
    ]
    assert read_rows(
        race.database, "SELECT COUNT(*) FROM transactions WHERE schedule_code = ?", (SCHEDULE,)
    ) == [(SEATS,)]
    balances = Counter(
        balance
        for (balance,) in read_rows(
            race.database, "SELECT balance FROM participants WHERE prakerja_id LIKE '770000%'"
        )
    )
    assert balances == Counter({0: SEATS, PRICE: BUYERS - SEATS})
    assert read_rows(race.database, "SELECT COUNT(*) FROM participants WHERE balance < 0") == [(0,)]


def _bought_redeem_code(sandbox: ServedSandbox) -> str:
    dp = partner("tokopedia")
    token = _send_otp(sandbox, ALWAYS_SUCCEEDS, "prakerjaoauth1", "prakerjaoauth", 20000)
    paid = sandbox.post(
        AUTHORIZE,
        {"otp": "123456", "invoice_url": "https://dp.example/i/attend", "invoice_code": "ATTEND-RACE"},
        dp,
        Authorization=f"Payment {token}",
    )
    assert paid.status_code == 200, paid.text
    rows = read_rows(
        sandbox.database,
        "SELECT redeem_code FROM transactions WHERE transaction_code = ?",
        (paid.json()["data"]["transaction_code"],),
    )
    return str(rows[0][0])


def test_fifty_first_attendances_of_one_redeem_code_record_one(served: ServedSandbox) -> None:
    lp = partner("lp-cipta-kreasi-nusantara")
    code = _bought_redeem_code(served)
    requests = [(COMMIT, *_signed(COMMIT, {"redeem_code": code}, lp)) for _ in range(50)]

    answers = asyncio.run(_all_at_once(served.base_url, requests))

    assert _codes(answers) == Counter({"200": 1, "ERRRDM40005": 49})
    assert read_rows(
        served.database, "SELECT sequence, status FROM attendance WHERE redeem_code = ?", (code,)
    ) == [(1, 1)]
    assert read_rows(served.database, "SELECT status FROM redeem_codes WHERE code = ?", (code,)) == [(1,)]
