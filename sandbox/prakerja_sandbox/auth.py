"""Request authentication: who is calling, and did they sign this request.

The signature is HMAC-SHA1 over ``client_code + timestamp + METHOD + path + body`` (see
:mod:`prakerja.signing`). Real partner code signs in slightly different ways, so the sandbox accepts every
variant below and records which one matched (``signature_variant`` in the request log):

``raw``                 the body bytes exactly as received (what the SDK does; PHP's ``\\/`` escapes too)
``compact``             the compact re-serialisation of the parsed body, keys in received order, UTF-8
                        (Prakerja's Python sample signs this but sends ``json.dumps`` output with spaces)
``compact_ascii``       the same with non-ASCII characters as ``\\uXXXX`` escapes
``authorization_raw``   ``path + Authorization + body``, Prakerja's Go sample slot (``payment/authorize``)
``authorization_compact`` the same over the compact body
``path_query``          a GET signed over ``path?query`` exactly as sent, empty body (the documented decision)
``path_only``           a GET signed over the path without its query

Only ``raw`` and ``path_query`` follow the documented recipe; the others are lenient readings (see
``contracts/ambiguities.yaml``): :data:`VARIANT_WARNINGS` names the sandbox warning each one earns.

Header names are matched case-insensitively (``client_code``, ``Client_code`` and ``client-code`` are one).
Timestamps are Unix seconds compared with the real time (not the movable sandbox clock) within a
configurable tolerance.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
from werkzeug.datastructures import Headers

from prakerja.signing import raw_string, verify
from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.redaction import mask_secrets

__all__ = [
    "VARIANT_WARNINGS",
    "Convention",
    "Credentials",
    "SignedRequest",
    "authenticate",
    "check_timestamp",
    "read_credentials",
    "signature_variants",
    "verify_signature",
]

Convention = Literal["integration", "sso"]
#: Request headers: Werkzeug's ``Headers`` or any plain mapping.
HeaderSource = Headers | Mapping[str, str]

#: the signature variants accepted only through a lenient reading, and the sandbox warning each one earns
VARIANT_WARNINGS: Mapping[str, str] = {
    "compact": "SBXW001",
    "compact_ascii": "SBXW001",
    "authorization_raw": "SBXW002",
    "authorization_compact": "SBXW002",
    "path_only": "SBXW003",
}

_MAX_SECONDS_DIGITS = 11  # 10**11 s is the year 5138; longer values are milliseconds or worse


@attrs.frozen
class _Codes:
    client_missing: str
    client_unknown: str
    signature_missing: str
    signature_invalid: str
    timestamp_malformed: str
    timestamp_stale: str
    timestamp_future: str


_CODES: Mapping[Convention, _Codes] = {
    "integration": _Codes(
        client_missing="ERRPLT40101",
        client_unknown="ERRPLT40102",
        signature_missing="ERRPLT40103",
        signature_invalid="ERRPLT40104",
        timestamp_malformed="ERRPLT40007",
        timestamp_stale="ERRPLT40105",
        timestamp_future="ERRPLT40106",
    ),
    "sso": _Codes(
        client_missing="ERROAUTH4024",
        client_unknown="ERROAUTH4029",
        signature_missing="ERROAUTH4036",
        signature_invalid="ERROAUTH4036",
        timestamp_malformed="ERROAUTH4037",
        timestamp_stale="ERROAUTH4037",
        timestamp_future="ERROAUTH4037",
    ),
}

_HEADER_NAMES: Mapping[Convention, tuple[str, str, str]] = {
    "integration": ("client_code", "signature", "timestamp"),
    "sso": ("X-Client-Id", "X-Signature", "X-Timestamp"),
}


@attrs.frozen
class Credentials:
    """The three signing headers as received (``None`` when absent or blank)."""

    client_code: str | None
    signature: str | None
    timestamp: str | None


def read_credentials(headers: HeaderSource, convention: Convention) -> Credentials:
    """The signing headers of ``convention``, whatever their case or ``-``/``_`` spelling."""
    found: dict[str, str] = {}
    for key, value in headers.items():  # one pass; the first of two spellings wins, as in _header
        found.setdefault(key.lower().replace("-", "_"), value)
    client, signature, timestamp = (name.lower().replace("-", "_") for name in _HEADER_NAMES[convention])
    return Credentials(
        client_code=(found.get(client) or "").strip() or None,
        signature=(found.get(signature) or "").strip() or None,
        timestamp=(found.get(timestamp) or "").strip() or None,
    )


@attrs.frozen
class SignedRequest:
    """What a signature can cover: the request line, the body as received and, parsed, as an object."""

    method: str
    path: str
    query: str = ""
    body: bytes = b""
    parsed: Any = None
    authorization: str | None = None


def check_timestamp(value: str | None, *, now: float, tolerance: int, convention: Convention) -> int:
    """The timestamp header as Unix seconds, refused when malformed or outside ``now +- tolerance``."""
    codes = _CODES[convention]
    if value is None:
        raise ApiError(codes.timestamp_malformed, field="timestamp", detail="the timestamp header is missing")
    if not value.isascii() or not value.isdigit():
        raise ApiError(
            codes.timestamp_malformed,
            field="timestamp",
            detail=f"timestamp {value!r} is not Unix time in whole seconds (digits only)",
        )
    if len(value) > _MAX_SECONDS_DIGITS:
        raise ApiError(
            codes.timestamp_malformed,
            field="timestamp",
            detail=f"timestamp {value} looks like milliseconds; send Unix seconds (e.g. {int(now)})",
        )
    seconds = int(value)
    if seconds < now - tolerance:
        raise ApiError(
            codes.timestamp_stale,
            field="timestamp",
            detail=f"timestamp is {int(now - seconds)} s old; the window is +-{tolerance} s (server time {int(now)})",
        )
    if seconds > now + tolerance:
        raise ApiError(
            codes.timestamp_future,
            field="timestamp",
            detail=f"timestamp is {int(seconds - now)} s ahead; the window is +-{tolerance} s "
            f"(server time {int(now)})",
        )
    return seconds


def _compact(parsed: Any, *, ensure_ascii: bool) -> bytes | None:
    if not isinstance(parsed, dict | list):
        return None
    try:
        text = json.dumps(parsed, separators=(",", ":"), ensure_ascii=ensure_ascii, allow_nan=False)
    except ValueError:
        return None
    return text.encode("utf-8")


def signature_variants(request: SignedRequest) -> list[tuple[str, str, str, bytes]]:
    """Every accepted ``(variant, signed path, authorization slot, signed body)``, most canonical first."""
    if request.method.upper() == "GET":
        with_query = f"{request.path}?{request.query}" if request.query else request.path
        found = [("path_query", with_query, "", request.body)]
        if request.query:
            found.append(("path_only", request.path, "", request.body))
        return found
    bodies: list[tuple[str, bytes]] = [("raw", request.body)]
    for name, ascii_only in (("compact", False), ("compact_ascii", True)):
        compact = _compact(request.parsed, ensure_ascii=ascii_only)
        if compact is not None and all(compact != body for _, body in bodies):
            bodies.append((name, compact))
    found = [(name, request.path, "", body) for name, body in bodies]
    if request.authorization:
        for name, body in bodies[:2]:
            slot = "authorization_raw" if name == "raw" else "authorization_compact"
            found.append((slot, request.path, request.authorization, body))
    return found


#: the server's own ``scheme://host/`` (or a function computing it: only a refused signature needs it)
HostUrl = str | Callable[[], str] | None


def _hint(request: SignedRequest, credentials: Credentials, sign_key: str, host_url: HostUrl) -> str:
    signature = credentials.signature or ""
    if len(signature) != 40 or any(c not in "0123456789abcdefABCDEF" for c in signature):
        return "a signature is 40 hex characters: the HMAC-SHA1 hex digest of the raw string"
    raw = raw_string(
        client_code=credentials.client_code or "",
        timestamp=credentials.timestamp or "",
        method=request.method,
        path=request.path,
        body=request.body,
    )
    key = sign_key.encode("utf-8")
    plain = {hashlib.sha1(part).hexdigest() for part in (raw, raw + key, key + raw)}
    if signature.lower() in plain:
        return "use HMAC-SHA1 keyed with your sign key, not a plain SHA-1 of the text"
    if callable(host_url):
        host_url = host_url()
    if host_url:
        full = verify(
            signature,
            sign_key=sign_key,
            client_code=credentials.client_code or "",
            timestamp=credentials.timestamp or "",
            method=request.method,
            path=host_url.rstrip("/") + request.path,
            body=request.body,
        )
        if full:
            return "sign the path only (e.g. /api/v1/...), without scheme and host"
    return (
        "the signature does not match: sign client_code + timestamp + METHOD + path + body with HMAC-SHA1 "
        "keyed by your sign key, over exactly the body bytes you send (compare expected_raw_signature)"
    )


def verify_signature(
    request: SignedRequest,
    credentials: Credentials,
    *,
    sign_key: str,
    convention: Convention,
    host_url: HostUrl = None,
) -> str:
    """The name of the variant that ``credentials.signature`` signs; a coded refusal when none does."""
    codes = _CODES[convention]
    signature = credentials.signature
    if signature is None:
        raise ApiError(
            codes.signature_missing, field=_HEADER_NAMES[convention][1], detail="no signature header"
        )
    for variant, path, authorization, body in signature_variants(request):
        if verify(
            signature,
            sign_key=sign_key,
            client_code=credentials.client_code or "",
            timestamp=credentials.timestamp or "",
            method=request.method,
            path=path,
            body=body,
            authorization=authorization,
        ):
            return variant
    canonical_path = signature_variants(request)[0][1]
    expected_raw = raw_string(
        client_code=credentials.client_code or "",
        timestamp=credentials.timestamp or "",
        method=request.method,
        path=canonical_path,
        body=request.body,
    )
    raise ApiError(
        codes.signature_invalid,
        detail=_hint(request, credentials, sign_key, host_url),
        debug={
            "expected_raw_signature": mask_secrets(expected_raw.decode("utf-8", "replace")),
            "received_signature": signature,
            "client_code": credentials.client_code,
            "timestamp": credentials.timestamp,
        },
    )


def authenticate(
    request: SignedRequest,
    headers: HeaderSource,
    *,
    convention: Convention,
    find_partner: Callable[[str], Partner | None],
    now: float,
    tolerance: int,
    signature_required: bool = True,
    host_url: HostUrl = None,
    credentials: Credentials | None = None,
) -> tuple[Partner, str | None]:
    """The calling partner and the matched signature variant (``None`` when an optional one is absent).

    Checks in order: client header present, client known, signature present, timestamp well-formed and fresh,
    signature valid. With ``signature_required=False`` (SSO token and profile calls) a request without
    ``X-Signature`` passes on its client id alone; one that carries a signature must be valid.
    ``credentials``: the signing headers when the caller already read them from ``headers``.
    """
    codes = _CODES[convention]
    if credentials is None:
        credentials = read_credentials(headers, convention)
    client_header = _HEADER_NAMES[convention][0]
    if credentials.client_code is None:
        raise ApiError(codes.client_missing, field=client_header, detail=f"no {client_header} header")
    partner = find_partner(credentials.client_code)
    if partner is None:
        raise ApiError(
            codes.client_unknown,
            field=client_header,
            detail=f"{client_header} {credentials.client_code!r} is not registered in this sandbox",
        )
    if credentials.signature is None and not signature_required:
        return partner, None
    if credentials.signature is None:
        signature_header = _HEADER_NAMES[convention][1]
        raise ApiError(
            codes.signature_missing, field=signature_header, detail=f"no {signature_header} header"
        )
    check_timestamp(credentials.timestamp, now=now, tolerance=tolerance, convention=convention)
    variant = verify_signature(
        request, credentials, sign_key=partner.sign_key, convention=convention, host_url=host_url
    )
    return partner, variant
