"""Online attendance: a training institution (LP) has Prakerja verify that a participant attends.

The LP asks :func:`generate_url` for a verification page, sends the participant there, and the page
(:mod:`prakerja_sandbox.domain.verification`) records the outcome and sends the browser back to the LP's
``redirect_uri``. Sequences run ``1`` (redeem and first session), ``2``..``sessions``, then ``999`` (the
post-test), each verified once and in order. Verifying sequence 1 redeems the code (status REDEEMED).

Rules of :func:`generate_url`, in the order they are checked:

* the code exists (ERRRDM40001) and is the calling LP's (ERRRDM40002; ``PRAT-`` and other scenario codes are
  shared by every LP);
* the course is online, webinar or self-paced (ERRRDM40003) and the code is not cancelled (ERRRDM40004);
* ``redirect_uri`` is one the LP registered (ERRRDM40010);
* the sequence is within the course's sessions or 999 (ERRRDM40008), not yet verified (ERRRDM40005) and every
  earlier sequence is verified (ERRRDM40007);
* a webinar's sequence 1 is used from 1 hour before to 1 hour after the schedule starts (ERRRDM40006; the
  floating test schedules start "now" on the sandbox clock, so they are always inside);
* the e-mail is not bound to another redeem code of the same course (ERRRDM40011). The e-mail is bound to the
  code when the URL is generated; Reset unbinds it from a test code.

A failed verification leaves the sequence open: generate a new URL to try again.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from prakerja_sandbox.clock import format_time
from prakerja_sandbox.context import DomainContext
from prakerja_sandbox.domain.partners import Partner, uri_registered
from prakerja_sandbox.domain.redeem_codes import (
    POST_TEST,
    REDEEMED,
    TEST_PREFIX,
    UNUSED,
    RedeemCode,
    load_redeem_code,
)
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.storage.base import Tx

__all__ = [
    "ATTENDED",
    "FAILED",
    "NOT_ATTENDED",
    "REDEEM_WINDOW",
    "VERIFICATION_PATH",
    "VERIFICATION_TTL",
    "check_order",
    "check_sequence",
    "commit",
    "generate_url",
    "record_attendance",
    "redeem_status",
    "reset",
    "status",
]

#: Attendance states of one sequence (``attendance_status``).
NOT_ATTENDED, ATTENDED, FAILED = 0, 1, 2
#: A webinar's first attendance is accepted this long before and after the schedule starts.
REDEEM_WINDOW = timedelta(hours=1)
#: How long a verification page URL stays usable.
VERIFICATION_TTL = timedelta(hours=1)
#: Path of the verification page the sandbox serves.
VERIFICATION_PATH = "/oauth/verification"
#: ``schedule_start_end`` is display text in Western Indonesian Time (WIB, UTC+7).
_WIB = timezone(timedelta(hours=7))


def _verified(tx: Tx, code: str) -> set[int]:
    rows = tx.all("SELECT sequence FROM attendance WHERE redeem_code = ? AND status = ?", (code, ATTENDED))
    return {int(row["sequence"]) for row in rows}


def _check_within_sessions(code: RedeemCode, sequence: int) -> None:
    if sequence != POST_TEST and sequence > code.sessions:
        raise ApiError(
            "ERRRDM40008",
            field="sequence",
            detail=f"the course has {code.sessions} session(s): sequences 1..{code.sessions}, then 999",
        )


def check_order(tx: Tx, code: RedeemCode, sequence: int) -> None:
    """Whether ``sequence`` of ``code`` is the next to verify (ERRRDM40008, 40005, 40007)."""
    _check_within_sessions(code, sequence)
    verified = _verified(tx, code.code)
    if sequence in verified:
        raise ApiError("ERRRDM40005", field="sequence", detail=f"sequence {sequence} is already verified")
    last_before = code.sessions if sequence == POST_TEST else sequence - 1
    missing = [earlier for earlier in range(1, last_before + 1) if earlier not in verified]
    if missing:
        raise ApiError(
            "ERRRDM40007",
            field="sequence",
            detail=f"verify sequence {missing[0]} before sequence {sequence}",
        )


def check_sequence(tx: Tx, code: RedeemCode, sequence: int, now: datetime) -> None:
    """Whether ``sequence`` of ``code`` may be verified now: :func:`check_order`, then a webinar's first
    attendance inside the redeem window (ERRRDM40006)."""
    check_order(tx, code, sequence)
    start = code.schedule_start(now)
    if sequence == 1 and code.course_type.number == 2 and start is not None:
        opens, closes = start - REDEEM_WINDOW, start + REDEEM_WINDOW
        if not opens <= now <= closes:
            raise ApiError(
                "ERRRDM40006",
                detail=f"the webinar starts {format_time(start)}: usable {format_time(opens)} to "
                f"{format_time(closes)}, sandbox time is {format_time(now)}",
            )


def _check_online(code: RedeemCode) -> None:
    if not code.course_type.online:
        raise ApiError(
            "ERRRDM40003",
            field="redeem_code",
            detail=f"{code.course['code']} is a {code.course_type.label} (offline) course: no online attendance",
        )


def _bind_email(tx: Tx, code: RedeemCode, email: str) -> None:
    normalised = email.strip().lower()
    other = tx.scalar(
        "SELECT code FROM redeem_codes WHERE course_code = ? AND email = ? AND code <> ?",
        (code.course["code"], normalised, code.code),
    )
    if other is not None:
        raise ApiError(
            "ERRRDM40011",
            field="email",
            detail=f"{normalised} is already used for course {code.course['code']} by another redeem code",
        )
    tx.execute("UPDATE redeem_codes SET email = ? WHERE code = ?", (normalised, code.code))


def generate_url(
    ctx: DomainContext,
    *,
    lp: Partner,
    redeem_code: str,
    redirect_uri: str,
    email: str,
    sequence: int = 1,
    base_url: str,
) -> dict[str, Any]:
    """Open a verification of ``sequence`` and answer the page URL, its ``state`` and the course type.

    ``base_url`` is the sandbox's public address (the page is served by the sandbox itself).
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        code = load_redeem_code(tx, lp, redeem_code)
        _check_online(code)
        code.ensure_not_cancelled()
        if not uri_registered(redirect_uri, lp.redirect_uris, base_url=base_url):
            raise ApiError(
                "ERRRDM40010",
                field="redirect_uri",
                detail=f"registered for {lp.client_code}: {', '.join(lp.redirect_uris) or 'none'}",
            )
        check_sequence(tx, code, sequence, now)
        _bind_email(tx, code, email)
        state = ctx.ids.opaque()
        tx.execute(
            "INSERT INTO verifications (state, redeem_code, sequence, lp_code, redirect_uri, email, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (state, code.code, sequence, lp.code, redirect_uri, email.strip().lower(), format_time(now),
             format_time(now + VERIFICATION_TTL)),
        )  # fmt: skip
    course_type = code.course_type
    return {
        "url": f"{base_url.rstrip('/')}{VERIFICATION_PATH}?{urlencode({'state': state})}",
        "state": state,
        "course": {"type": course_type.number, "learning_method": course_type.learning_method},
    }


def record_attendance(
    tx: Tx, code: RedeemCode, sequence: int, *, attended: bool, now: datetime, state: str | None
) -> None:
    """Store the outcome of ``sequence``; attending sequence 1 redeems an unused code."""
    now_text = format_time(now)
    tx.execute(
        "INSERT INTO attendance (redeem_code, sequence, status, verified_at, state) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (redeem_code, sequence) DO UPDATE SET status = excluded.status, "
        "verified_at = excluded.verified_at, state = excluded.state",
        (code.code, sequence, ATTENDED if attended else FAILED, now_text, state),
    )
    if attended and sequence == 1:
        tx.execute(
            "UPDATE redeem_codes SET status = ?, redeem_at = ? WHERE code = ? AND status = ?",
            (REDEEMED, now_text, code.code, UNUSED),
        )


def _schedule_text(code: RedeemCode, now: datetime) -> str:
    start = code.schedule_start(now)
    if start is None or code.schedule is None:
        return "-"
    end = start + timedelta(minutes=int(code.schedule["duration_minutes"]))
    return f"{start.astimezone(_WIB):%Y-%m-%d %H:%M} - {end.astimezone(_WIB):%Y-%m-%d %H:%M}"


def redeem_status(
    tx: Tx, code: str, sequence: int, now: datetime, *, loaded: RedeemCode | None = None
) -> dict[str, Any]:
    """The RedeemCodeStatus of ``code`` for ``sequence`` (the shape Status, Reset and Commit answer).

    ``loaded``: the code as :func:`load_redeem_code` read it in this transaction, unchanged since (saves
    reading it again).
    """
    if loaded is None:
        loaded = load_redeem_code(tx, None, code)
    redeem = loaded
    row = redeem.row
    if redeem.attendance is not None and redeem.attendance.sequence == sequence:
        attendance = redeem.attendance.status
    else:
        attendance = tx.scalar(
            "SELECT status FROM attendance WHERE redeem_code = ? AND sequence = ?", (code, sequence)
        )
    course_type = redeem.course_type
    return {
        "redeem_code": code,
        "course_code": row["course_code"],
        "invoice_code": row["invoice_code"] or "",
        "schedule_code": row["schedule_code"],
        "status": int(row["status"]),
        "attendance_status": NOT_ATTENDED if attendance is None else int(attendance),
        "redeem_at": row["redeem_at"],
        "dp_platform": row["dp_platform"] or row["dp_name"] or "",
        "schedule_start_end": _schedule_text(redeem, now),
        "course_type": course_type.number,
        "course_type_label": course_type.label,
        "course_learning_method": course_type.learning_method,
        "is_online_attendance": course_type.online,
        "sequence": sequence,
    }


def status(ctx: DomainContext, *, lp: Partner, redeem_code: str, sequence: int = 1) -> dict[str, Any]:
    """The code's state and the attendance of ``sequence`` (ERRRDM40001, 40002, 40008).

    A cancelled code answers its state (``status`` 2) rather than a refusal.
    """
    with ctx.store.read() as tx:
        code = load_redeem_code(
            tx, lp, redeem_code, sequence=sequence
        )  # one statement: code, course, attendance
        _check_within_sessions(code, sequence)
        return redeem_status(tx, code.code, sequence, ctx.now(), loaded=code)


def commit(ctx: DomainContext, *, lp: Partner, redeem_code: str) -> dict[str, Any]:
    """Legacy: verify sequence 1 without the verification page and answer the code's state.

    The same rules as :func:`generate_url` for sequence 1 apply (ERRRDM40001-40006), except the
    ``redirect_uri`` and e-mail checks, which the legacy call has no fields for.
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        code = load_redeem_code(tx, lp, redeem_code)
        _check_online(code)
        code.ensure_not_cancelled()
        check_sequence(tx, code, 1, now)
        record_attendance(tx, code, 1, attended=True, now=now, state=None)
        return redeem_status(tx, code.code, 1, now)


def _scenario_entry(ctx: DomainContext, code: str) -> dict[str, Any] | None:
    scenarios = ctx.scenarios
    entries = [*(scenarios.get("test_codes") or {}).get("cases", []), *scenarios.get("example_codes", [])]
    for entry in entries:
        if entry.get("redeem_code") == code:
            return dict(entry)
    return None


def _restore(tx: Tx, code: str, entry: dict[str, Any], now: datetime) -> None:
    verified = [int(sequence) for sequence in entry.get("verified_sequences", [])]
    cancelled = bool(entry.get("cancelled"))
    redeem_at = entry.get("redeem_at") or (format_time(now) if verified else None)
    state = 2 if cancelled else (REDEEMED if verified else UNUSED)
    tx.execute("DELETE FROM attendance WHERE redeem_code = ?", (code,))
    tx.execute("DELETE FROM verifications WHERE redeem_code = ?", (code,))
    tx.execute("DELETE FROM tpm_submissions WHERE redeem_code = ?", (code,))
    tx.execute(
        "UPDATE redeem_codes SET status = ?, redeem_at = ?, email = NULL, cancelled_at = ? WHERE code = ?",
        (state, redeem_at, format_time(now) if cancelled else None, code),
    )
    for sequence in verified:
        tx.execute(
            "INSERT INTO attendance (redeem_code, sequence, status, verified_at) VALUES (?, ?, ?, ?)",
            (code, sequence, ATTENDED, redeem_at),
        )
    for task in entry.get("assignments", []):
        for kind, key in (("assignment", "assignment_status"), ("feedback", "feedback_status")):
            value = int(task.get(key, 0))
            if value:
                tx.execute(
                    "INSERT INTO tpm_submissions (redeem_code, scope, sequence, kind, status, url_file, notes, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (code, task["scope"], int(task["sequence"]), kind, value,
                     task.get("url_file") if kind == "assignment" else None, task.get("notes"),
                     format_time(now), format_time(now)),
                )  # fmt: skip


def reset(ctx: DomainContext, *, lp: Partner, redeem_code: str) -> dict[str, Any]:
    """Put a positive ``PRAT-`` test code back in its starting state (scenarios.yaml).

    Attendance, pending verifications, TPM/UK rows and the bound e-mail are cleared, then the scenario's
    verified sequences and tasks are restored. Refusals: not a ``PRAT-`` code (ERRRDM40009), unknown
    (ERRRDM40001), a negative test case (ERRRDM40012). Answers the state for the sequence the case exercises.
    """
    if not redeem_code.startswith(TEST_PREFIX):
        raise ApiError("ERRRDM40009", field="redeem_code", detail=f"only {TEST_PREFIX} codes can be reset")
    now = ctx.now()
    with ctx.store.transaction() as tx:
        code = load_redeem_code(tx, lp, redeem_code)
        entry = _scenario_entry(ctx, code.code)
        if entry is None or not code.row["resettable"]:
            case = code.row["test_case"] or "this code"
            raise ApiError("ERRRDM40012", field="redeem_code", detail=f"{case} is not a positive test case")
        _restore(tx, code.code, entry, now)
        return redeem_status(tx, code.code, int(entry.get("sequence") or 1), now)
