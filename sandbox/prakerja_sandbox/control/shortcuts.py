"""Control API: browserless shortcuts for what a participant does on Prakerja's own pages.

``POST /_sandbox/attendance/verify`` stands in for the face verification page: it completes the open
verification of a redeem code's sequence (opening one first, as ``url-generate`` would, when none is open).
``POST /_sandbox/tpm/grade`` grades a submitted TPM/UK task as accepted or failed, and
``POST /_sandbox/redeem-codes/reset`` puts a ``PRAT-`` test code back in its starting state as the LP's
``attendance.reset`` does. Each applies the same rules as the partner operation, so a refusal answers the same
catalogue code.
"""

from __future__ import annotations

from typing import Any

import flask

from prakerja_sandbox.context import Sandbox, current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.inputs import json_body
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.domain import tpm
from prakerja_sandbox.domain.attendance import generate_url
from prakerja_sandbox.domain.attendance import reset as reset_code
from prakerja_sandbox.domain.partners import Partner, find_by_code
from prakerja_sandbox.domain.verification import VerificationClosed, complete
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.pages.common import public_base_url

__all__ = ["bp"]

bp = flask.Blueprint("shortcuts", __name__)

REDEEM_CODE_PATTERN = r"[A-Za-z0-9-]{1,64}"
ATTENDANCE_SEQUENCES = (*range(1, 11), 999)


def _open_state(sandbox: Sandbox, redeem_code: str, sequence: int) -> str | None:
    with sandbox.store.read() as tx:
        state = tx.scalar(
            "SELECT state FROM verifications WHERE redeem_code = ? AND sequence = ? AND completed_at IS NULL "
            "AND expires_at > ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (redeem_code, sequence, sandbox.clock.now_text()),
        )
    return None if state is None else str(state)


def _institution(sandbox: Sandbox, redeem_code: str) -> tuple[Partner, str]:
    """The LP that would open the verification, and the participant's e-mail to give it."""
    with sandbox.store.read() as tx:
        row = tx.one("SELECT lp_code, email FROM redeem_codes WHERE code = ?", (redeem_code,))
        if row is None:
            raise ApiError("ERRRDM40001", field="redeem_code", detail=f"no redeem code {redeem_code!r}")
        lp_code = row["lp_code"] or tx.scalar(  # a shared test code: any validated LP may use it
            "SELECT code FROM partners WHERE kind = 'LP' AND status = 'validated' ORDER BY rowid LIMIT 1"
        )
        lp = None if lp_code is None else find_by_code(tx, str(lp_code))
    if lp is None or not lp.redirect_uris:
        raise ApiError(
            "ERRPLT40005", field="redeem_code", detail="no training institution can verify this code"
        )
    return lp, str(row["email"] or f"{redeem_code.lower()}@peserta.sandbox.invalid")


@bp.post("/attendance/verify")
def verify_attendance() -> flask.Response:
    """``{"redeem_code": "...", "sequence": 1, "result": "verified"|"failed"}``: complete a verification."""
    sandbox = current_sandbox()
    body = json_body({"redeem_code", "sequence", "result"})
    redeem_code = body.required_text("redeem_code", pattern=REDEEM_CODE_PATTERN)
    sequence = body.integer("sequence", default=1) or 1
    if sequence not in ATTENDANCE_SEQUENCES:
        raise ApiError("ERRPLT40005", field="sequence", detail="1 to 10, or 999 for the post-test")
    result = body.text("result", default="verified", choices=("verified", "failed")) or "verified"
    state = _open_state(sandbox, redeem_code, sequence)
    opened = state is None
    if state is None:
        lp, email = _institution(sandbox, redeem_code)
        generated = generate_url(
            sandbox.domain(),
            lp=lp,
            redeem_code=redeem_code,
            redirect_uri=lp.redirect_uris[0],
            email=email,
            sequence=sequence,
            base_url=public_base_url(sandbox),
        )
        state = str(generated["state"])
    try:
        redirect_url = complete(sandbox.domain(), state, "verified" if result == "verified" else "failed")
    except VerificationClosed as closed:
        raise ApiError(closed.code or "ERRPLT40005", field="redeem_code", detail=str(closed)) from closed
    with sandbox.store.read() as tx:
        code: dict[str, Any] = queries.redeem_codes(tx, limit=1, offset=0, code=redeem_code).items[0]
    return ok(
        {
            "redeem_code": redeem_code,
            "sequence": sequence,
            "result": result,
            "state": state,
            "opened_verification": opened,
            "redirect_url": redirect_url,
            "status": code["status"],
            "attendance": code["attendance"],
        },
        message="Attendance recorded.",
    )


@bp.post("/tpm/grade")
def grade_task() -> flask.Response:
    """``{"redeem_code", "scope": "tpm"|"uk", "sequence", "result": "success"|"failed"}``: grade a task."""
    sandbox = current_sandbox()
    body = json_body({"redeem_code", "scope", "sequence", "result", "notes"})
    graded = tpm.grade(
        sandbox.domain(),
        redeem_code=body.required_text("redeem_code", pattern=REDEEM_CODE_PATTERN),
        scope=body.required_text("scope", choices=("tpm", "uk")),
        sequence=body.integer("sequence", required=True, minimum=1, maximum=999) or 1,
        passed=body.text("result", default="success", choices=("success", "failed")) == "success",
        notes=body.text("notes", default="Dinilai melalui sandbox.", max_length=2000) or "",
    )
    return ok(graded, message="Task graded.")


@bp.post("/redeem-codes/reset")
def reset_redeem_code() -> flask.Response:
    """``{"redeem_code": "PRAT-TC1001"}``: what the code's LP gets from ``attendance.reset``."""
    sandbox = current_sandbox()
    body = json_body({"redeem_code"})
    redeem_code = body.required_text("redeem_code", pattern=REDEEM_CODE_PATTERN)
    lp, _ = _institution(sandbox, redeem_code)
    return ok(reset_code(sandbox.domain(), lp=lp, redeem_code=redeem_code), message="Redeem code reset.")
