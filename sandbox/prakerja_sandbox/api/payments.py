"""The payment operations a digital platform (DP) calls."""

from __future__ import annotations

import flask

from prakerja_sandbox.api.common import Call, Reply, operation
from prakerja_sandbox.domain import payments
from prakerja_sandbox.errors import ApiError

__all__ = ["bp"]

bp = flask.Blueprint("payments", __name__)

_PAYMENT_SCHEME = "payment"


@bp.post("/api/v1/integration/payment/send-otp")
@operation("payments.send_otp", actor="DP", message="OTP berhasil dikirim.")
def send_otp(call: Call) -> Reply:
    """Check a purchase and text the participant an OTP."""
    body = call.body
    return Reply(
        payments.send_otp(
            call.ctx,
            dp=call.partner,
            user_platform_id=body["user_platform_id"],
            prakerja_id=body["prakerja_id"],
            course_code=body["course_code"],
            schedule_code=body["schedule_code"],
            amount=int(body["amount"]),
        )
    )


def _payment_token(header: str | None) -> str:
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != _PAYMENT_SCHEME or not token.strip():
        raise ApiError(
            "ERRPLT40107",
            field="Authorization",
            detail="send the header Authorization: Payment <payment_token> (the token from send-otp)",
        )
    return token.strip()


@bp.post("/api/v1/integration/payment/authorize")
@operation("payments.authorize", actor="DP", message="Pelatihan berhasil dibeli.")
def authorize(call: Call) -> Reply:
    """Check the OTP and execute the purchase."""
    token = _payment_token(call.headers.get("Authorization"))
    body = call.body
    return Reply(
        payments.authorize(
            call.ctx,
            dp=call.partner,
            payment_token=token,
            otp=body["otp"],
            invoice_url=body["invoice_url"],
            invoice_code=body["invoice_code"],
        )
    )


@bp.post("/api/v1/integration/payment/status")
@operation("payments.status", actor="DP")
def status(call: Call) -> Reply:
    """The state of a purchase by invoice code."""
    return Reply(payments.status(call.ctx, dp=call.partner, invoice_code=call.body["invoice_code"]))


@bp.post("/api/v1/integration/payment/quota-schedule")
@operation("payments.quota", actor="DP")
def quota(call: Call) -> Reply:
    """Seats left on a schedule."""
    body = call.body
    return Reply(
        payments.quota(
            call.ctx, dp=call.partner, course_code=body["course_code"], schedule_code=body["schedule_code"]
        )
    )


@bp.post("/api/v1/integration/payment/void")
@operation("payments.void", actor="DP", message="Transaksi berhasil dibatalkan.")
def void(call: Call) -> Reply:
    """Cancel a purchase whose redeem code is unused."""
    body = call.body
    payments.void(
        call.ctx,
        dp=call.partner,
        invoice_code=body["invoice_code"],
        transaction_code=body["transaction_code"],
    )
    return Reply()
