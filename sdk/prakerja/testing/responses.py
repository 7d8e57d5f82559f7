"""Prakerja's answers as ``httpx.Response`` objects, for tests that mock the HTTP layer (respx, MockTransport).

::

    respx_mock.post(url).mock(return_value=error_response("ERRPLT40013"))

    def handler(request: httpx.Request) -> httpx.Response:
        return error_response("ERRPLT40032", request_id="req-1")

    client = PrakerjaClient(..., transport=httpx.MockTransport(handler))

The status, message and envelope come from the error catalogue, as the sandbox answers them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from prakerja.contract import load_contract

__all__ = ["error_response", "success_response"]


def error_response(
    code: str,
    *,
    message: str | None = None,
    status_code: int | None = None,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """Prakerja's refusal with catalogue ``code``: its HTTP status and message unless given.

    SSO codes (``ERROAUTH...``) carry ``errorCode`` beside ``code``, as the SSO API answers. ``request_id``
    is sent as ``X-Request-Id``. An unknown code raises ``KeyError`` naming the catalogue, unless both
    ``message`` and ``status_code`` are given (to test how a client meets a code it does not know).
    """
    errors = load_contract().errors
    entry = errors.get(code)
    if entry is None and (message is None or status_code is None):
        raise KeyError(
            f"{code!r} is not in the error catalogue (contracts/errors.yaml); "
            "pass message= and status_code= to answer an unknown code"
        )
    body: dict[str, Any] = {
        "success": False,
        "code": code,
        "message": message if message is not None else entry.message_id if entry else "",
    }
    if code.startswith("ERROAUTH"):
        body["errorCode"] = code
    status = status_code if status_code is not None else entry.http_status if entry else 400
    return httpx.Response(status, json=body, headers=_headers(headers, request_id))


def success_response(
    data: Any = None,
    *,
    message: str = "OK",
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """Prakerja's success envelope around ``data`` (left out when ``None``), HTTP 200."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    return httpx.Response(200, json=body, headers=_headers(headers, request_id))


def _headers(headers: Mapping[str, str] | None, request_id: str | None) -> dict[str, str]:
    merged = dict(headers or {})
    if request_id is not None:
        merged["X-Request-Id"] = request_id
    return merged
