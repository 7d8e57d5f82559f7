"""``prakerja-contract proxy``: a recording proxy between a partner's code and a Prakerja server.

::

    from prakerja.contract_check.proxy import ContractProxy

    with ContractProxy("https://api-ssn.prakerja.go.id", observations="observations.jsonl") as proxy:
        print(proxy.url)  # point the SDK (or a sample client) here instead of at Prakerja

    # one proxy for every Prakerja host: each request goes to the server of the operation its path matches
    ContractProxy("production", observations="observations.jsonl")
    ContractProxy({"integration": "https://api-ssn.prakerja.go.id", "sso": "https://sso.example"})

Every request is forwarded byte for byte: method, path and query, every header name in its spelling and order,
every header value and the body, so the partner's signature stays valid (the proxy holds no key and never
signs). Only what a proxy must change is changed: ``Host`` names the upstream (the one of the operation's
server, see :mod:`~prakerja.contract_check.proxy_upstreams`), and hop-by-hop headers
(``Connection``, ``Keep-Alive``, ``Transfer-Encoding``, ``TE``, ``Upgrade``, ``Expect``, ``Proxy-*``) stay on
their own hop. The answer goes back byte for byte too (status, reason, headers, body as received, still
compressed if it was). After the answer is sent, :class:`~prakerja.contract_check.proxy_checks.ExchangeChecker`
checks the exchange against the contract and one redacted line is appended to the observations file.

Why this server: the standard library's threaded ``http.server`` over a real socket. The proxy must see the
request as the client wrote it; WSGI cannot show that (its CGI-style environ turns ``client_code``,
``Client_code`` and ``client-code`` into the one key ``HTTP_CLIENT_CODE``, loses header order, and gunicorn
22+ and Werkzeug drop underscore headers altogether), so the sample clients' header spellings would be
rewritten or lost. ``http.server`` keeps each header line's name and value and needs no dependency; a thread
per connection is plenty for one partner's test traffic. Forwarding uses httpx (already the SDK's transport):
it sends headers in the given order and case, takes a raw path, and streams the raw, undecoded answer.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import httpx

from prakerja._logging import get_logger
from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse
from prakerja.contract_check.observations import Observation, ObservationWriter
from prakerja.contract_check.proxy_checks import ExchangeChecker
from prakerja.contract_check.proxy_upstreams import Routes, Upstream, upstreams, verify_setting
from prakerja.environments import Environment

__all__ = ["HOP_BY_HOP", "MAX_BODY_BYTES", "ContractProxy"]

logger = get_logger("prakerja.contract_check.proxy")

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection"}
    | {"te", "trailer", "transfer-encoding", "upgrade", "expect"}
)
#: Bodies above this size are refused by the proxy itself (Prakerja's own limit is far lower).
MAX_BODY_BYTES = 16 * 1024 * 1024


def _hop_by_hop(headers: list[tuple[str, str]]) -> set[str]:
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == "connection"
        for token in value.split(",")
        if token.strip()
    }
    return set(HOP_BY_HOP) | named


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._proxy()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    # reading the client's request ----------------------------------------------------------------------
    def _read_body(self, headers: list[tuple[str, str]]) -> bytes | None:
        encoding = next((v for k, v in headers if k.lower() == "transfer-encoding"), "")
        if "chunked" in encoding.lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers stay on this hop
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        lengths = {v.strip() for k, v in headers if k.lower() == "content-length"}
        if not lengths:
            return b""
        if len(lengths) > 1 or not next(iter(lengths)).isdigit():
            # two lengths, or a negative one, would let the proxy and the upstream frame the body differently
            raise ValueError("Content-Length")
        count = int(next(iter(lengths)))
        if count > MAX_BODY_BYTES:
            return None
        return self.rfile.read(count)

    def _proxy(self) -> None:
        with self.server.exchange():
            self._forward()

    def _forward(self) -> None:
        started = time.perf_counter()
        headers = list(self.headers.items())
        try:
            body = self._read_body(headers)
        except ValueError:
            self._own_answer(400, "the request's Content-Length or chunk sizes are not numbers, or disagree")
            return
        if body is None:
            self._own_answer(413, f"the proxy forwards bodies up to {MAX_BODY_BYTES} bytes")
            return
        hop = _hop_by_hop(headers)
        sent = SentRequest(method=self.command, url=self.path, headers=tuple(headers), body=body)
        upstream = self.server.routes.upstream_for(self.command, self.path.split("?", 1)[0])
        forwarded: list[tuple[bytes, bytes]] = []
        for name, value in headers:
            key = name.lower()
            if key == "host":
                forwarded.append((name.encode("latin-1"), upstream.host))
            elif key not in hop and not (
                key == "content-length" and "chunked" in _values(headers, "transfer-encoding")
            ):
                forwarded.append((name.encode("latin-1"), value.encode("latin-1")))
        if self.command not in ("GET", "HEAD") and not any(
            k.lower() == b"content-length" for k, _ in forwarded
        ):
            forwarded.append((b"Content-Length", str(len(body)).encode()))
        url = upstream.target(self.path.encode("latin-1"))
        request = httpx.Request(self.command, url, headers=forwarded, content=body)
        try:
            answer = self.server.client.send(request, stream=True)
            try:
                raw = b"".join(answer.iter_raw())
            finally:
                answer.close()
        except httpx.HTTPError as exc:
            reason = f"{type(exc).__name__}: {exc}"
            self._own_answer(502, _unanswered(upstream, reason, _tls_failure(exc)))
            exchange = Exchange(request=sent, response=None, transport_error=reason)
            self.server.record(exchange, started, upstream)
            return
        reason_phrase = answer.extensions.get("reason_phrase", b"") or answer.reason_phrase.encode()
        try:
            self._write(answer.status_code, bytes(reason_phrase), answer.headers.raw, raw)
        except OSError:  # the client went away; the exchange still happened upstream and is recorded
            self.close_connection = True
        received = SentResponse(
            status_code=answer.status_code,
            headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers.raw),
            body=raw,
        )
        self.server.record(Exchange(request=sent, response=received), started, upstream)

    # answering the client --------------------------------------------------------------------------------
    def _write(self, status: int, reason: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        lines = [b"HTTP/1.1 %d %s" % (status, reason)]
        hop = _hop_by_hop([(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers])
        has_length = False
        for name, value in headers:
            key = name.decode("latin-1").lower()
            if key in hop:
                continue
            if key == "content-length":
                has_length = True
                if self.command != "HEAD":
                    value = str(len(body)).encode()
            lines.append(name + b": " + value)
        if not has_length and self.command != "HEAD" and status >= 200 and status not in (204, 304):
            lines.append(b"Content-Length: %d" % len(body))
        if self.close_connection:
            lines.append(b"Connection: close")
        payload = b"" if self.command == "HEAD" else body
        self.wfile.write(b"\r\n".join(lines) + b"\r\n\r\n" + payload)
        self.wfile.flush()

    def _own_answer(self, status: int, text: str) -> None:
        """An answer of the proxy itself (never Prakerja's), marked by its header and plain-text body."""
        body = f"prakerja-contract proxy: {text}\n".encode()
        self.close_connection = True
        headers = [
            (b"Content-Type", b"text/plain; charset=utf-8"),
            (b"X-Prakerja-Contract-Proxy", b"own-answer"),
        ]
        self._write(
            status,
            {400: b"Bad Request", 413: b"Content Too Large"}.get(status, b"Bad Gateway"),
            headers,
            body,
        )


def _values(headers: list[tuple[str, str]], name: str) -> str:
    return ",".join(v.lower() for k, v in headers if k.lower() == name)


def _tls_failure(exc: BaseException) -> ssl.SSLError | None:
    """The TLS error under an httpx error (a certificate that did not verify, a failed handshake)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def _unanswered(upstream: Upstream, reason: str, tls: ssl.SSLError | None) -> str:
    where = f"the {upstream.server} upstream {upstream.url.rstrip('/')}"
    if tls is None:
        return f"{where} did not answer ({reason})"
    return (
        f"TLS with {where} failed, so nothing was forwarded ({reason}). If the certificate is signed by a "
        "private or corporate CA, give that CA with --ca-bundle PATH; --insecure records without verifying "
        "(never against production)"
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: Routes
    client: httpx.Client
    record: Callable[[Exchange, float, Upstream], None]

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.busy = 0
        self.idle = threading.Condition()

    @contextmanager
    def exchange(self) -> Iterator[None]:
        """Count an exchange in flight, from its request to its observation."""
        with self.idle:
            self.busy += 1
        try:
            yield
        finally:
            with self.idle:
                self.busy -= 1
                self.idle.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait until no exchange is in flight (at most ``timeout`` seconds); whether none is."""
        with self.idle:
            return self.idle.wait_for(lambda: self.busy == 0, timeout)


class ContractProxy:
    """A forwarding proxy that checks every exchange with its upstream against the contract.

    ``upstream`` is one URL for every server, a preset name of :mod:`prakerja.environments`
    (``"production"``) or an :class:`~prakerja.environments.Environment`, or a mapping of server name
    (``integration``, ``sso``, ``oauth``) to URL; each request goes to the server of the operation its path
    matches (see :mod:`~prakerja.contract_check.proxy_upstreams`).
    ``observations`` is the JSON Lines file to append to (or ``None`` to only call ``on_observation``).
    ``listen`` is ``(host, port)``; port 0 takes a free port (see :attr:`url`).
    ``ca_bundle`` verifies HTTPS upstreams against those CA certificates instead of httpx's default bundle;
    ``insecure`` does not verify them at all, and marks every observation ``"tls": "unverified"``.
    """

    def __init__(
        self,
        upstream: str | Environment | Mapping[str, str],
        *,
        observations: str | Path | None = None,
        listen: tuple[str, int] = ("127.0.0.1", 0),
        checker: ExchangeChecker | None = None,
        timeout: float = 60.0,
        on_observation: Callable[[Observation], None] | None = None,
        ca_bundle: str | Path | None = None,
        insecure: bool = False,
    ) -> None:
        self.checker = checker or ExchangeChecker()
        self.routes = Routes.build(upstreams(upstream), self.checker.contract)
        #: the integration upstream (every upstream: :attr:`routes`)
        self.upstream = httpx.URL(self.routes.default.url)
        self.insecure = insecure
        verify = verify_setting(ca_bundle=ca_bundle, insecure=insecure)
        self.writer = None if observations is None else ObservationWriter(observations)
        self.on_observation = on_observation
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=verify)
        self._server = _Server(listen, _Handler)
        self._server.routes = self.routes
        self._server.client = self._client
        self._server.record = self._record
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where clients send their requests: ``http://127.0.0.1:<port>``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def _record(self, exchange: Exchange, started: float, upstream: Upstream) -> None:
        # Runs after the answer is on its way to the client: a slow or failing check never delays or changes it.
        try:
            observation = self.checker.observe(exchange, duration_ms=(time.perf_counter() - started) * 1000)
            tls = "unverified" if self.insecure else "verified"
            observation = attrs.evolve(
                observation, server=upstream.server, tls=tls if upstream.tls else "none"
            )
        except Exception:
            logger.exception(
                "checking %s %s failed; the exchange was forwarded unchanged",
                exchange.request.method,
                exchange.request.url.split("?", 1)[0],
            )
            return
        if self.writer is not None:
            self.writer.write(observation)
        if self.on_observation is not None:
            self.on_observation(observation)

    def serve_forever(self) -> None:
        """Serve until :meth:`close` is called from another thread (or the process is interrupted)."""
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> ContractProxy:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self.serve_forever, name="prakerja-contract-proxy", daemon=True
        )
        self._thread.start()
        return self

    def close(self, *, drain: float = 5.0) -> None:
        """Stop serving, close the upstream connections and the observations file.

        Exchanges in flight get up to ``drain`` seconds to finish and be recorded, so that stopping the proxy
        right after an answer does not lose that answer's line.
        """
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self._server.server_close()
        if not self._server.drain(drain):
            logger.warning("stopped with exchanges in flight after %.0f s; they are not recorded", drain)
        self._client.close()
        if self.writer is not None:
            self.writer.close()

    def __enter__(self) -> ContractProxy:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
