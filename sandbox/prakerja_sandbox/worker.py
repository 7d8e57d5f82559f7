"""The gunicorn worker that serves the sandbox: gevent, with read timeouts that slow clients cannot outlast.

gunicorn's threaded worker gives each connection a thread while it reads the request, so a client that sends
half a request and stops holds that thread: 16 such connections (2 workers x 8 threads) stopped the sandbox
answering anyone. Here every connection is a greenlet, so a stalled one costs a little memory and nothing
else, and each read has a deadline:

- the head of a request (request line and headers) must arrive within the keep-alive time
  (``--keepalive``, 75 s by default) of the connection opening or of its previous answer; with keep-alive
  off (``--keepalive 0``) each read of it must come within ``read_timeout`` seconds;
- while a body is read, each read must come within ``read_timeout`` seconds (``--read-timeout``, 30 s by
  default); a body that stalls is refused (``RequestTimeout``, which the partner API answers with its coded
  ``ERRPLT40001``, other routes with 408) and its connection closed;
- a body that ends before the bytes its ``Content-Length`` (or its chunked framing) announced, because the
  client closed the connection, is refused the same way (``ClientDisconnected``, ``ERRPLT40001``) and never
  handled as if it were complete: gunicorn's body stream returns the bytes that came, so without this check a
  request cut off after its head ran with an empty body (a ``POST /_sandbox/reset`` with
  ``{"keep_request_log": true}`` reset with the defaults; a signed call was logged as a signature failure).

The sandbox's requests run one at a time per worker between such waits (SQLite calls do not yield), and a
latency fault's sleep yields, so a delayed answer does not hold up the other connections of its worker.

After each answer the connection gives the other connections of its worker their turn before it reads its own
next request. A keep-alive client that sends its next request as soon as it has an answer (or pipelines
them) otherwise finds that request already waiting, the read does not block, and the connection keeps the
worker to itself: under load most answers came in a millisecond and one in a hundred waited 400 to 900 ms for
such a connection to pause (the read benchmark's p99). Taking turns costs no throughput; the wait is shared
out evenly instead.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import gevent
from gunicorn.http.errors import NoMoreData, ParseException
from gunicorn.workers.base_async import AsyncWorker
from gunicorn.workers.ggevent import GeventWorker
from werkzeug.exceptions import ClientDisconnected, RequestTimeout

__all__ = ["SandboxWorker", "TimedBody", "timed_bodies", "worker_class"]

#: Set when the current request's body stalled or was cut short: its connection is closed after the refusal
#: (what is left of a stalled body may still come, and must not be read as the next request).
_STALLED: ContextVar[bool] = ContextVar("prakerja_sandbox_body_stalled", default=False)


def _stalled(error: TimeoutError) -> RequestTimeout:
    _STALLED.set(True)
    timeout = RequestTimeout("the request body stopped arriving")
    timeout.__cause__ = error
    return timeout


def _refused(description: str) -> ClientDisconnected:
    _STALLED.set(True)
    return ClientDisconnected(f"{description}; the request was not handled")


def _cut_short(received: int, declared: int | None) -> ClientDisconnected:
    if declared is None:
        return _refused(
            "the chunked request body ended before its last chunk: the client closed the connection"
        )
    return _refused(
        f"the request body ended after {received} of the {declared} bytes its Content-Length announced: "
        "the client closed the connection while sending it"
    )


def _malformed(error: ParseException) -> ClientDisconnected:
    return _refused(f"the chunked request body is malformed or cut short ({type(error).__name__}: {error})")


class TimedBody:
    """A request body stream that refuses, rather than hands on, a body that stalled or was cut short.

    A read timing out raises ``RequestTimeout``; the connection closing before the body's announced end, or
    chunked framing that is malformed, raises ``ClientDisconnected`` (both refusals, never a server error,
    and never a short body handled as if it were whole). ``length`` is the request's ``Content-Length``
    (``None`` for a chunked body, whose reader raises gunicorn's ``NoMoreData`` or a ``ParseException``
    when the connection closes inside it or its framing is wrong).
    """

    def __init__(self, stream: Any, length: int | None = None) -> None:
        self._stream = stream
        self._declared = length
        self._received = 0

    def _expect(self, size: int | None) -> int | None:
        """How many bytes a complete body must give to a read of ``size`` (``None``: no promise)."""
        if self._declared is None:
            return None
        left = self._declared - self._received
        return left if size is None or size < 0 else min(size, left)

    def _take(self, data: bytes, *, short: bool) -> bytes:
        self._received += len(data)
        if short:
            raise _cut_short(self._received, self._declared)
        return data

    def read(self, size: int | None = -1) -> bytes:
        expected = self._expect(size)
        try:
            data: bytes = self._stream.read(size) if size is not None else self._stream.read()
        except TimeoutError as error:
            raise _stalled(error) from error
        except NoMoreData as error:
            raise _cut_short(self._received, self._declared) from error
        except ParseException as error:
            raise _malformed(error) from error
        return self._take(data, short=expected is not None and len(data) < expected)

    def readline(self, size: int | None = -1) -> bytes:
        expected = self._expect(size)
        try:
            data: bytes = self._stream.readline(size) if size is not None else self._stream.readline()
        except TimeoutError as error:
            raise _stalled(error) from error
        except NoMoreData as error:
            raise _cut_short(self._received, self._declared) from error
        except ParseException as error:
            raise _malformed(error) from error
        return self._take(data, short=bool(expected) and not data)  # a line may end early

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return list(iter(self.readline, b""))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")


class SandboxWorker(GeventWorker):  # type: ignore[misc]
    """gunicorn's gevent worker with a per-read deadline on request bodies (see the module docstring)."""

    #: Seconds each read of a body may take (set per server by :func:`worker_class`).
    read_timeout: float = 30.0

    def handle(self, listener: Any, client: socket.socket, addr: Any) -> None:
        # GeventWorker.handle makes the socket fully blocking; with keep-alive off nothing else bounds the
        # wait for a request's head, so every read there gets the read timeout
        client.settimeout(None if self.cfg.keepalive else self.read_timeout)
        AsyncWorker.handle(self, listener, client, addr)

    def handle_request(self, listener_name: Any, req: Any, sock: socket.socket, addr: Any) -> Any:
        previous = sock.gettimeout()
        sock.settimeout(self.read_timeout)
        stalled = _STALLED.set(False)
        try:
            handled = super().handle_request(listener_name, req, sock, addr)
            if _STALLED.get():
                raise StopIteration  # gunicorn closes the connection
        finally:
            _STALLED.reset(stalled)
            sock.settimeout(previous)
        gevent.sleep(0)  # the other connections' turn before this one's next request (see the docstring)
        return handled


def worker_class(*, read_timeout: float) -> type[SandboxWorker]:
    """:class:`SandboxWorker` with ``read_timeout``; gunicorn forks its workers, so they inherit it."""
    return type("SandboxWorker", (SandboxWorker,), {"read_timeout": read_timeout})


def timed_bodies(app: Any) -> Any:
    """Wrap WSGI ``app`` so that a stalled or cut-short body is refused, not a 500 or handled as whole."""

    def wrapped(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        stream = environ.get("wsgi.input")
        if stream is not None:
            length = environ.get("CONTENT_LENGTH")
            environ["wsgi.input"] = TimedBody(stream, int(length) if length else None)
        result: Iterable[bytes] = app(environ, start_response)
        return result

    return wrapped
