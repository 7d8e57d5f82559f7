"""Raw HTTP/1.1 over a socket, for requests no client library sends as written (chunked bodies, odd headers).

:func:`exchange` writes the exact bytes given and reads the whole answer (the request says
``Connection: close``); :func:`chunked` frames a body in ``Transfer-Encoding: chunked``.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["Answer", "chunked", "exchange", "request_bytes"]


@attrs.frozen
class Answer:
    """Status, headers (lower-case names) and body of one raw answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def chunked(body: bytes, size: int) -> bytes:
    """``body`` framed as chunks of ``size`` bytes, with the closing zero chunk."""
    parts = [f"{len(body[at : at + size]):x}\r\n".encode() + body[at : at + size] + b"\r\n"
             for at in range(0, len(body), size)]  # fmt: skip
    return b"".join(parts) + b"0\r\n\r\n"


def request_bytes(method: str, path: str, port: int, headers: Mapping[str, str], body: bytes = b"") -> bytes:
    """A request with ``Host``, ``Connection: close`` and ``headers`` exactly as given, then ``body``."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             *(f"{name}: {value}" for name, value in headers.items())]  # fmt: skip
    return "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body


def exchange(port: int, data: bytes, *, timeout: float = 60) -> Answer:
    """Send ``data`` on a new connection and read the answer until the server closes it."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(data)  # the server may answer (413) and close before it has read everything
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass  # a close with unread request bytes resets; what arrived before is the answer
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = _unchunk(body)
    return Answer(status=int(status_line.split()[1]), headers=headers, body=body)


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out
