"""No silent leniency: requests accepted only through a lenient path are answered with a warning, or refused.

The sandbox accepts some requests that the real Prakerja may refuse, because Prakerja's docs allow two
readings (``contracts/ambiguities.yaml``): a signature over a re-serialised body, the Go sample's Authorization
slot, a GET signed without its query, a form-encoded token request, ``sequence`` omitted on redeem-code
status, a refresh sent to the Create Token path. Code that takes such a path calls :func:`report`:

- by default the request is answered as usual and the answer carries
  ``Prakerja-Sandbox-Warning: SBXW001 "<text>"`` (one header per warning); the request log row lists them;
- with ``strict`` (``prakerja-sandbox --strict``) :func:`report` raises the refusal the contract names for
  that warning, with a hint that names the leniency.

Every answer also carries ``X-Request-Id`` (the same id is in the request log), and :func:`refusal_status`
gives a refusal's HTTP status under the ``refusal_status`` setting.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qsl

import flask

from prakerja.contract import REFUSALS_ANSWERED_400, SandboxWarning
from prakerja_sandbox.bodies import refuse_nul
from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.validation import parse_json

__all__ = [
    "FORM_MIMETYPE",
    "REQUEST_ID_HEADER",
    "WARNING_HEADER",
    "finish_response",
    "is_form",
    "read_form",
    "refusal_status",
    "report",
    "request_warnings",
    "start_request",
]

WARNING_HEADER = "Prakerja-Sandbox-Warning"
REQUEST_ID_HEADER = "X-Request-Id"
FORM_MIMETYPE = "application/x-www-form-urlencoded"


def _strict_code(warning: SandboxWarning) -> str:
    codes = warning.strict_codes
    if str(flask.g.get("operation_id", "")).startswith("sso."):
        for code in codes:
            if code.startswith("ERROAUTH"):
                return code
    return next((code for code in codes if not code.startswith("ERROAUTH")), codes[0])


def report(code: str, *, field: str | None = None) -> None:
    """The current request was accepted only through the lenient path ``code`` (``SBXW001``...).

    Strict: raises the contract's refusal for it, the hint naming the leniency. Otherwise: remembers the
    warning for the answer's headers and the request log.
    """
    sandbox = current_sandbox()
    warning = sandbox.contract.sandbox_warning(code)
    if sandbox.config.strict:
        raise ApiError(
            _strict_code(warning),
            field=field,
            detail=f"strict mode: {warning.hint}",
            debug={"leniency": code},
        )
    found: list[SandboxWarning] = flask.g.setdefault("sandbox_warnings", [])
    if warning not in found:
        found.append(warning)


def request_warnings() -> list[SandboxWarning]:
    """The warnings reported for the current request, in the order they were met."""
    return list(flask.g.get("sandbox_warnings", ()))


def start_request() -> None:
    """Give the request its id (before anything else runs)."""
    flask.g.request_id = uuid.uuid4().hex


def finish_response(response: flask.Response) -> flask.Response:
    """Add ``X-Request-Id`` and one ``Prakerja-Sandbox-Warning`` header per warning to the answer."""
    request_id = flask.g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    for warning in request_warnings():
        response.headers.add(WARNING_HEADER, warning.header)
    return response


def refusal_status(config: SandboxConfig, status: int) -> int:
    """The HTTP status a refusal with the catalogue status ``status`` answers under ``config``."""
    if config.refusal_status == "400" and status in REFUSALS_ANSWERED_400 and flask.g.get("operation_id"):
        return 400
    return status


def is_form() -> bool:
    """Whether the request body is declared form-encoded (what ``curl --data`` sends without -H)."""
    return flask.request.mimetype == FORM_MIMETYPE


def read_form(body: bytes) -> Any:
    """A form-encoded body as an object: its text when that is JSON (``curl --data '{...}'``), else its fields.

    ``ERRPLT40001`` when it is not UTF-8; a field given twice keeps the last value.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError("ERRPLT40001", detail=f"the body is not UTF-8 (byte {exc.start})") from None
    if text.lstrip().startswith(("{", "[")):
        return parse_json(body)
    fields = dict(parse_qsl(text, keep_blank_values=True))
    refuse_nul(fields)
    return fields
