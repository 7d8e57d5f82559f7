"""Payments, for digital platforms (DP): quota, send OTP, authorize, status, void and reconcile.

A purchase is two calls: :meth:`Payments.send_otp` makes Prakerja text the participant an OTP and returns
a single-use payment token, :meth:`Payments.authorize` pays with that token and the OTP. Authorize is never
retried by the SDK. When its answer is lost (a timeout, a broken connection, a 5xx or a gateway page), the
purchase may or may not have happened: call :meth:`Payments.reconcile` with the same invoice code before
anything else. ``PAID`` means the participant was charged (deliver the course); ``NOT_PAID`` means no
transaction exists for the invoice (start again from send OTP; the old payment token may be spent).
"""

from __future__ import annotations

from typing import Any

import attrs

from prakerja._converter import DataAbsentError, read
from prakerja._core import Call, CallContext, FollowUp, decoder, post_call
from prakerja._exceptions import PrakerjaAPIError, PrakerjaError
from prakerja._generated_errors import InvoiceNotFoundError
from prakerja._requests import (
    RULES,
    AuthorizeRequest,
    PaymentStatusRequest,
    QuotaRequest,
    SendOtpRequest,
    VoidRequest,
    check_text,
)
from prakerja.models import (
    DecodeWarning,
    OtpSent,
    PaymentAuthorized,
    PaymentReconciliation,
    PaymentRecord,
    PaymentStatus,
    PaymentVoided,
    Quota,
    ReconcileOutcome,
)

__all__: list[str] = []  # the classes are generated: prakerja.resources._generated


def _send_otp(
    context: CallContext,
    *,
    user_platform_id: str,
    prakerja_id: str,
    course_code: str,
    schedule_code: str,
    amount: int,
) -> Call[OtpSent]:
    """Ask Prakerja to text the participant an OTP for buying a course; returns the payment token.

    ``user_platform_id`` is the buyer's account on your platform, ``prakerja_id`` their 16-digit Kartu
    Prakerja number, ``amount`` the course price in rupiah. Refusals are :class:`~prakerja.errors.PaymentError`
    subclasses (quota exhausted, participant not eligible, insufficient balance, ...).
    """
    body = SendOtpRequest(
        user_platform_id=user_platform_id,
        prakerja_id=prakerja_id,
        course_code=course_code,
        schedule_code=schedule_code,
        amount=amount,
    )
    return post_call("payments.send_otp", body, decoder(OtpSent))


def _authorize(
    context: CallContext, payment_token: str, *, otp: str, invoice_code: str, invoice_url: str
) -> Call[PaymentAuthorized]:
    """Pay for the course with the participant's OTP; the payment is final when this returns.

    Sends ``Authorization: Payment <payment_token>`` (not part of the signature). Never retried: if the
    answer is lost, call :meth:`reconcile` with ``invoice_code`` instead of authorizing again.
    """
    token = check_text("payment_token", payment_token, RULES["PaymentToken"])
    body = AuthorizeRequest(otp=otp, invoice_url=invoice_url, invoice_code=invoice_code)
    headers = {"Authorization": f"Payment {token}"}
    return post_call("payments.authorize", body, decoder(PaymentAuthorized), headers=headers)


def _status(context: CallContext, invoice_code: str) -> Call[PaymentRecord]:
    """The purchase paid with ``invoice_code`` (``SUCCESS``, or ``VOID`` after a void).

    Raises :class:`~prakerja.errors.InvoiceNotFoundError` when no purchase has that invoice code.
    """
    return post_call(
        "payments.status",
        PaymentStatusRequest(invoice_code=invoice_code),
        decoder(PaymentRecord, needs=["status"]),
    )


def _quota(context: CallContext, *, course_code: str, schedule_code: str) -> Call[Quota]:
    """Seats left on a course schedule; usable before or after a purchase."""
    body = QuotaRequest(schedule_code=schedule_code, course_code=course_code)
    return post_call("payments.quota", body, decoder(Quota, needs=["quota"]))


def _void(
    context: CallContext, *, invoice_code: str, transaction_code: str, read_back: bool = True
) -> Call[PaymentVoided]:
    """Cancel a purchase: its redeem code is cancelled and the seat returns to the quota. Never retried.

    Returns the purchase read back with :meth:`status` after the void (``payment.status`` is ``VOID``):
    Prakerja's answer to a void carries no record. That read is a second request, retried like any read;
    if it fails, the void still stands and the result has ``payment=None`` and a warning in
    ``decode_warnings``. ``read_back=False`` skips it.
    """
    body = VoidRequest(invoice_code=invoice_code, transaction_code=transaction_code)

    def decode(data: Any) -> PaymentVoided:
        extra = data if isinstance(data, dict) else {}
        return PaymentVoided(
            invoice_code=invoice_code, transaction_code=transaction_code, extra=extra, raw_data=data
        )

    if not read_back:
        return post_call("payments.void", body, decode)

    def merge(voided: PaymentVoided, payment: PaymentRecord) -> PaymentVoided:
        warnings = voided.decode_warnings
        if payment.status is not PaymentStatus.VOID:
            read_as = getattr(payment.status, "value", payment.status)
            warnings += (
                DecodeWarning(
                    path="payment.status",
                    message=f"read back after the void as {read_as!r}, not 'VOID'; the void was accepted",
                ),
            )
        return attrs.evolve(voided, payment=payment, decode_warnings=warnings)

    def failed(voided: PaymentVoided, error: PrakerjaError) -> PaymentVoided:
        warning = DecodeWarning(
            path="payment",
            message=(
                f"the void was accepted, but reading the purchase back failed ({type(error).__name__}: "
                f"{error}); read it later with client.payments.status({invoice_code!r})"
            ),
        )
        return attrs.evolve(voided, decode_warnings=(*voided.decode_warnings, warning))

    read = _status(context, invoice_code)
    return attrs.evolve(
        post_call("payments.void", body, decode), follow_up=FollowUp(call=read, merge=merge, failed=failed)
    )


def _reconcile(context: CallContext, invoice_code: str) -> Call[PaymentReconciliation]:
    """Find out whether a purchase whose authorize answer was lost went through.

    Reads payment status: ``PAID`` (with the payment) when it succeeded, ``VOIDED`` when it was paid and
    then voided, ``NOT_PAID`` when Prakerja has no transaction for ``invoice_code``. Other errors raise.
    """

    def decode(data: Any) -> PaymentReconciliation:
        payment = read(data, PaymentRecord)
        if payment.status not in {PaymentStatus.SUCCESS, PaymentStatus.VOID}:
            # Absent or a status the SDK does not know: nothing here says whether the purchase stands.
            raise DataAbsentError(["data.status"], payment.decode_warnings)
        paid = payment.status is PaymentStatus.SUCCESS
        outcome = ReconcileOutcome.PAID if paid else ReconcileOutcome.VOIDED
        return PaymentReconciliation(invoice_code=invoice_code, outcome=outcome, payment=payment)

    def recover(error: PrakerjaAPIError) -> PaymentReconciliation:
        if isinstance(error, InvoiceNotFoundError):
            return PaymentReconciliation(invoice_code=invoice_code, outcome=ReconcileOutcome.NOT_PAID)
        raise error

    return post_call(
        "payments.status", PaymentStatusRequest(invoice_code=invoice_code), decode, recover=recover
    )
