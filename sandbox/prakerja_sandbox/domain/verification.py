"""The attendance verification page: what it shows and what its two buttons do.

A verification opened by :func:`prakerja_sandbox.domain.attendance.generate_url` is identified by its
``state``. :func:`pending` reads it for the page; :func:`complete` records the participant's outcome
(verified or failed) once and answers where to send the browser:
``redirect_uri?state=..&redeem_code=..&sequence=..&status=verified|failed``.

A state that is unknown, expired or already used raises :class:`VerificationClosed`, which the page shows as
an error page, never as a server error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

import attrs

from prakerja_sandbox.clock import format_time, parse_time
from prakerja_sandbox.context import DomainContext
from prakerja_sandbox.domain.attendance import check_order, record_attendance
from prakerja_sandbox.domain.redeem_codes import POST_TEST, RedeemCode
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.storage.base import Row, Tx

__all__ = ["Outcome", "PendingVerification", "VerificationClosed", "complete", "mask_name", "pending"]

Outcome = Literal["verified", "failed"]
Reason = Literal["unknown", "expired", "used", "refused"]

_TEST_PARTICIPANT = "Peserta Uji Coba"


class VerificationClosed(Exception):
    """The verification cannot go on: ``reason`` says why, ``code`` names the catalogue refusal if any."""

    def __init__(self, reason: Reason, *, code: str | None = None, detail: str | None = None) -> None:
        super().__init__(reason if detail is None else f"{reason}: {detail}")
        self.reason = reason
        self.code = code
        self.detail = detail


@attrs.frozen
class PendingVerification:
    """What the verification page shows."""

    state: str
    redeem_code: str
    sequence: int
    participant: str
    course_title: str
    institution: str
    expires_at: str

    @property
    def is_post_test(self) -> bool:
        """Whether this is the post-test (sequence 999)."""
        return self.sequence == POST_TEST


def mask_name(name: str) -> str:
    """Hide a participant's name but its initials: ``"Budi Santoso"`` -> ``"B*** S******"``."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def _open_verification(tx: Tx, state: str, now: datetime) -> Row:
    if "\x00" in state:  # no state the sandbox makes holds U+0000, and PostgreSQL cannot compare one
        raise VerificationClosed("unknown")
    row = tx.one("SELECT * FROM verifications WHERE state = ?", (state,))
    if row is None:
        raise VerificationClosed("unknown")
    if row["completed_at"] is not None:
        raise VerificationClosed("used", detail=f"completed {row['completed_at']} as {row['outcome']}")
    if parse_time(str(row["expires_at"])) < now:
        raise VerificationClosed("expired", detail=f"expired {row['expires_at']}")
    return row


def _redeem_code(tx: Tx, code: str) -> RedeemCode:
    row = tx.one("SELECT * FROM redeem_codes WHERE code = ?", (code,))
    course = None if row is None else tx.one("SELECT * FROM courses WHERE code = ?", (row["course_code"],))
    if row is None or course is None:
        raise VerificationClosed("unknown", detail=f"redeem code {code} no longer exists")
    schedule = tx.one("SELECT * FROM schedules WHERE code = ?", (row["schedule_code"],))
    return RedeemCode(row=row, course=course, schedule=schedule)


def pending(ctx: DomainContext, state: str) -> PendingVerification:
    """The open verification ``state`` (raises :class:`VerificationClosed`)."""
    with ctx.store.read() as tx:
        row = _open_verification(tx, state, ctx.now())
        code = _redeem_code(tx, str(row["redeem_code"]))
        name = None
        if code.row["prakerja_id"] is not None:
            name = tx.scalar(
                "SELECT name FROM participants WHERE prakerja_id = ?", (code.row["prakerja_id"],)
            )
        institution = tx.scalar("SELECT name FROM partners WHERE code = ?", (row["lp_code"],))
    return PendingVerification(
        state=state,
        redeem_code=code.code,
        sequence=int(row["sequence"]),
        participant=mask_name(str(name)) if name else _TEST_PARTICIPANT,
        course_title=str(code.course["title"]),
        institution=str(institution or row["lp_code"]),
        expires_at=str(row["expires_at"]),
    )


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode(params)}" if parts.query else urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def complete(ctx: DomainContext, state: str, outcome: Outcome) -> str:
    """Record ``outcome`` for verification ``state`` and answer the LP callback URL to redirect to.

    ``verified`` marks the sequence ATTENDED (sequence 1 also redeems the code); ``failed`` marks it FAILED and
    leaves it open for a new URL. The sequence is checked again (the code may have been cancelled, or the same
    sequence verified through another URL, meanwhile): such a refusal raises :class:`VerificationClosed` with
    its catalogue code.
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        row = _open_verification(tx, state, now)
        code = _redeem_code(tx, str(row["redeem_code"]))
        sequence = int(row["sequence"])
        try:
            code.ensure_not_cancelled()
            # the redeem window was checked when the URL was generated; the order may have changed since
            check_order(tx, code, sequence)
        except ApiError as refusal:
            raise VerificationClosed("refused", code=refusal.code, detail=refusal.detail) from refusal
        record_attendance(tx, code, sequence, attended=outcome == "verified", now=now, state=state)
        tx.execute(
            "UPDATE verifications SET completed_at = ?, outcome = ? WHERE state = ?",
            (format_time(now), outcome, state),
        )
    return _with_query(
        str(row["redirect_uri"]),
        {"state": state, "redeem_code": code.code, "sequence": str(sequence), "status": outcome},
    )
