"""Paths and builders shared by the sandbox tests."""

from __future__ import annotations

from typing import Any

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
