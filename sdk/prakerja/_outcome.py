"""What to call after a call that changes state lost its answer: one entry per such operation.

Pure text from the request's fields: the core puts it on :class:`~prakerja.errors.OutcomeUnknownError`
(``next_call`` and the message), so a partner reading a traceback at night knows the exact next step.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["NEXT_STEPS", "next_step"]

Fields = Mapping[str, Any]
#: (next call, advice) from the request's fields.
Step = Callable[[Fields], tuple[str, str]]


def _q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _authorize(f: Fields) -> tuple[str, str]:
    call = f"client.payments.reconcile({_q(f.get('invoice_code'))})"
    return call, (
        f"the participant may have been charged. Do not authorize again: call {call}. PAID means the "
        "purchase stands (deliver the course); NOT_PAID means start again from send OTP."
    )


def _void(f: Fields) -> tuple[str, str]:
    call = f"client.payments.status({_q(f.get('invoice_code'))})"
    return call, (
        f"the purchase may have been voided. Call {call}: status VOID means the void went through; SUCCESS "
        "means it did not, and void may be called again."
    )


def _send_otp(f: Fields) -> tuple[str, str]:
    call = "client.payments.send_otp(...)"
    return call, (
        "an OTP may have been texted, but its payment token was lost with the answer. Nothing is charged "
        f"before authorize, so there is nothing to reconcile: call {call} again with the same arguments for a "
        "new token and have the "
        "participant type the newest OTP."
    )


def _redeem_status(what: str, sequence: int | None) -> Step:
    def step(f: Fields) -> tuple[str, str]:
        extra = f", sequence={sequence}" if sequence is not None else ""
        call = f"client.attendance.status({_q(f.get('redeem_code'))}{extra})"
        return call, f"{what} Call {call} before doing it again."

    return step


def _generate_url(f: Fields) -> tuple[str, str]:
    call = f"client.attendance.generate_url({_q(f.get('redeem_code'))}, ...)"
    return call, (
        f"a verification URL may have been issued, but it was lost with the answer: call {call} again with "
        "the same arguments and send the participant to the newest URL."
    )


def _submission(side: str) -> Step:
    def step(f: Fields) -> tuple[str, str]:
        call = (
            f"client.tpm.submission_status({_q(f.get('redeem_code'))}, scope={_q(f.get('scope'))}, "
            f"sequence={f.get('sequence')})"
        )
        return call, (
            f"the {side} may have been recorded. Call {call}: a {side} status other than NOT_SUBMITTED means "
            "it arrived; submit again only if it did not."
        )

    return step


def _token(what: str) -> Step:
    def step(f: Fields) -> tuple[str, str]:
        call = "client.sso.login_url(...)"
        return call, (
            f"the {what} works once and may be spent. Do not send it again: send the user through "
            f"{call} to log in afresh."
        )

    return step


NEXT_STEPS: Final[Mapping[str, Step]] = {
    "payments.authorize": _authorize,
    "payments.void": _void,
    "payments.send_otp": _send_otp,
    "attendance.commit": _redeem_status(
        "the redeem may have been recorded: status REDEEMED means the commit went through.", 1
    ),
    "attendance.reset": _redeem_status(
        "the reset may have happened: status UNUSED means it went through.", None
    ),
    "attendance.generate_url": _generate_url,
    "tpm.submit_assignment": _submission("assignment"),
    "tpm.submit_feedback": _submission("feedback"),
    "sso.create_token": _token("authorisation code"),
    "sso.refresh_token": _token("refresh token"),
}


def next_step(operation_id: str, fields: Fields) -> tuple[str, str] | None:
    """The follow-up call and advice for ``operation_id`` sent with ``fields``, if it changes state."""
    step = NEXT_STEPS.get(operation_id)
    return step(fields) if step is not None else None
