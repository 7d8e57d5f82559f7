"""The dashboard's forms: each posts to ``/_sandbox/ui/do/<action>`` and becomes the control API call it names.

One mechanism serves every form. The action's table types the form fields (empty ones are left out), and the
JSON call is dispatched inside the sandbox to the very route a test would call, with the same checks. So a
form does exactly what the control API does, and a refusal comes back as its catalogue code, shown on the page
as a notice that names the field and says what to send instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final
from urllib.parse import urlencode

import attrs
import flask
from werkzeug.wrappers import Response as WerkzeugResponse

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.errors import ApiError

__all__ = ["ACTIONS", "Action", "back", "bp", "dispatch"]

bp = flask.Blueprint("forms", __name__)

Field = Callable[[str, str], Any]


def _integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a whole number, not {text!r}") from None


def _number(name: str, text: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a number, not {text!r}") from None


def _text(name: str, text: str) -> str:
    return text


def _flag(name: str, text: str) -> bool:
    return text.lower() in ("1", "on", "true", "yes")


@attrs.frozen
class Action:
    """One form: the control API call it makes, its fields and what the notice calls it."""

    method: str
    path: str  # may name form fields in braces, e.g. ``/faults/{fault_id}``
    label: str
    fields: Mapping[str, Field] = attrs.field(factory=dict)
    path_fields: Mapping[str, Field] = attrs.field(factory=dict)


_FAULT_FIELDS: Final[dict[str, Field]] = {
    "operation": _text,
    "kind": _text,
    "latency_ms": _integer,
    "status": _integer,
    "code": _text,
    "count": _integer,
    "probability": _number,
    "client_code": _text,
    "mode": _text,
    "retry_after": _integer,
    "seed": _integer,
}

ACTIONS: Final[dict[str, Action]] = {
    "clock": Action("POST", "/clock", "Clock", {"advance_seconds": _integer, "set": _text, "reset": _flag}),
    "fault-add": Action("POST", "/faults", "Fault", _FAULT_FIELDS),
    "fault-delete": Action("DELETE", "/faults/{fault_id}", "Removing the fault", path_fields={"fault_id": _integer}),
    "faults-clear": Action("DELETE", "/faults", "Removing every fault"),
    "network": Action("POST", "/network-profile", "Network profile", {"name": _text, "seed": _integer}),
    "verify": Action(
        "POST",
        "/attendance/verify",
        "Attendance",
        {"redeem_code": _text, "sequence": _integer, "result": _text},
    ),
    "grade": Action(
        "POST",
        "/tpm/grade",
        "Grading",
        {"redeem_code": _text, "scope": _text, "sequence": _integer, "result": _text, "notes": _text},
    ),
    "reset-code": Action("POST", "/redeem-codes/reset", "Resetting the code", {"redeem_code": _text}),
    "reset": Action("POST", "/reset", "Reset", {"seed": _flag, "keep_request_log": _flag}),
    "participant": Action(
        "POST",
        "/participants",
        "Adding the participant",
        {
            "name": _text,
            "prakerja_id": _text,
            "education": _text,
            "balance": _integer,
            "phone": _text,
            "email": _text,
            "status": _text,
        },
    ),
    "seed": Action(
        "POST", "/seed", "Synthetic data", {"participants": _integer, "redeem_codes": _integer, "seed": _integer}
    ),
}  # fmt: skip


def back(notice: str | None = None, *, ok: bool = True) -> WerkzeugResponse:
    """Back to the page the form was on (``back``, a dashboard path), with ``notice`` shown at the top."""
    target = flask.request.form.get("back", "")
    if not target.startswith("/_sandbox/") or target.startswith("//") or "\\" in target:
        target = flask.url_for("control.dashboard.page")
    path, _, anchor = target.partition("#")
    params = {name: value for name, value in (("notice", notice), ("failed", None if ok else "1")) if value}
    joiner = "&" if "?" in path else "?"
    query = f"{joiner}{urlencode(params)}" if params else ""
    return flask.redirect(f"{path}{query}{'#' + anchor if anchor else ''}", code=303)


def dispatch(method: str, path: str, body: Mapping[str, Any] | None) -> tuple[int, dict[str, Any]]:
    """Call the control API route ``method path`` inside this process, as a test would over HTTP."""
    app = flask.current_app
    sandbox = current_sandbox()
    headers = {"X-Sandbox-Token": sandbox.config.control_token} if sandbox.config.control_token else {}
    with (
        app.app_context(),  # its own ``g``: the inner request pins and releases its own clock reading
        app.test_request_context(
            f"/_sandbox{path}",
            method=method,
            json=dict(body) if body is not None else None,
            headers=headers,
            base_url=flask.request.host_url,
        ),
    ):
        response = app.full_dispatch_request()
    answer = response.get_json(silent=True)
    return response.status_code, answer if isinstance(answer, dict) else {}


def _body(action: Action, form: Mapping[str, str]) -> dict[str, Any]:
    body = {}
    for name, convert in action.fields.items():
        text = form.get(name, "").strip()
        if text:
            body[name] = convert(name, text)
    return body


def refusal_text(label: str, answer: Mapping[str, Any]) -> str:
    """``Fault refused: ERRPLT40005 on "code": a code of the error catalogue.`` from an error envelope."""
    found = answer.get("debug")
    debug: Mapping[str, Any] = found if isinstance(found, dict) else {}
    field = debug.get("field")
    hint = debug.get("hint") or answer.get("message") or "refused"
    return f"{label} refused: {answer.get('code', 'error')}{f' on “{field}”' if field else ''}: {hint}."


def _success_text(label: str, answer: Mapping[str, Any]) -> str:
    message = str(answer.get("message") or "Done.")
    data = answer.get("data")
    if label == "Clock" and isinstance(data, dict):
        return f"Clock: sandbox time is now {data.get('now')} (offset {round(data.get('offset_seconds') or 0):+d} s)."
    if label == "Fault" and isinstance(data, dict):
        return f"Fault #{data.get('id')} injected: {data.get('kind')} on {data.get('operation')}."
    if isinstance(data, dict) and "removed" in data:
        return f"{data['removed']} fault(s) removed."
    if label == "Adding the participant" and isinstance(data, dict):
        return f"Participant {data.get('name')} added: Kartu Prakerja {data.get('prakerja_id')}."
    if label in ("Attendance", "Grading") and isinstance(data, dict):
        return f"{message} {data.get('redeem_code')} sequence {data.get('sequence')}: {data.get('result')}."
    return message


@bp.post("/ui/do/<action_name>")
def do(action_name: str) -> WerkzeugResponse:
    """Run the form's action and go back to the page with what happened (a post from another site was
    refused before this runs: :mod:`prakerja_sandbox.control.guard`)."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise ApiError("ERRPLT40401", detail=f"no dashboard action {action_name!r}")
    form = flask.request.form
    try:
        path = action.path.format(
            **{
                name: convert(name, form.get(name, "").strip())
                for name, convert in action.path_fields.items()
            }
        )
        body = _body(action, form)
    except ApiError as refused:
        answer = {"code": refused.code, "debug": {"field": refused.field, "hint": refused.detail}}
        return back(refusal_text(action.label, answer), ok=False)
    status, answer = dispatch(action.method, path, body if action.method != "DELETE" else None)
    if status >= 400:
        return back(refusal_text(action.label, answer), ok=False)
    return back(_success_text(action.label, answer))
