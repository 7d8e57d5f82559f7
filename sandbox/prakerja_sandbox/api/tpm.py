"""The TPM/UK operations a training institution (LP) calls (routes over ``domain/tpm.py``)."""

from __future__ import annotations

import flask

from prakerja_sandbox.api.common import Call, Reply, operation
from prakerja_sandbox.domain import tpm

__all__ = ["bp"]

bp = flask.Blueprint("tpm", __name__)


@bp.post("/api/v1/integration/tpm/submission")
@operation("tpm.submit_assignment", actor="LP")
def submit_assignment(call: Call) -> Reply:
    """Report a participant's TPM or UK file (the assignment becomes pending)."""
    body = call.body
    return Reply(
        tpm.submit_assignment(
            call.ctx,
            lp=call.partner,
            redeem_code=body["redeem_code"],
            scope=body["scope"],
            sequence=int(body["sequence"]),
            url_file=body["url_file"],
        )
    )


@bp.post("/api/v1/integration/tpm/feedback/submission")
@operation("tpm.submit_feedback", actor="LP")
def submit_feedback(call: Call) -> Reply:
    """Send the LP's feedback on a submitted task (feedback and assignment become accepted)."""
    body = call.body
    return Reply(
        tpm.submit_feedback(
            call.ctx,
            lp=call.partner,
            redeem_code=body["redeem_code"],
            scope=body["scope"],
            sequence=int(body["sequence"]),
            notes=body["notes"],
            url_file=body.get("url_file"),
        )
    )


@bp.post("/api/v1/integration/tpm/submission/status")
@operation("tpm.submission_status", actor="LP")
def submission_status(call: Call) -> Reply:
    """The state of a task's assignment and feedback."""
    body = call.body
    return Reply(
        tpm.submission_status(
            call.ctx,
            lp=call.partner,
            redeem_code=body["redeem_code"],
            scope=body["scope"],
            sequence=int(body["sequence"]),
        )
    )
