"""The dashboard at ``/_sandbox/``: the sandbox state on one server-rendered page, and its clock/fault controls.

No scripts and no external assets: plain HTML forms post to ``/_sandbox/ui/...`` and come back to the page.
A form post from another site is refused (a page on the internet must not reset a developer's sandbox).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import flask
from werkzeug.wrappers import Response as WerkzeugResponse

from prakerja_sandbox.context import Sandbox, current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.guard import check_same_origin
from prakerja_sandbox.control.inputs import query_int, query_text
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.faults import FAULT_KINDS, NETWORK_PROFILES, Faults
from prakerja_sandbox.redaction import masked_key, masked_otp_text

__all__ = ["bp"]

bp = flask.Blueprint("dashboard", __name__, template_folder="templates")

PARTICIPANTS_PER_PAGE = 20
_ROWS = 15
_CLOCK_STEPS = {"1h": 3600, "1d": 86_400, "7d": 7 * 86_400}


def _state(sandbox: Sandbox, participants_offset: int, search: str | None) -> dict[str, Any]:
    faults = Faults(sandbox)
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        return {
            "partners": [
                {**partner, "sign_key": masked_key(partner["sign_key"])} for partner in queries.partners(tx)
            ],
            "participants": queries.participants(
                tx, limit=PARTICIPANTS_PER_PAGE, offset=participants_offset, search=search
            ),
            "transactions": queries.transactions(tx, limit=_ROWS, offset=0),
            "redeem_codes": queries.redeem_codes(tx, limit=_ROWS, offset=0),
            "inbox": [
                {**message, "text": masked_otp_text(message["text"], message["otp"]), "otp": None}
                for message in queries.inbox(tx, limit=10)
            ],
            "requests": queries.requests(tx, limit=_ROWS, offset=0),
            "coverage": queries.coverage(tx, sandbox.contract),
            "faults": faults.active(),
            "profile": faults.profile(),
        }


def _back(notice: str | None = None) -> WerkzeugResponse:
    target = flask.url_for("control.dashboard.page")
    return flask.redirect(f"{target}?{urlencode({'notice': notice})}" if notice else target, code=303)


_same_origin = check_same_origin  # the control API's own check (control.guard), for the forms' posts


@bp.get("/")
def page() -> str:
    """The dashboard."""
    sandbox = current_sandbox()
    offset = query_int("participants_offset", default=0)
    search = query_text("q", max_length=64)
    return flask.render_template(
        "control/dashboard.html",
        **_state(sandbox, offset, search),
        clock=sandbox.clock,
        offset=offset,
        search=search or "",
        per_page=PARTICIPANTS_PER_PAGE,
        operations=sorted(sandbox.contract.operations),
        kinds=FAULT_KINDS,
        profiles=NETWORK_PROFILES,
        clock_steps=_CLOCK_STEPS,
        token=None,  # the control token travels in a cookie (control.guard), never in the page's links
        notice=query_text("notice", max_length=300),
    )


@bp.post("/ui/clock")
def clock_form() -> WerkzeugResponse:
    """Advance the clock by a step, or reset it."""
    _same_origin()
    sandbox = current_sandbox()
    step = flask.request.form.get("step", "")
    if step == "reset":
        sandbox.clock.set_offset(sandbox.config.clock_offset_seconds)
        return _back("Clock reset.")
    if step not in _CLOCK_STEPS:
        return _back(f"Unknown clock step {step!r}.")
    sandbox.clock.advance(_CLOCK_STEPS[step])
    return _back(f"Clock advanced by {step}.")


def _optional_int(name: str) -> int | None:
    text = flask.request.form.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a whole number") from None


@bp.post("/ui/faults")
def fault_form() -> WerkzeugResponse:
    """Inject a fault from the dashboard form."""
    _same_origin()
    form = flask.request.form
    try:  # a refusal becomes a notice on the page
        fault = Faults(current_sandbox()).add(
            operation=form.get("operation", "*"),
            kind=form.get("kind", ""),
            latency_ms=_optional_int("latency_ms"),
            status=_optional_int("status"),
            code=form.get("code", "").strip() or None,
            count=_optional_int("count"),
        )
    except ApiError as refusal:
        return _back(f"Fault refused: {refusal.code} {refusal.field or ''} {refusal.detail or ''}".strip())
    return _back(f"Fault #{fault.id} injected: {fault.kind} on {fault.operation}.")


@bp.post("/ui/faults/clear")
def clear_faults_form() -> WerkzeugResponse:
    """Remove every fault."""
    _same_origin()
    removed = Faults(current_sandbox()).clear()
    return _back(f"{removed} fault(s) removed.")


@bp.post("/ui/network-profile")
def network_form() -> WerkzeugResponse:
    """Switch the network profile."""
    _same_origin()
    name = flask.request.form.get("name", "")
    if name not in NETWORK_PROFILES:
        return _back(f"Unknown network profile {name!r}.")
    Faults(current_sandbox()).set_profile(name, seed=_optional_int("seed") or 0)
    return _back(f"Network profile: {name}.")
