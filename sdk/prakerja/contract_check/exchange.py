"""One request sent to the server under check and the response it gave, and how to replay it with curl."""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Exchange", "SentRequest", "SentResponse", "curl_command"]

_BODY_PREVIEW = 2000


@attrs.frozen
class SentRequest:
    """A request exactly as it went on the wire: method, full URL, headers in order and body bytes."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = b""
    operation_id: str | None = None

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``None``."""
        return _header(self.headers, name)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


@attrs.frozen
class SentResponse:
    """The status, headers and body the server answered with."""

    status_code: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``None``."""
        return _header(self.headers, name)

    @property
    def content_type(self) -> str:
        """The media type without parameters, lower case (``application/json``)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def json(self) -> Any:
        """The body parsed as JSON (raises ``ValueError`` when it is not JSON)."""
        return json.loads(self.body.decode("utf-8"))

    def json_or_none(self) -> Any:
        """The body parsed as JSON, or ``None`` when it is not JSON."""
        try:
            return self.json()
        except (ValueError, UnicodeDecodeError):
            return None

    @property
    def error_code(self) -> str | None:
        """The catalogue code of an error envelope (``code``, else ``errorCode``), if any."""
        payload = self.json_or_none()
        if not isinstance(payload, Mapping):
            return None
        code = payload.get("code") or payload.get("errorCode")
        return code if isinstance(code, str) and code not in ("", "0") else None

    def preview(self) -> str:
        """The body as text, cut to a readable length."""
        text = self.body.decode("utf-8", "replace")
        return text if len(text) <= _BODY_PREVIEW else text[:_BODY_PREVIEW] + f"... ({len(self.body)} bytes)"


@attrs.frozen
class Exchange:
    """A request and the server's response (``None`` when the connection failed).

    ``client_refused`` is set when the HTTP client refused to send the request at all (a header value or
    URL it will not put on the wire): nothing reached the server, so nothing can be held against it.
    """

    request: SentRequest
    response: SentResponse | None
    transport_error: str | None = None
    client_refused: bool = False

    def curl(self) -> str:
        """A ``curl`` command line that sends the same bytes again."""
        return curl_command(self.request)

    def describe(self) -> str:
        """A short human description: ``POST /path -> 400 ERRPLT40005``."""
        path = self.request.url.split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else "/"
        head = f"{self.request.method} {path}"
        if self.response is None:
            if self.client_refused:
                return f"{head} -> not sent ({self.transport_error})"
            return f"{head} -> no response ({self.transport_error})"
        code = self.response.error_code
        return f"{head} -> {self.response.status_code}" + (f" {code}" if code else "")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the exchange (body as text)."""
        response = None
        if self.response is not None:
            response = {
                "status_code": self.response.status_code,
                "headers": [list(item) for item in self.response.headers],
                "body": self.response.preview(),
            }
        return {
            "request": {
                "operation_id": self.request.operation_id,
                "method": self.request.method,
                "url": self.request.url,
                "headers": [list(item) for item in self.request.headers],
                "body": self.request.body.decode("utf-8", "replace"),
            },
            "response": response,
            "transport_error": self.transport_error,
            "client_refused": self.client_refused,
            "curl": self.curl(),
        }


def _quote_body(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and "\x00" not in text:
        return shlex.quote(text)
    escaped = "".join(f"\\x{byte:02x}" for byte in body)
    return f"\"$(printf '%b' '{escaped}')\""


def curl_command(request: SentRequest) -> str:
    """Render ``request`` as a one-line ``curl`` command (bytes preserved, headers in order)."""
    parts = ["curl", "-sS", "-X", request.method, shlex.quote(request.url)]
    for name, value in request.headers:
        if name.lower() in {
            "content-length",
            "host",
            "accept-encoding",
            "connection",
            "user-agent",
            "accept",
        }:
            continue
        # curl drops a header given as "name:"; "name;" sends it with an empty value.
        parts += ["-H", shlex.quote(f"{name}: {value}" if value else f"{name};")]
    if request.body and request.header("content-type") is None:
        parts += ["-H", shlex.quote("Content-Type:")]
    if request.body:
        parts += ["--data-binary", _quote_body(request.body)]
    return " ".join(parts)
