"""Request signing as an ``httpx.Auth``: the signature covers the exact bytes that go on the wire.

Both Prakerja conventions are supported: integration calls carry ``client_code``, ``signature`` and
``timestamp`` headers, SSO calls ``X-Client-Id``, ``X-Signature`` and ``X-Timestamp``. The signed path is
the request target as sent (path, plus ``?`` and the query for a GET with one), the signed body is
``request.content``. Usable on its own with any httpx client::

    auth = PrakerjaAuth(client_code="SBX-LP-CIPTAKREASI", sign_key="...")
    httpx.post(url, content=b'{"redeem_code":"PRAT-TC1001"}', auth=auth,
               headers={"Content-Type": "application/json"})
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import Literal

import httpx

from prakerja._logging import logger, redacted_body
from prakerja.signing import INTEGRATION_HEADERS, SSO_HEADERS, sign

__all__ = ["Convention", "PrakerjaAuth"]

Convention = Literal["integration", "sso"]


class PrakerjaAuth(httpx.Auth):
    """Signs each request with HMAC-SHA1 over ``client_code + timestamp + METHOD + path + body``."""

    requires_request_body = True

    def __init__(
        self,
        *,
        client_code: str,
        sign_key: str,
        convention: Convention = "integration",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client_code = client_code
        self._sign_key = sign_key.encode("utf-8")
        self._headers = SSO_HEADERS if convention == "sso" else INTEGRATION_HEADERS
        self._clock = clock
        self.convention: Convention = convention

    def __repr__(self) -> str:
        return f"PrakerjaAuth(client_code={self._client_code!r}, convention={self.convention!r})"

    def sign_request(self, request: httpx.Request) -> None:
        """Add the three signing headers to ``request`` (its body must already be read)."""
        timestamp = str(int(self._clock()))
        target = request.url.raw_path
        signature = sign(
            sign_key=self._sign_key,
            client_code=self._client_code,
            timestamp=timestamp,
            method=request.method,
            path=target,
            body=request.content,
        )
        headers = self._headers
        request.headers[headers.client] = self._client_code
        request.headers[headers.timestamp] = timestamp
        request.headers[headers.signature] = signature
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "signed %s %s ts=%s sig=%s body=%s",
                request.method,
                target.decode("ascii", "replace"),
                timestamp,
                signature[:8],
                redacted_body(request.content),
            )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign_request(request)
        yield request
