"""TPM and UK tasks: the LP reports a participant's work and sends its feedback.

TPM (Tugas Praktik Mandiri, independent practice task) is ``scope: "tpm"`` with sequences 1..998; UK (Unjuk
Keterampilan, the final skills demonstration) is ``scope: "uk"`` with sequence 999. A course has
``tpm_count`` TPM tasks and at most one UK.

Each task has two sides, each with a ``status`` (contract enum ``SubmissionState``): 0 not submitted,
1 submitted and pending, 2 accepted, 3 failed.

* :func:`submit_assignment` records the participant's file: the assignment becomes 1 (pending). It can be
  sent again while pending or failed; once accepted it cannot (ERRTPM40006).
* :func:`submit_feedback` records the LP's grading: the feedback becomes 2 (success) and so does the
  assignment. Feedback needs an assignment (ERRTPM40004) and cannot follow a successful feedback
  (ERRTPM40005).
* A failed grading (3 on both sides) is set only through the sandbox control API, with :func:`grade`;
  the participant may then resubmit and the LP grade again.

Every operation first checks the redeem code (ERRRDM40001 unknown, 40002 another LP's, 40004 cancelled), the
scope and sequence pairing (ERRTPM40002), that the course has the task (ERRTPM40003) and that the code is
redeemed (ERRTPM40001).
"""

from __future__ import annotations

from typing import Any, Literal

from prakerja_sandbox.clock import format_time
from prakerja_sandbox.context import DomainContext
from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.domain.redeem_codes import POST_TEST, REDEEMED, RedeemCode, load_redeem_code
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.storage.base import Row, Tx

__all__ = [
    "ACCEPTED",
    "FAILED",
    "NOT_SUBMITTED",
    "PENDING",
    "Scope",
    "grade",
    "submission_status",
    "submit_assignment",
    "submit_feedback",
]

Scope = Literal["tpm", "uk"]
#: Submission states (contract enum ``SubmissionState``).
NOT_SUBMITTED, PENDING, ACCEPTED, FAILED = 0, 1, 2, 3


def _check_task(code: RedeemCode, scope: str, sequence: int) -> None:
    if (scope == "uk") != (sequence == POST_TEST):
        raise ApiError(
            "ERRTPM40002",
            field="sequence",
            detail=f"scope {scope} takes {'999' if scope == 'uk' else '1-998'}, not {sequence}",
        )
    course = code.course
    if scope == "tpm" and sequence > int(course["tpm_count"]):
        raise ApiError(
            "ERRTPM40003",
            field="sequence",
            detail=f"course {course['code']} has {course['tpm_count']} TPM task(s)",
        )
    if scope == "uk" and not course["has_uk"]:
        raise ApiError("ERRTPM40003", field="scope", detail=f"course {course['code']} has no UK")
    if code.status != REDEEMED:
        raise ApiError(
            "ERRTPM40001", field="redeem_code", detail=f"{code.code} is not redeemed: verify sequence 1 first"
        )


def _task(tx: Tx, lp: Partner | None, redeem_code: str, scope: str, sequence: int) -> RedeemCode:
    code = load_redeem_code(tx, lp, redeem_code)
    code.ensure_not_cancelled()
    _check_task(code, scope, sequence)
    return code


def _side(tx: Tx, code: str, scope: str, sequence: int, kind: str) -> Row | None:
    return tx.one(
        "SELECT * FROM tpm_submissions WHERE redeem_code = ? AND scope = ? AND sequence = ? AND kind = ?",
        (code, scope, sequence, kind),
    )


def _status(row: Row | None) -> int:
    return NOT_SUBMITTED if row is None else int(row["status"])


def _upsert(
    tx: Tx,
    *,
    code: str,
    scope: str,
    sequence: int,
    kind: str,
    status: int,
    url_file: str | None,
    notes: str | None,
    now: str,
) -> int:
    tx.execute(
        "INSERT INTO tpm_submissions (redeem_code, scope, sequence, kind, status, url_file, notes, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (redeem_code, scope, sequence, kind) "
        "DO UPDATE SET status = excluded.status, url_file = excluded.url_file, notes = excluded.notes, "
        "updated_at = excluded.updated_at",
        (code, scope, sequence, kind, status, url_file, notes, now, now),
    )
    row = _side(tx, code, scope, sequence, kind)
    assert row is not None
    return int(row["id"])


def submit_assignment(
    ctx: DomainContext, *, lp: Partner, redeem_code: str, scope: str, sequence: int, url_file: str
) -> dict[str, Any]:
    """Record the participant's file for a task: the assignment is pending (1) until the LP's feedback."""
    now = format_time(ctx.now())
    with ctx.store.transaction() as tx:
        code = _task(tx, lp, redeem_code, scope, sequence)
        if _status(_side(tx, code.code, scope, sequence, "assignment")) == ACCEPTED:
            raise ApiError("ERRTPM40006", detail=f"{scope} {sequence} of {code.code} was already accepted")
        row_id = _upsert(
            tx, code=code.code, scope=scope, sequence=sequence, kind="assignment", status=PENDING,
            url_file=url_file, notes=None, now=now,
        )  # fmt: skip
    return {
        "id": row_id,
        "redeem_code": code.code,
        "scope": scope,
        "sequence": sequence,
        "status": PENDING,
        "url_file": url_file,
    }


def _grade(
    tx: Tx, code: str, scope: str, sequence: int, *, passed: bool, notes: str, url_file: str | None, now: str
) -> int:
    if _status(_side(tx, code, scope, sequence, "assignment")) == NOT_SUBMITTED:
        raise ApiError("ERRTPM40004", detail=f"no assignment for {scope} {sequence} of {code}")
    if _status(_side(tx, code, scope, sequence, "feedback")) == ACCEPTED:
        raise ApiError(
            "ERRTPM40005", detail=f"{scope} {sequence} of {code} already has a successful feedback"
        )
    outcome = ACCEPTED if passed else FAILED
    tx.execute(
        "UPDATE tpm_submissions SET status = ?, updated_at = ? "
        "WHERE redeem_code = ? AND scope = ? AND sequence = ? AND kind = 'assignment'",
        (outcome, now, code, scope, sequence),
    )
    return _upsert(
        tx, code=code, scope=scope, sequence=sequence, kind="feedback", status=outcome, url_file=url_file,
        notes=notes, now=now,
    )  # fmt: skip


def submit_feedback(
    ctx: DomainContext,
    *,
    lp: Partner,
    redeem_code: str,
    scope: str,
    sequence: int,
    notes: str,
    url_file: str | None = None,
) -> dict[str, Any]:
    """Record the LP's feedback: feedback and assignment become accepted (2)."""
    now = format_time(ctx.now())
    with ctx.store.transaction() as tx:
        code = _task(tx, lp, redeem_code, scope, sequence)
        row_id = _grade(tx, code.code, scope, sequence, passed=True, notes=notes, url_file=url_file, now=now)
    return {
        "id": row_id,
        "redeem_code": code.code,
        "scope": scope,
        "sequence": sequence,
        "status": ACCEPTED,
        "url_file": url_file,
        "notes": notes,
    }


def grade(
    ctx: DomainContext, *, redeem_code: str, scope: str, sequence: int, passed: bool, notes: str
) -> dict[str, Any]:
    """Control API helper: grade a submitted task as passed (2) or failed (3) on both sides.

    Unlike the partner operations it checks no LP ownership; the task rules still apply (ERRRDM40001,
    ERRTPM40001-40005).
    """
    now = format_time(ctx.now())
    with ctx.store.transaction() as tx:
        code = _task(tx, None, redeem_code, scope, sequence)
        _grade(tx, code.code, scope, sequence, passed=passed, notes=notes, url_file=None, now=now)
        return _submission_status(tx, code.code, scope, sequence)


def _submission_status(tx: Tx, code: str, scope: str, sequence: int) -> dict[str, Any]:
    sides = {}
    for kind in ("assignment", "feedback"):
        sides[kind] = {
            "redeem_code": code,
            "scope": scope,
            "sequence": sequence,
            "status": _status(_side(tx, code, scope, sequence, kind)),
        }
    return sides


def submission_status(
    ctx: DomainContext, *, lp: Partner, redeem_code: str, scope: str, sequence: int
) -> dict[str, Any]:
    """Both sides of a task: ``{"assignment": {...}, "feedback": {...}}``, status 0 when not sent."""
    with ctx.store.read() as tx:
        code = _task(tx, lp, redeem_code, scope, sequence)
        return _submission_status(tx, code.code, scope, sequence)
