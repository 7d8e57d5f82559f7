"""The attendance operations a training institution (LP) calls (routes over ``domain/attendance.py``)."""

from __future__ import annotations

import flask

from prakerja_sandbox import leniency
from prakerja_sandbox.api.common import Call, Reply, operation
from prakerja_sandbox.domain import attendance
from prakerja_sandbox.pages.common import public_base_url

__all__ = ["bp"]

bp = flask.Blueprint("attendance", __name__)


@bp.post("/api/v1/integration/oauth/url-generate")
@operation("attendance.generate_url", actor="LP")
def generate_url(call: Call) -> Reply:
    """Open a verification and answer the Prakerja page to send the participant to."""
    body = call.body
    return Reply(
        attendance.generate_url(
            call.ctx,
            lp=call.partner,
            redeem_code=body["redeem_code"],
            redirect_uri=body["redirect_uri"],
            email=body["email"],
            sequence=int(body.get("sequence", 1)),
            base_url=public_base_url(call.sandbox),
        )
    )


@bp.post("/api/v1/integration/payment/redeem-code/status")
@operation("attendance.status", actor="LP")
def status(call: Call) -> Reply:
    """A redeem code's state and the attendance of one sequence (1 when omitted, with a warning)."""
    body = call.body
    if "sequence" not in body:  # the Status page marks it required (ambiguity redeem-status-sequence)
        leniency.report("SBXW005", field="sequence")
    return Reply(
        attendance.status(
            call.ctx, lp=call.partner, redeem_code=body["redeem_code"], sequence=int(body.get("sequence", 1))
        )
    )


@bp.post("/api/v1/integration/payment/redeem-code/reset")
@operation("attendance.reset", actor="LP")
def reset(call: Call) -> Reply:
    """Put a positive PRAT- test code back in its starting state."""
    return Reply(attendance.reset(call.ctx, lp=call.partner, redeem_code=call.body["redeem_code"]))


@bp.post("/api/v1/integration/payment/redeem-code/commit")
@operation("attendance.commit", actor="LP")
def commit(call: Call) -> Reply:
    """Legacy: verify sequence 1 directly."""
    return Reply(attendance.commit(call.ctx, lp=call.partner, redeem_code=call.body["redeem_code"]))
