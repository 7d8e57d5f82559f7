"""The dashboard at ``/_sandbox/``: the sandbox state as server-rendered pages, and forms that drive it.

No scripts and no external assets. Pages: the overview (``/_sandbox/``), the request log with filters and paging
(``/_sandbox/ui/requests``) and one request in full (``/_sandbox/ui/requests/<id>``), error-code coverage
(``/_sandbox/ui/coverage``), one partner (``/_sandbox/ui/partners/<code>``), one participant
(``/_sandbox/ui/participants/<number>``) and the callback catcher (``/_sandbox/callback/...``, where an LP's
verification or SSO redirect can land before the LP's own app exists). Forms post to ``/_sandbox/ui/do/...``
(:mod:`prakerja_sandbox.control.dashboard_forms`). Times show in UTC with Western Indonesia Time (WIB) beside.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import flask
from werkzeug.wrappers import Response as WerkzeugResponse

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.dashboard_forms import ACTIONS
from prakerja_sandbox.control.dashboard_forms import bp as forms_bp
from prakerja_sandbox.control.inputs import query_int, query_text
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.faults import FAULT_KINDS, NETWORK_PROFILES, Faults
from prakerja_sandbox.redaction import masked_key, masked_otp_text

__all__ = ["CALLBACK_PATHS", "bp", "wib"]

bp = flask.Blueprint("dashboard", __name__, template_folder="templates")
bp.register_blueprint(forms_bp)

PARTICIPANTS_PER_PAGE = 20
REQUESTS_PER_PAGE = 50
_ROWS = 15
_CLOCK_STEPS = {"+1h": 3600, "+1d": 86_400, "+7d": 7 * 86_400, "-1h": -3600, "-1d": -86_400}
_REFRESH_CHOICES = ("5", "15", "60")
_WIB = timezone(timedelta(hours=7), "WIB")
#: Where the callback catcher listens: an LP may register these as its redirect URIs on the sandbox.
CALLBACK_PATHS = {"attendance": "/callback/attendance", "sso": "/callback/sso", "login": "/callback/login"}


def wib(value: object) -> str:
    """``2024-05-29T16:26:40Z`` as ``23:26:40 WIB`` (``29 May 23:26:40 WIB`` when the date differs)."""
    text = str(value or "")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(_WIB)
    shown = "%H:%M:%S WIB" if local.date() == moment.astimezone(UTC).date() else "%d %b %H:%M:%S WIB"
    return local.strftime(shown)


def _pretty(value: object) -> str:
    """A JSON body indented for reading (text that is not JSON as it is)."""
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
    return json.dumps(parsed, indent=2, ensure_ascii=False)


bp.add_app_template_filter(wib, "wib")
bp.add_app_template_filter(_pretty, "pretty")


@bp.context_processor
def _header() -> dict[str, Any]:
    """What every dashboard page shows in its header."""
    sandbox = current_sandbox()
    with sandbox.store.read() as tx:
        coverage = queries.coverage(tx, sandbox.contract)
    refresh = flask.request.args.get("refresh")
    kept = [
        (k, v) for k, v in flask.request.args.items(multi=True) if k not in ("refresh", "notice", "failed")
    ]
    path = flask.request.path
    staying = [*kept, ("refresh", refresh)] if refresh in _REFRESH_CHOICES else kept
    return {
        "back_path": f"{path}?{urlencode(staying)}" if staying else path,
        "refresh_links": {s: f"{path}?{urlencode([*kept, ('refresh', s)])}" for s in _REFRESH_CHOICES},
        "refresh_off": f"{path}?{urlencode(kept)}" if kept else path,
        "clock": sandbox.clock,
        "profile": Faults(sandbox).profile(),
        "coverage_summary": (coverage["covered"], coverage["catalogue_size"]),
        "notice": query_text("notice", max_length=500),
        "notice_failed": flask.request.args.get("failed") == "1",
        "refresh": refresh if refresh in _REFRESH_CHOICES else None,
        "actions": ACTIONS,
    }


@bp.get("/")
def page() -> str:
    """The overview: partners, purchases, codes, participants, the SMS inbox, controls and recent requests."""
    sandbox = current_sandbox()
    offset = query_int("participants_offset", default=0)
    search = query_text("q", max_length=64)
    faults = Faults(sandbox)
    show_otp = sandbox.config.otp_mode == "random"  # reading them is the inbox's purpose there
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        state = {
            "partners": [{**p, "sign_key": masked_key(p["sign_key"])} for p in queries.partners(tx)],
            "participants": queries.participants(
                tx, limit=PARTICIPANTS_PER_PAGE, offset=offset, search=search
            ),
            "transactions": queries.transactions(tx, limit=_ROWS, offset=0),
            "redeem_codes": queries.redeem_codes(tx, limit=_ROWS, offset=0),
            "inbox": [
                message
                if show_otp
                else {**message, "text": masked_otp_text(message["text"], message["otp"]), "otp": None}
                for message in queries.inbox(tx, limit=10)
            ],
            "requests": queries.requests(tx, limit=_ROWS, offset=0),
        }
    return flask.render_template(
        "control/dashboard.html",
        **state,
        show_otp=show_otp,
        faults=faults.active(),
        offset=offset,
        search=search or "",
        per_page=PARTICIPANTS_PER_PAGE,
        operations=sorted(sandbox.contract.operations),
        kinds=FAULT_KINDS,
        profiles=NETWORK_PROFILES,
        clock_steps=_CLOCK_STEPS,
    )


def _request_filters() -> dict[str, Any]:
    return {
        "operation": query_text("operation", max_length=64),
        "client_code": query_text("client_code", max_length=64),
        "failed_only": flask.request.args.get("failed_only") == "1",
        "warned_only": flask.request.args.get("warned_only") == "1",
        "mentions": query_text("mentions", max_length=64),
        "error_code": query_text("error_code", max_length=32),
    }


@bp.get("/ui/requests")
def requests_page() -> str:
    """The whole request log, filtered and paged."""
    sandbox = current_sandbox()
    filters = _request_filters()
    offset = query_int("offset", default=0)
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        found = queries.requests(tx, limit=REQUESTS_PER_PAGE, offset=offset, **filters)
        partners = queries.partners(tx)
    kept = {
        name: value
        for name, value in flask.request.args.items()
        if name
        in ("operation", "client_code", "failed_only", "warned_only", "mentions", "error_code", "refresh")
        and value
    }
    return flask.render_template(
        "control/requests.html",
        requests=found,
        filters=filters,
        kept=kept,
        operations=sorted(sandbox.contract.operations),
        partners=partners,
        per_page=REQUESTS_PER_PAGE,
    )


@bp.get("/ui/requests/<row_id:entry_id>")
def request_page(entry_id: int) -> str:
    """One request: headers and bodies (secrets were masked when it was logged), diagnostics, duration."""
    sandbox = current_sandbox()
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        entry = queries.request_entry(tx, entry_id)
        error = (
            None
            if entry is None or not entry["error_code"]
            else sandbox.contract.errors.get(entry["error_code"])
        )
    if entry is None:
        raise ApiError("ERRPLT40401", detail=f"no request log entry {entry_id}")
    return flask.render_template("control/request.html", q=entry, error=error)


@bp.get("/ui/coverage")
def coverage_page() -> str:
    """Catalogue codes met so far, and those never met, the ones a DP must handle first."""
    sandbox = current_sandbox()
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        coverage = queries.coverage(tx, sandbox.contract)
    unmet = sorted(
        coverage["never_emitted"],
        key=lambda row: (not sandbox.contract.errors[row["code"]].dp_must_handle, row["code"]),
    )
    must = {code for code, entry in sandbox.contract.errors.items() if entry.dp_must_handle}
    return flask.render_template("control/coverage.html", coverage=coverage, unmet=unmet, must=must)


@bp.get("/ui/partners/<code>")
def partner_page(code: str) -> str:
    """One partner: its credentials (key masked), its purchases or redeem codes, and its requests."""
    sandbox = current_sandbox()
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        partner = next((p for p in queries.partners(tx) if code in (p["code"], p["client_code"])), None)
        if partner is None:
            raise ApiError("ERRPLT40401", detail=f"no partner {code!r} in this sandbox")
        is_dp = partner["role"] == "DP"
        transactions = (
            queries.transactions(tx, limit=_ROWS, offset=0, dp_code=partner["code"]) if is_dp else None
        )
        redeem_codes = (
            None if is_dp else queries.redeem_codes(tx, limit=_ROWS, offset=0, lp_code=partner["code"])
        )
        requests = queries.requests(tx, limit=_ROWS, offset=0, client_code=partner["client_code"])
    return flask.render_template(
        "control/partner.html",
        partner={**partner, "sign_key": masked_key(partner["sign_key"])},
        transactions=transactions,
        redeem_codes=redeem_codes,
        requests=requests,
    )


@bp.get("/ui/participants/<prakerja_id>")
def participant_page(prakerja_id: str) -> str:
    """One participant: purchases, redeem codes with attendance, SMS messages and the requests naming them."""
    sandbox = current_sandbox()
    show_otp = sandbox.config.otp_mode == "random"
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        found = queries.participants(tx, limit=1, offset=0, search=prakerja_id).items
        person = next((row for row in found if row["prakerja_id"] == prakerja_id), None)
        if person is None:
            raise ApiError("ERRPLT40401", detail=f"no participant {prakerja_id!r} in this sandbox")
        inbox = queries.inbox(tx, limit=20, prakerja_id=prakerja_id)
        state = {
            "transactions": queries.transactions(tx, limit=_ROWS, offset=0, prakerja_id=prakerja_id),
            "redeem_codes": queries.redeem_codes(tx, limit=_ROWS, offset=0, prakerja_id=prakerja_id),
            "requests": queries.requests(tx, limit=_ROWS, offset=0, mentions=prakerja_id),
        }
    if not show_otp:
        inbox = [{**m, "text": masked_otp_text(m["text"], m["otp"]), "otp": None} for m in inbox]
    return flask.render_template("control/participant.html", person=person, inbox=inbox, **state)


@bp.get("/callback/<kind>")
def callback_page(kind: str) -> str:
    """The callback catcher: shows the query an LP's verification or SSO redirect brought back."""
    if kind not in CALLBACK_PATHS:
        raise ApiError("ERRPLT40401", detail=f"callbacks land on {', '.join(CALLBACK_PATHS)}")
    params = list(flask.request.args.items(multi=True))
    return flask.render_template("control/callback.html", kind=kind, params=params)


def _browser_wants_html() -> bool:
    accepted = flask.request.accept_mimetypes
    return accepted.best_match(["application/json", "text/html"]) == "text/html" and accepted["text/html"] > 0


def root() -> WerkzeugResponse:
    """``GET /``: a browser goes to the dashboard; an API client keeps the catalogue's JSON 404."""
    if flask.request.method == "GET" and _browser_wants_html() and current_sandbox().config.control_api:
        return flask.redirect(flask.url_for("control.dashboard.page"), code=302)
    flask.abort(404)


@bp.record_once
def _install_root(setup: flask.blueprints.BlueprintSetupState) -> None:
    # every method, so anything but a browser's GET keeps the 404 an unknown path gets (not a 405)
    setup.app.add_url_rule("/", "sandbox_root", root, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
