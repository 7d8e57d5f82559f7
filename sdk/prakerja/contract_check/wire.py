"""Signed HTTP requests to the server under check, through any httpx transport.

The checker builds every request by hand (exact bytes, exact headers) so that it can also build the wrong
ones: a changed byte, a stale timestamp, another partner's key. Each exchange is recorded in a
:class:`Coverage` so the report can say which operations and error codes were seen.
"""

from __future__ import annotations

import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

import attrs
import httpx

from prakerja.contract import Operation
from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse
from prakerja.signing import INTEGRATION_HEADERS, SSO_HEADERS, SignedHeaders, sign

__all__ = [
    "OUTSIDE_CONTRACT",
    "Coverage",
    "Credentials",
    "Wire",
    "encode_query",
    "replace_header",
    "sendable_header_value",
]

# Raised before anything is written to the socket.
_CLIENT_REFUSALS = (httpx.LocalProtocolError, httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeEncodeError)


def sendable_header_value(value: str) -> bool:
    """Whether an HTTP/1.1 client can send ``value`` as a header value as is (RFC 9110 field-value: visible
    ASCII, spaces and tabs inside, none at either end). A server strips the ends anyway, so a value with
    them is not a different request."""
    if value != value.strip(" \t"):
        return False
    return all(char == "\t" or " " <= char <= "~" for char in value)


@attrs.frozen
class Credentials:
    """A partner's ``client_code`` and ``sign_key`` (the key is never printed)."""

    client_code: str
    sign_key: str = attrs.field(repr=False)


#: Where :class:`Coverage` counts a request that belongs to no operation of the contract (the LP's
#: attendance-verification page, which Prakerja serves to browsers and the contract does not describe).
OUTSIDE_CONTRACT = "(outside the contract)"


@attrs.define
class Coverage:
    """What the run made the server do: requests and statuses per operation, error codes per operation."""

    requests: Counter[str] = attrs.field(factory=Counter)
    statuses: defaultdict[str, Counter[int]] = attrs.field(factory=lambda: defaultdict(Counter))
    codes: defaultdict[str, Counter[str]] = attrs.field(factory=lambda: defaultdict(Counter))

    def record(self, exchange: Exchange) -> None:
        """Count one exchange."""
        operation = exchange.request.operation_id or OUTSIDE_CONTRACT
        self.requests[operation] += 1
        if exchange.response is None:
            return
        self.statuses[operation][exchange.response.status_code] += 1
        code = exchange.response.error_code
        if code is not None:
            self.codes[operation][code] += 1

    def codes_seen(self) -> set[str]:
        """Every error code any response carried."""
        return {code for per_op in self.codes.values() for code in per_op}


def encode_query(params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """A query string encoded the way ``encodeURIComponent`` does (spaces as ``%20``)."""
    items = params.items() if isinstance(params, Mapping) else params
    return urllib.parse.urlencode(list(items), quote_via=urllib.parse.quote, safe="")


def replace_header(request: SentRequest, name: str, value: str | None) -> SentRequest:
    """``request`` with header ``name`` set to ``value`` (or removed when ``value`` is ``None``)."""
    wanted = name.lower()
    headers = [(key, val) for key, val in request.headers if key.lower() != wanted]
    if value is not None:
        headers.append((name, value))
    return attrs.evolve(request, headers=tuple(headers))


def _conventions(operation: Operation) -> SignedHeaders | None:
    if operation.signing == "integration":
        return INTEGRATION_HEADERS
    if operation.signing == "sso":
        return SSO_HEADERS
    return None


class Wire:
    """Builds, signs and sends requests; one ``httpx.Client`` for the whole run.

    ``base_urls`` maps a contract server name (``integration``, ``sso``, ``oauth``) to a base URL; servers
    not named fall back to ``base_url``. ``transport`` is any httpx transport, e.g.
    ``httpx.WSGITransport(app=create_app())`` to check an app in-process.
    """

    def __init__(
        self,
        *,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        base_urls: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        coverage: Coverage | None = None,
        observer: Callable[[Exchange], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.base_urls = {name: url.rstrip("/") for name, url in (base_urls or {}).items()}
        self.coverage = coverage if coverage is not None else Coverage()
        self.clock_offset = 0
        #: Requests the HTTP client refused to send (never reported as the server's fault).
        self.client_refusals = 0
        self._observer = observer
        self._client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=False)

    @property
    def client(self) -> httpx.Client:
        """The underlying ``httpx.Client`` (shared with the control API client)."""
        return self._client

    def close(self) -> None:
        """Close the underlying HTTP client."""
        self._client.close()

    def now(self) -> int:
        """The Unix time the checker signs with (local time plus any known server clock offset)."""
        return int(time.time()) + self.clock_offset

    def url_for(self, operation: Operation, query: str = "") -> str:
        """The full URL of ``operation`` (with ``query`` already encoded)."""
        base = self.base_urls.get(operation.server, self.base_url)
        return base + operation.path + (f"?{query}" if query else "")

    def request(
        self,
        operation: Operation,
        body: bytes | None,
        *,
        credentials: Credentials | None,
        query: str = "",
        headers: Iterable[tuple[str, str]] = (),
        timestamp: int | str | None = None,
        content_type: str | None = "application/json",
    ) -> SentRequest:
        """A request for ``operation`` signed with ``credentials`` under the operation's convention."""
        url = self.url_for(operation, query)
        parsed = urllib.parse.urlsplit(url)
        signed_path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        sent: list[tuple[str, str]] = []
        if body is not None and content_type is not None:
            sent.append(("Content-Type", content_type))
        names = _conventions(operation)
        if names is not None and credentials is not None:
            stamp = str(self.now() if timestamp is None else timestamp)
            signature = sign(
                sign_key=credentials.sign_key,
                client_code=credentials.client_code,
                timestamp=stamp,
                method=operation.method,
                path=signed_path,
                body=body or b"",
            )
            sent += [
                (names.client, credentials.client_code),
                (names.signature, signature),
                (names.timestamp, stamp),
            ]
        sent += list(headers)
        return SentRequest(
            method=operation.method,
            url=url,
            headers=tuple(sent),
            body=body or b"",
            operation_id=operation.operation_id,
        )

    def send(self, request: SentRequest) -> Exchange:
        """Send ``request`` as is and record the exchange."""
        try:
            response = self._client.request(
                request.method,
                request.url,
                headers=list(request.headers),
                content=request.body or None,
            )
            body = response.read()
        except _CLIENT_REFUSALS as exc:
            # the request never left: h11 refuses e.g. a header value with trailing whitespace, httpx a
            # non-ASCII header value; the server is not at fault
            exchange = Exchange(
                request=request,
                response=None,
                transport_error=f"the HTTP client refused to send it: {type(exc).__name__}: {exc}",
                client_refused=True,
            )
            self.client_refusals += 1
        except httpx.HTTPError as exc:
            exchange = Exchange(
                request=request, response=None, transport_error=f"{type(exc).__name__}: {exc}"
            )
        else:
            exchange = Exchange(
                request=request,
                response=SentResponse(
                    status_code=response.status_code,
                    headers=tuple((key, value) for key, value in response.headers.items()),
                    body=body,
                ),
            )
        self.coverage.record(exchange)
        if self._observer is not None:
            self._observer(exchange)
        return exchange
