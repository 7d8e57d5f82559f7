"""Debug logging through ``logging.getLogger("prakerja")``, with secrets masked.

Nothing here ever sees the sign key. OTPs are replaced by ``******``; payment, access and refresh tokens and
SSO authorisation codes show only their first characters. Each line carries the operation and the first
eight characters of the request signature, and a response line adds the gateway's request id when the
response has one, so a partner can match a line with Prakerja's support.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Final

import httpx

__all__ = ["SECRET_FIELDS", "logger", "mask", "redacted_body", "request_id", "signature_prefix"]

logger: Final = logging.getLogger("prakerja")

#: Body fields whose values never reach a log line in full.
SECRET_FIELDS: Final = frozenset(
    {"otp", "payment_token", "access_token", "refresh_token", "token", "code", "sign_key"}
)
_HIDDEN_ENTIRELY: Final = frozenset({"otp", "sign_key"})
_REQUEST_ID_HEADERS: Final = ("x-request-id", "x-correlation-id", "request-id")


def mask(secret: str, *, keep: int = 6) -> str:
    """``secret`` with all but its first ``keep`` characters hidden (everything, if it is short)."""
    if len(secret) <= keep * 2:
        return "*" * min(len(secret), 6) or "''"
    return f"{secret[:keep]}…"


def _masked(key: str, value: Any) -> Any:
    if key in _HIDDEN_ENTIRELY:
        return "******"
    if key in SECRET_FIELDS and isinstance(value, str):
        return mask(value)
    return value


def redacted_body(content: bytes) -> str:
    """A JSON body for a log line, secret fields masked; non-JSON bodies are summarised by size."""
    if not content:
        return ""
    try:
        payload = json.loads(content)
    except ValueError:
        return f"<{len(content)} bytes, not JSON>"
    if not isinstance(payload, dict):
        return f"<JSON {type(payload).__name__}>"
    masked = {key: _masked(key, value) for key, value in payload.items()}
    return json.dumps(masked, ensure_ascii=False, separators=(",", ":"))


def signature_prefix(request: httpx.Request) -> str:
    """The first eight characters of the request's signature header, for correlating log lines."""
    signature = request.headers.get("signature") or request.headers.get("x-signature") or ""
    return signature[:8] or "-"


def request_id(response: httpx.Response) -> str | None:
    """The request id a gateway put on the response, if any."""
    for name in _REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value:
            return str(value)
    return None
