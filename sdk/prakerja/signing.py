"""Request signing as Prakerja defines it.

Every call a partner makes is signed with HMAC-SHA1, keyed with the partner's ``sign_key``, over the plain
concatenation (no separators) of::

    client_code + timestamp + METHOD + path + body

where ``timestamp`` is Unix seconds (the same string as the ``timestamp`` header), ``path`` has no scheme or
host, and ``body`` is the exact JSON text sent on the wire. The signature is 40 lower-case hex characters.

Integration calls carry it in the ``client_code``, ``signature`` and ``timestamp`` headers; SSO calls in
``X-Client-Id``, ``X-Signature`` and ``X-Timestamp``. For a GET with a query string (SSO login URL) the signed
path includes ``?`` and the query exactly as sent, and the body is empty (an inferred rule; see
``contracts/signing.json``).

>>> sign(sign_key="my_sign_key", client_code="myclient_code", timestamp=1516239022, method="POST",
...      path="/api/v1/integration/payment/redeem-code/commit", body='{"redeem_code":"code"}')
'943c20a8e36b6243f576404b00fffdc86411ce1f'
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Any, Final

import attrs

__all__ = [
    "INTEGRATION_HEADERS",
    "SSO_HEADERS",
    "SignedHeaders",
    "compact_json",
    "raw_string",
    "sign",
    "verify",
]


@attrs.frozen
class SignedHeaders:
    """The three header names a signing convention uses."""

    client: str
    signature: str
    timestamp: str


INTEGRATION_HEADERS: Final = SignedHeaders(client="client_code", signature="signature", timestamp="timestamp")
SSO_HEADERS: Final = SignedHeaders(client="X-Client-Id", signature="X-Signature", timestamp="X-Timestamp")


def _text(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def raw_string(
    *,
    client_code: str | bytes,
    timestamp: int | str | bytes,
    method: str,
    path: str | bytes,
    body: str | bytes = b"",
    authorization: str = "",
) -> bytes:
    """The exact bytes that are signed.

    ``authorization`` is the extra slot of Prakerja's Go sample (between path and body). The documented
    recipe has no such slot, so it defaults to the empty string; see ``contracts/signing.json``.
    """
    return b"".join(
        (
            _text(client_code),
            _text(timestamp if isinstance(timestamp, bytes) else str(timestamp)),
            _text(method.upper()),
            _text(path),
            _text(authorization),
            _text(body),
        )
    )


def sign(
    *,
    sign_key: str | bytes,
    client_code: str | bytes,
    timestamp: int | str | bytes,
    method: str,
    path: str | bytes,
    body: str | bytes = b"",
    authorization: str = "",
) -> str:
    """The lower-case hex HMAC-SHA1 signature of a request."""
    message = raw_string(
        client_code=client_code,
        timestamp=timestamp,
        method=method,
        path=path,
        body=body,
        authorization=authorization,
    )
    return hmac.digest(_text(sign_key), message, "sha1").hex()


def verify(
    signature: str,
    *,
    sign_key: str | bytes,
    client_code: str | bytes,
    timestamp: int | str | bytes,
    method: str,
    path: str | bytes,
    body: str | bytes = b"",
    authorization: str = "",
) -> bool:
    """Whether ``signature`` signs this request. Compared in constant time; case-insensitive hex."""
    expected = sign(
        sign_key=sign_key,
        client_code=client_code,
        timestamp=timestamp,
        method=method,
        path=path,
        body=body,
        authorization=authorization,
    )
    return hmac.compare_digest(expected.encode("ascii"), signature.strip().lower().encode("ascii", "replace"))


# one encoder for every body: json.dumps would build one per call when given options
_COMPACT: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def compact_json(payload: Mapping[str, Any]) -> bytes:
    """The compact JSON text the SDK sends and signs: no spaces, keys in the given order, UTF-8."""
    return _COMPACT.encode(payload).encode("utf-8")
