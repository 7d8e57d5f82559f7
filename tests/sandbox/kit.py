"""Paths and builders shared by the sandbox tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from prakerja_sandbox import Sandbox
from prakerja_sandbox.clock import format_time

from .conftest import DP, SignedClient

SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
STATUS = "/api/v1/integration/payment/status"
QUOTA = "/api/v1/integration/payment/quota-schedule"
VOID = "/api/v1/integration/payment/void"

#: The scenarios' participant whose purchases always succeed.
BUYER = "9990000000000200"
#: A seeded participant: born 1993, S1, active (contracts/partners.yaml).
PARTICIPANT = "6656703190011217"
TEST_COURSE = "prakerjaoauth1"
TEST_SCHEDULE = "prakerjaoauth"
TEST_PRICE = 20000


def send_otp_body(
    *,
    prakerja_id: str = BUYER,
    course_code: str = TEST_COURSE,
    schedule_code: str = TEST_SCHEDULE,
    amount: int = TEST_PRICE,
    user_platform_id: str = "user-1",
) -> dict[str, Any]:
    """A Send OTP body in the documented field order."""
    return {
        "user_platform_id": user_platform_id,
        "prakerja_id": prakerja_id,
        "course_code": course_code,
        "schedule_code": schedule_code,
        "amount": amount,
    }


def authorize_body(invoice_code: str = "INV-0001", *, otp: str = "123456") -> dict[str, Any]:
    """An Authorize body."""
    return {
        "otp": otp,
        "invoice_url": f"https://dp.example/invoice/{invoice_code}",
        "invoice_code": invoice_code,
    }


def execute(sandbox: Sandbox, sql: str, params: Sequence[Any] = ()) -> None:
    """Change the sandbox state directly (test set-up)."""
    with sandbox.store.transaction() as tx:
        tx.execute(sql, params)


def scalar(sandbox: Sandbox, sql: str, params: Sequence[Any] = ()) -> Any:
    """Read one value of the sandbox state."""
    with sandbox.store.read() as tx:
        return tx.scalar(sql, params)


def add_course(
    sandbox: Sandbox,
    code: str,
    *,
    lp_code: str = "lp-cipta-kreasi-nusantara",
    sold_on: Sequence[str] = ("tokopedia",),
    price: int = 500000,
    start_in: timedelta | None = timedelta(days=2),
    capacity: int = 10,
    min_age: int = 18,
    max_age: int = 64,
    min_education: str | None = None,
) -> str:
    """Insert a course with one schedule ``<code>-s1``; returns the schedule code."""
    schedule = f"{code}-s1"
    start = None if start_in is None else format_time(sandbox.clock.now() + start_in)
    with sandbox.store.transaction() as tx:
        tx.execute(
            "INSERT INTO courses (code, lp_code, title, type, price, sessions, tpm_count, has_uk, min_age, max_age, "
            "min_education) VALUES (?, ?, ?, 'webinar', ?, 2, 1, 1, ?, ?, ?)",
            (code, lp_code, f"Kursus {code}", price, min_age, max_age, min_education),
        )
        for dp in sold_on:
            tx.execute("INSERT INTO course_platforms (course_code, dp_code) VALUES (?, ?)", (code, dp))
        tx.execute(
            "INSERT INTO schedules (code, course_code, start_at, duration_minutes, capacity) VALUES (?, ?, ?, 90, ?)",
            (schedule, code, start, capacity),
        )
    return schedule


def payment_token(signed: SignedClient, *, as_: str = DP, **fields: Any) -> str:
    """Send OTP (``fields`` override :func:`send_otp_body`) and return the payment token."""
    response = signed.post(SEND_OTP, send_otp_body(**fields), as_=as_)
    assert response.status_code == 200, response.get_json()
    return str(response.get_json()["data"]["payment_token"])


def buy(
    signed: SignedClient, *, invoice_code: str = "INV-0001", as_: str = DP, **fields: Any
) -> dict[str, Any]:
    """A complete purchase (Send OTP then Authorize); returns Authorize's data."""
    token = payment_token(signed, as_=as_, **fields)
    response = signed.post(AUTHORIZE, authorize_body(invoice_code), as_=as_, authorization=f"Payment {token}")
    assert response.status_code == 200, response.get_json()
    data: dict[str, Any] = response.get_json()["data"]
    return data
