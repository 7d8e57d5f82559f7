"""Reading and decoding request bodies: one reader and one JSON decoder for every route.

:func:`read_body` enforces the size limit whatever the transfer encoding: a ``Content-Length`` over the
limit is refused before anything is read, and a body without one (``Transfer-Encoding: chunked``) is read
from the server's terminated stream and refused as soon as it passes the limit, never cut short and
processed.

:func:`decode_json` turns the bytes into a value or a coded refusal (ERRPLT40001): bytes that are not UTF-8,
JSON syntax errors, ``NaN``/``Infinity``, nesting deeper than :data:`MAX_DEPTH` (checked before parsing, so
the parser never recurses that far), and lone UTF-16 surrogates (``"\\ud800"``), which JSON's grammar allows
but no UTF-8 text can carry (RFC 8259 section 8.2; I-JSON, RFC 7493, forbids them): a value holding one could
not be signed, stored or logged.

:func:`refuse_nul` refuses a key or string holding U+0000 (``"\\u0000"``) with ERRPLT40005 naming the field, for
JSON and form bodies alike: PostgreSQL's text type cannot hold it, so a sandbox on PostgreSQL could neither
store nor look up such a value, and one on SQLite would keep what the other refuses. Refused on every store,
the answer is the same on both (inferred: the published API says nothing of U+0000).
"""

from __future__ import annotations

import json
import re
from typing import Any

import flask

from prakerja_sandbox.errors import ApiError

__all__ = ["DRAIN_BYTES", "MAX_DEPTH", "decode_json", "read_body", "refuse_nul"]

#: How much of a refused, oversized body is still read (and dropped) so its client receives the 413.
DRAIN_BYTES = 1 << 20

#: The deepest nesting of arrays and objects a body may have (partner bodies use 3 levels at most).
MAX_DEPTH = 32

_CHUNK = 16384
_STRINGS = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _too_large(max_bytes: int, size: str) -> ApiError:
    return ApiError("ERRPLT41301", detail=f"body of {size} bytes; the limit is {max_bytes}")


def _drain(stream: Any, most: int) -> None:
    """Read and drop up to ``most`` bytes of the unread body.

    A server that closes a connection with request bytes still unread makes the kernel reset it, and the
    client loses the 413 it was sent; draining a moderate excess lets the refusal arrive. Past
    :data:`DRAIN_BYTES` the connection is left to be reset.
    """
    while most > 0 and (chunk := stream.read(min(_CHUNK, most))):
        most -= len(chunk)


def read_body(max_bytes: int) -> bytes:
    """The request body, refused with ERRPLT41301 when it is (or declares itself) over ``max_bytes``.

    With ``Content-Length`` the declared size decides before anything is read. Without it the body is read
    only when the server terminates the stream itself (``wsgi.input_terminated``: a chunked body), straight
    from ``wsgi.input`` and counted as it comes; anything else has no body.
    """
    request = flask.request
    declared = request.content_length
    if declared is not None:
        if declared > max_bytes:
            if declared <= DRAIN_BYTES:
                _drain(request.environ["wsgi.input"], declared)
            raise _too_large(max_bytes, str(declared))
        return request.get_data(cache=True)
    environ = request.environ
    if not environ.get("wsgi.input_terminated"):
        return b""
    cached = environ.get("prakerja_sandbox.body")
    if isinstance(cached, bytes):
        return cached
    stream = environ["wsgi.input"]
    parts: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            _drain(stream, DRAIN_BYTES - size)
            raise _too_large(max_bytes, f"more than {max_bytes}")
        parts.append(chunk)
    body = b"".join(parts)
    environ["prakerja_sandbox.body"] = body
    return body


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_depth(text: str) -> None:
    # the depth cannot exceed the number of opening brackets: most bodies skip the scan
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise ApiError(
                "ERRPLT40001", detail=f"the body nests arrays and objects deeper than {MAX_DEPTH} levels"
            )


def _check_surrogates(text: str, value: Any) -> None:
    if _SURROGATE_ESCAPE.search(text) is None:  # no \uD800-\uDFFF escape: no surrogate can be in the value
        return
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end].encode("utf-16", "surrogatepass")[2:].hex()
        raise ApiError(
            "ERRPLT40001",
            detail=f"the body holds a lone UTF-16 surrogate (\\u{bad}); send valid Unicode text "
            "(a surrogate escape must be one of a high-low pair)",
        ) from None


def _nul_at(value: Any, path: str) -> str | None:
    """Where the first key or string holding U+0000 is (``a.b[0]``; ``""`` for the value itself), or ``None``."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items: Any = ()
    if isinstance(value, dict):
        items = ((f"{path}.{key}" if path else str(key), key, item) for key, item in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{index}]", "", item) for index, item in enumerate(value))
    for where, key, item in items:
        found = where if "\x00" in key else _nul_at(item, where)
        if found is not None:
            return found
    return None


def refuse_nul(value: Any) -> None:
    """ERRPLT40005 when a key or string of ``value`` (a decoded body) holds U+0000."""
    where = _nul_at(value, "")
    if where is not None:
        field = where.replace("\x00", "\\u0000") or None
        raise ApiError(
            "ERRPLT40005",
            field=field,
            detail=f"{field or 'the body'} holds U+0000 (NUL), which no text value may hold; remove it",
        )


def decode_json(body: bytes) -> Any:
    """The parsed body, or ERRPLT40001 naming what is wrong; duplicate keys keep the last value."""
    if not body.strip():
        raise ApiError("ERRPLT40001", detail="the body is empty; send a JSON object")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError("ERRPLT40001", detail=f"the body is not UTF-8 (byte {exc.start})") from None
    _check_depth(text)
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError("ERRPLT40001", detail=f"invalid JSON: {exc}") from None
    _check_surrogates(text, value)
    if "\\u0000" in text:  # U+0000 can only come from this escape (a raw control character is not JSON)
        refuse_nul(value)
    return value
