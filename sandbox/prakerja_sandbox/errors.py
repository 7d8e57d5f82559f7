"""Coded refusals and the Flask error handlers that turn every failure into the catalogue's JSON envelope.

Code raises :class:`ApiError` with a catalogue code; the HTTP status and the message come from
``contracts/errors.yaml``::

    raise ApiError("ERRPLT40018")                            # course not found
    raise ApiError("ERRPLT40003", field="prakerja_id")       # the debug block names the field

Integration codes answer ``{"success": false, "code": ..., "message": ...}``; SSO codes (``ERROAUTH...``)
answer ``{"success": false, "code": ..., "errorCode": ..., "message": "Unauthorized"}``. When the sandbox runs
with ``sandbox_debug`` a ``debug`` object explains the refusal (never a key or an OTP).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from prakerja.contract import Contract

__all__ = ["ApiError", "error_body", "register_error_handlers", "render_error"]

_log = logging.getLogger("prakerja_sandbox")

_HTTP_CODES: Mapping[int, str] = {
    400: "ERRPLT40001",
    404: "ERRPLT40401",
    405: "ERRPLT40501",
    413: "ERRPLT41301",
    415: "ERRPLT41501",
    429: "ERRPLT42901",
    502: "ERRPLT50201",
    503: "ERRPLT50301",
    504: "ERRPLT50401",
}


class ApiError(Exception):
    """A refusal with a catalogue code. ``field`` and ``detail`` (a hint) go into the debug block."""

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        detail: str | None = None,
        debug: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code if detail is None else f"{code}: {detail}")
        self.code = code
        self.field = field
        self.detail = detail
        self.debug = dict(debug or {})
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"ApiError({self.code!r}, field={self.field!r}, detail={self.detail!r})"


def is_sso_code(code: str) -> bool:
    """Whether ``code`` answers with the SSO envelope."""
    return code.startswith("ERROAUTH")


def _in_sso_operation() -> bool:
    # Every refusal of an SSO operation (general request and server codes included) uses the SSO envelope,
    # as the contract's sso-general-errors decision says.
    return flask.has_app_context() and str(flask.g.get("operation_id", "")).startswith("sso.")


def error_body(contract: Contract, error: ApiError, *, debug: bool) -> dict[str, Any]:
    """The JSON envelope of ``error``."""
    entry = contract.error(error.code)
    body: dict[str, Any] = {"success": False, "code": error.code}
    if is_sso_code(error.code) or _in_sso_operation():
        body["errorCode"] = error.code
    body["message"] = entry.message_id
    if debug:
        extra: dict[str, Any] = dict(error.debug)
        if error.field is not None:
            extra.setdefault("field", error.field)
        if error.detail is not None:
            extra.setdefault("hint", error.detail)
        if extra:
            body["debug"] = extra
    return body


def render_error(contract: Contract, error: ApiError, *, debug: bool = True) -> flask.Response:
    """The Flask response for ``error``: catalogue status, JSON envelope, the error's extra headers."""
    entry = contract.error(error.code)
    response = flask.jsonify(error_body(contract, error, debug=debug))
    response.status_code = entry.http_status
    for name, value in error.headers.items():
        response.headers[name] = value
    flask.g.error_code = error.code
    return response


def _respond(error: ApiError) -> flask.Response:
    from prakerja_sandbox.context import current_sandbox
    from prakerja_sandbox.leniency import refusal_status

    sandbox = current_sandbox()
    response = render_error(sandbox.contract, error, debug=sandbox.config.sandbox_debug)
    response.status_code = refusal_status(sandbox.config, response.status_code)
    return response


def _http_error(exc: HTTPException) -> flask.Response:
    status = exc.code or 500
    code = _HTTP_CODES.get(status, "ERRPLT50001" if status >= 500 else "ERRPLT40001")
    error = ApiError(code, detail=exc.description if status != 404 else None)
    if status == 405:
        allowed = exc.get_headers()
        allow = dict(allowed).get("Allow")
        if allow:
            error = ApiError(code, detail=f"allowed methods: {allow}", headers={"Allow": allow})
    if status == 404:
        error = ApiError(code, detail=f"no endpoint {flask.request.method} {flask.request.path}")
    return _respond(error)


def _unexpected(exc: Exception) -> flask.Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    _log.exception("unexpected error while handling %s %s", flask.request.method, flask.request.path)
    return _respond(ApiError("ERRPLT50001", detail=f"{type(exc).__name__} (see the sandbox log)"))


def register_error_handlers(app: flask.Flask) -> None:
    """Make every failure of ``app`` a coded JSON answer, never an HTML page."""
    app.register_error_handler(ApiError, _respond)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
