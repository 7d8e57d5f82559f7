"""A Prakerja server that drifts from the contract, served over a real socket, recording the raw bytes.

The sandbox is wrapped in the middleware of ``broken.py`` (and two more drifts), then served by a small raw
HTTP/1.1 server that keeps, for every exchange, the exact bytes it read from the socket and the exact bytes
it wrote back. The proxy tests compare those with what the client sent and received.
"""

from __future__ import annotations

import gzip
import io
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import attrs

from . import broken

__all__ = [
    "RawExchange",
    "RecordingServer",
    "drifting",
    "gzip_answers",
    "raw_request",
    "raw_requests",
    "serve",
    "split_message",
]


def unknown_enum_value(app: WSGIApplication) -> WSGIApplication:
    """Redeem-code Status answers a ``status`` outside the contract's value set."""
    return broken._rewrite_json(
        app, "/api/v1/integration/payment/redeem-code/status", broken._data(lambda d: d.update(status=7))
    )


def unknown_code_on_send_otp(app: WSGIApplication) -> WSGIApplication:
    """Send OTP refuses an unknown participant with a code the catalogue does not have."""

    def invent(payload: dict[str, Any]) -> None:
        if payload.get("success") is False:
            payload["code"] = "ERRPLT40099"

    return broken._rewrite_json(app, "/api/v1/integration/payment/send-otp", invent)


def drifting(app: WSGIApplication) -> WSGIApplication:
    """Every drift at once: numbers as strings, an unknown enum value, unknown codes, a missing field, a 500."""
    for drift in (
        broken.quota_as_string,
        broken.status_without_transaction_code,
        broken.error_code_not_in_catalogue,
        broken.crash_on_malformed_json,
        unknown_enum_value,
        unknown_code_on_send_otp,
    ):
        app = drift(app)
    return app


@attrs.frozen
class RawExchange:
    """What the server read from the socket and what it wrote back, byte for byte."""

    request: bytes
    response: bytes


def split_message(raw: bytes) -> tuple[bytes, list[bytes], bytes]:
    """The start line, the header lines and the body of an HTTP/1.1 message."""
    head, _, body = raw.partition(b"\r\n\r\n")
    start, *lines = head.split(b"\r\n")
    return start, lines, body


def _read_message(stream: Any) -> bytes | None:
    """One request from ``stream``, exactly as read (Content-Length framing only)."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = stream.readline(65537)
        if not line:
            return None
        head += line
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return head + (stream.read(length) if length else b"")


def _environ(raw: bytes, server_port: int) -> WSGIEnvironment:
    start, lines, body = split_message(raw)
    method, target, _ = start.decode("latin-1").split(" ", 2)
    path, _, query = target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SCRIPT_NAME": "",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for line in lines:
        name, _, value = line.decode("latin-1").partition(":")
        key = name.strip().upper().replace("-", "_")
        key = key if key in {"CONTENT_TYPE", "CONTENT_LENGTH"} else f"HTTP_{key}"
        environ.setdefault(key, value.strip())
    return environ


class RecordingServer(socketserver.ThreadingTCPServer):
    """Serves a WSGI app over HTTP/1.1 and keeps every exchange's raw bytes in :attr:`exchanges`.

    With ``tls`` (a server-side :class:`ssl.SSLContext`) it serves HTTPS; the bytes kept are those inside TLS.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: WSGIApplication, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _RawHandler)
        self.app = app
        self.tls = tls
        self.exchanges: list[RawExchange] = []
        self.handshake_failures: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        if self.tls is None:
            return sock, address
        # the handshake runs in the connection's own thread (finish_request), never in the accepting one
        return self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            try:
                request.do_handshake()
            except (ssl.SSLError, OSError) as exc:  # a client that does not trust our certificate hangs up
                with self.lock:
                    self.handshake_failures.append(str(exc))
                return
        super().finish_request(request, client_address)


class _RawHandler(socketserver.StreamRequestHandler):
    server: RecordingServer

    def handle(self) -> None:
        while True:
            raw = _read_message(self.rfile)
            if raw is None:
                return
            answer = self._answer(raw)
            with self.server.lock:
                self.server.exchanges.append(RawExchange(request=raw, response=answer))
            self.wfile.write(answer)
            self.wfile.flush()

    def _answer(self, raw: bytes) -> bytes:
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        chunks: Iterable[bytes] = self.server.app(
            _environ(raw, self.server.server_address[1]), start_response
        )
        body = b"".join(chunks)
        lines = [f"HTTP/1.1 {captured['status']}".encode("latin-1")]
        lines += [
            f"{k}: {v}".encode("latin-1") for k, v in captured["headers"] if k.lower() != "content-length"
        ]
        lines.append(b"Content-Length: %d" % len(body))
        return b"\r\n".join(lines) + b"\r\n\r\n" + body


@contextmanager
def serve(app: WSGIApplication, *, tls: ssl.SSLContext | None = None) -> Iterator[RecordingServer]:
    """``app`` served on a free port until the block ends (over HTTPS with ``tls``)."""
    server = RecordingServer(app, tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _read_answer(stream: io.BufferedReader) -> bytes:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = stream.readline(65537)
        if not line:
            break
        head += line
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    return head + stream.read(length)


def raw_requests(url: str, messages: list[bytes]) -> list[bytes]:
    """Send each message as is on one connection to ``url``'s host and port, reading each answer in turn."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        stream = sock.makefile("rb")
        answers = []
        for message in messages:
            sock.sendall(message)
            answers.append(_read_answer(stream))
        return answers


def raw_request(url: str, message: bytes) -> bytes:
    """Send ``message`` as is to ``url``'s host and port; the whole answer as received."""
    return raw_requests(url, [message])[0]


def gzip_answers(app: WSGIApplication) -> WSGIApplication:
    """Every answer compressed with ``Content-Encoding: gzip``, as a CDN in front of Prakerja may do."""

    def wrapped(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        body = gzip.compress(b"".join(app(environ, capture)), mtime=0)
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(
            captured["status"], [*headers, ("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        )
        return [body]

    return wrapped
