"""Find which common mistake turns a request into the signature a partner's code produced.

Given the request as the partner sends it and the signature their code computed, :func:`diagnose` recomputes
the signature with each mistake partners are known to make (a re-serialised body, a millisecond timestamp,
a host in the path, plain SHA-1 instead of HMAC, ...) and reports the ones that reproduce it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator

import attrs

from prakerja.signing import compact_json

__all__ = ["Finding", "RequestParts", "diagnose"]


@attrs.frozen
class RequestParts:
    """The parts of a request that are signed, as the partner sends them."""

    client_code: str
    sign_key: str
    timestamp: str
    method: str
    path: str
    body: bytes
    authorization: str = ""


@attrs.frozen
class Finding:
    """A mistake that reproduces the partner's signature: what they signed, and how to fix it."""

    mistake: str
    fix: str
    raw: bytes


def _variant_bodies(body: bytes) -> Iterator[tuple[bytes, str, str]]:
    try:
        parsed = json.loads(body) if body.strip() else None
    except ValueError:
        return
    if not isinstance(parsed, dict):
        return
    compact = compact_json(parsed)
    if compact != body:
        yield (
            compact,
            "the signature is over the compact JSON, but the body sent is different text (spaces, order or "
            "escaping)",
            "sign the exact bytes you send: serialise the body once and use that string for both",
        )
    spaced = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    if spaced != body:
        yield (
            spaced,
            "the signature is over json.dumps() output with spaces after ':' and ',', not the body sent",
            "serialise once with separators=(',', ':') and send that same text",
        )
    escaped = json.dumps(parsed, separators=(",", ":")).encode("ascii")
    if escaped not in (body, compact):
        yield (
            escaped,
            "the signature is over a body with non-ASCII characters escaped (\\uXXXX), not the body sent",
            "sign and send the same escaping",
        )
    slashes = compact.replace(b"/", b"\\/")
    if slashes not in (body, compact):
        yield (
            slashes,
            "the signature is over a body with '/' escaped as '\\/' (PHP json_encode's default)",
            "use json_encode($body, JSON_UNESCAPED_SLASHES) and send the same string you sign",
        )
    ordered = json.dumps(parsed, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")
    if ordered not in (body, compact):
        yield (
            ordered,
            "the signature is over the body with its keys sorted, but the body sent keeps another order",
            "sign the body exactly as sent; Prakerja has no canonical key order",
        )


def _variants(parts: RequestParts) -> Iterator[tuple[RequestParts, str, str]]:
    ts = parts.timestamp
    if len(ts) <= 10:
        yield (
            attrs.evolve(parts, timestamp=ts + "000"),
            "the signed timestamp is in milliseconds",
            "use Unix seconds, e.g. Math.floor(Date.now() / 1000), in both the header and the signed string",
        )
    else:
        yield (
            attrs.evolve(parts, timestamp=ts[:-3]),
            "the header carries milliseconds while the signature used seconds",
            "send the same Unix-seconds value in the timestamp header as in the signed string",
        )
    if parts.method != parts.method.lower():
        yield (
            attrs.evolve(parts, method=parts.method.lower()),
            "the method was signed in lower case",
            "sign the method in upper case: POST, GET",
        )
    for host in (
        "https://api.prakerja.go.id",
        "https://api-ssn.prakerja.go.id",
        "https://api-proxy.prakerja.go.id",
    ):
        yield (
            attrs.evolve(parts, path=host + parts.path),
            f"the signed path includes the scheme and host ({host})",
            "sign the path only, e.g. /api/v1/integration/payment/status",
        )
    if "?" in parts.path:
        yield (
            attrs.evolve(parts, path=parts.path.split("?", 1)[0]),
            "the query string was left out of the signed path",
            "sign the path with '?' and the query exactly as sent (the sandbox also accepts the path alone)",
        )
    if parts.path.endswith("/"):
        yield (
            attrs.evolve(parts, path=parts.path.rstrip("/")),
            "the signed path has no trailing '/' but the path sent has one",
            "sign the path exactly as in the URL",
        )
    else:
        yield (
            attrs.evolve(parts, path=parts.path + "/"),
            "the signed path ends with '/' but the path sent does not",
            "sign the path exactly as in the URL",
        )
    if parts.body:
        yield (
            attrs.evolve(parts, body=b""),
            "the body was left out of the signed string",
            "append the JSON body, exactly as sent, after the path",
        )
    if parts.authorization:
        yield (
            attrs.evolve(parts, authorization=""),
            "the Authorization value was left out (the documented recipe); you asked to include it",
            "either is accepted by the sandbox; the documented recipe has no Authorization slot",
        )
    for body, mistake, fix in _variant_bodies(parts.body):
        yield attrs.evolve(parts, body=body), mistake, fix


def _raw(parts: RequestParts) -> bytes:
    # Built by hand rather than with prakerja.signing.raw_string, which upper-cases the method: a
    # lower-case method is one of the mistakes to reproduce.
    return b"".join(
        (
            parts.client_code.encode("utf-8"),
            parts.timestamp.encode("utf-8"),
            parts.method.encode("utf-8"),
            parts.path.encode("utf-8"),
            parts.authorization.encode("utf-8"),
            parts.body,
        )
    )


def _sign(parts: RequestParts) -> str:
    return hmac.new(parts.sign_key.encode("utf-8"), _raw(parts), hashlib.sha1).hexdigest()


def _digest_mistakes(parts: RequestParts, expected: str) -> Iterator[Finding]:
    raw = _raw(parts)
    key = parts.sign_key.encode("utf-8")
    plain = {
        "SHA-1 of the raw string, without the key": hashlib.sha1(raw).hexdigest(),
        "SHA-1 of the raw string followed by the key": hashlib.sha1(raw + key).hexdigest(),
        "SHA-1 of the key followed by the raw string": hashlib.sha1(key + raw).hexdigest(),
    }
    for mistake, digest in plain.items():
        if digest == expected:
            yield Finding(
                mistake=f"the digest is {mistake}",
                fix="use HMAC-SHA1 keyed with the sign key (hash_hmac('sha1', $raw, $key) in PHP)",
                raw=raw,
            )


def diagnose(parts: RequestParts, signature: str) -> list[Finding]:
    """The known mistakes that turn ``parts`` into ``signature``; empty when none reproduces it.

    A correct signature in upper case is reported as a finding too: Prakerja's signatures are lower case.
    """
    expected = signature.strip()
    correct = _sign(parts)
    if expected == correct:
        return []
    if expected.lower() == correct:
        return [
            Finding(
                mistake="the signature is right but in upper-case hex",
                fix="send the 40 hex characters in lower case",
                raw=_raw(parts),
            )
        ]
    expected = expected.lower()
    found = [
        Finding(mistake=mistake, fix=fix, raw=_raw(variant))
        for variant, mistake, fix in _variants(parts)
        if _sign(variant) == expected
    ]
    found.extend(_digest_mistakes(parts, expected))
    if len(expected) == 64:
        found.append(
            Finding(
                mistake="the signature has 64 hex characters: it looks like HMAC-SHA256",
                fix="use HMAC-SHA1 (40 hex characters)",
                raw=_raw(parts),
            )
        )
    return found
