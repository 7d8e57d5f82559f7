"""Attendance, for training institutions (LP): verification URL, redeem code status, reset and commit.

Attendance is verified on Prakerja's side: :meth:`Attendance.generate_url` returns the page to send the
participant to; Prakerja sends the browser back to ``redirect_uri`` and the LP confirms with
:meth:`Attendance.status`. ``sequence`` 1 is the redeem (first session), 2..10 later sessions, 999 the
post-test; omitted, it means 1.
"""

from __future__ import annotations

import warnings

from prakerja._core import Call, CallContext, decoder, post_call
from prakerja._requests import GenerateUrlRequest, RedeemCodeRequest, RedeemCodeStatusRequest
from prakerja.models import AttendanceSequence, AttendanceUrl, RedeemCodeRecord

__all__: list[str] = []  # the classes are generated: prakerja.resources._generated


def _generate_url(
    context: CallContext,
    redeem_code: str,
    *,
    redirect_uri: str,
    email: str,
    sequence: AttendanceSequence | int | None = None,
) -> Call[AttendanceUrl]:
    """The Prakerja page where the participant verifies attendance of ``sequence`` (1 when omitted).

    ``redirect_uri`` must be a callback registered with Prakerja; ``email`` is the participant's e-mail at
    the LP (one e-mail per course).
    """
    body = GenerateUrlRequest(
        redeem_code=redeem_code, redirect_uri=redirect_uri, email=email, sequence=sequence
    )
    # The URL is what the call is for: an answer without one raises (an outcome-unknown error naming the
    # call again), unlike the answers of calls that move money or record results, which never raise.
    return post_call("attendance.generate_url", body, decoder(AttendanceUrl, needs=["url"]))


def _status(
    context: CallContext, redeem_code: str, *, sequence: AttendanceSequence | int | None = None
) -> Call[RedeemCodeRecord]:
    """The redeem code and the attendance of ``sequence`` (1 when omitted)."""
    # The Status page marks sequence required (and "default = 1"): sending 1 satisfies both readings.
    body = RedeemCodeStatusRequest(redeem_code=redeem_code, sequence=1 if sequence is None else sequence)
    return post_call(
        "attendance.status", body, decoder(RedeemCodeRecord, needs=["status", "attendance_status"])
    )


def _reset(context: CallContext, redeem_code: str) -> Call[RedeemCodeRecord]:
    """Return a ``PRAT-`` test redeem code to its initial state (sandbox testing only)."""
    return post_call(
        "attendance.reset", RedeemCodeRequest(redeem_code=redeem_code), decoder(RedeemCodeRecord)
    )


def _commit(context: CallContext, redeem_code: str) -> Call[RedeemCodeRecord]:
    """Deprecated: the legacy redeem that verifies sequence 1 without the browser step.

    Use :meth:`generate_url` and :meth:`status`. Kept for integrations written against the old samples.
    """
    warnings.warn(
        "attendance.commit is the legacy redeem; use attendance.generate_url and attendance.status",
        DeprecationWarning,
        stacklevel=3,
    )
    return post_call(
        "attendance.commit", RedeemCodeRequest(redeem_code=redeem_code), decoder(RedeemCodeRecord)
    )
