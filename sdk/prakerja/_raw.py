"""The HTTP response behind a result: ``client.payments.with_raw_response.status(...)``.

A raw call is the same call (same checks, signing, retries and errors); it returns a
:class:`RawResponse` that carries the result together with the response it came from: status, headers,
elapsed time, the gateway's request id and how many attempts it took. ``.parse()`` gives the typed result.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Generic, TypeVar

import attrs
import httpx

from prakerja._logging import request_id

__all__ = ["RawResponse"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class RawResponse(Generic[T]):
    """A result with the HTTP response it was read from."""

    operation: str
    http_response: httpx.Response = attrs.field(repr=False)
    attempts: int
    _parsed: T = attrs.field(alias="parsed", repr=False)

    def parse(self) -> T:
        """The typed result, as the plain method returns it."""
        return self._parsed

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The answer's headers."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The id the server gave this request (``X-Request-Id``), to quote when asking Prakerja about it."""
        return request_id(self.http_response)

    @property
    def elapsed(self) -> timedelta | None:
        """Time from sending the request to reading the answer (``None`` when the transport did not time it)."""
        try:
            return self.http_response.elapsed
        except RuntimeError:
            return None

    @property
    def content(self) -> bytes:
        """The answer's body as received."""
        return self.http_response.content

    @property
    def http_request(self) -> httpx.Request:
        """The request as sent (signed)."""
        return self.http_response.request

    def __repr__(self) -> str:
        return (
            f"RawResponse(operation={self.operation!r}, status_code={self.status_code}, "
            f"request_id={self.request_id!r}, attempts={self.attempts})"
        )
