"""The shape of a body with every value redacted: what the observations file may hold.

An observation must be safe to share with the project (or paste into an issue): it carries no sign key, token,
OTP, name, Kartu Prakerja number, phone number or e-mail. :func:`shape` keeps the structure of a JSON body and
replaces every value by its type (and a string's length)::

    >>> shape({"data": {"amount": "20000", "prakerja_name": "Siti"}}, vocabulary={"data", "amount"})
    {'data': {'amount': 'string(5)', '<key:13>': 'string(4)'}}

Keys are kept when the contract defines them (its ``vocabulary``) or when they read as a multi-word identifier
(``new_field``, ``newField``); any other key (a name, a number, a token used as a key) becomes ``<key:N>``.

The few values a finding needs are let through only by :func:`safe_code` (an error code, ``ERRPLT40099``) and
:func:`safe_enum_value` (an enum token such as ``PENDING`` or a small integer): patterns that no name, number,
e-mail, OTP or token can match.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

__all__ = [
    "redact_path",
    "safe_code",
    "safe_enum_value",
    "safe_key",
    "shape",
    "type_name",
]

_MULTI_WORD_KEY = re.compile(r"^(?:[a-z]+(?:_[a-z]+)+|[a-z]+(?:[A-Z][a-z]+)+)$")
_ERROR_CODE = re.compile(r"^ERR[A-Z]{3,5}[0-9]{4,5}$")
# Upper-case letters and underscores, or lower-case ones: no digit, no "@", no space, at most 24 characters.
# A name written in capitals (``SITI``) would pass, which is why only fields the contract types as an enum use it.
_ENUM_TOKEN = re.compile(r"^(?:[A-Z][A-Z_]{1,23}|[a-z][a-z_]{1,23})$")
_MAX_ITEMS = 3


def type_name(value: Any) -> str:
    """The JSON type of ``value``: ``string``, ``integer``, ``number``, ``boolean``, ``null``, ``object``, ``array``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "unknown"


def safe_key(key: str, vocabulary: Collection[str]) -> str:
    """``key`` itself when the contract defines it or it reads as a multi-word identifier, else ``<key:N>``."""
    if key in vocabulary or (len(key) <= 40 and _MULTI_WORD_KEY.match(key)):
        return key
    return f"<key:{len(key)}>"


def safe_code(value: Any) -> str | None:
    """``value`` when it is an error code (``ERRPLT40099``, ``ERROAUTH4024``), else ``None``."""
    return value if isinstance(value, str) and _ERROR_CODE.match(value) else None


def safe_enum_value(value: Any) -> str | int | None:
    """An enum value that may be shown (``PENDING``, ``tpm``, ``0``..``999``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 999 else None
    if isinstance(value, str) and _ENUM_TOKEN.match(value):
        return value
    return None


def shape(value: Any, *, vocabulary: Collection[str] = ()) -> Any:
    """``value`` with every leaf replaced by its type (``string(12)``, ``integer``...) and unsafe keys hidden.

    Arrays show their length and the shapes of their first items: ``{"array": 5, "items": [...]}``.
    """
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = safe_key(str(key), vocabulary)
            while name in out:  # two hidden keys of the same length
                name += "'"
            out[name] = shape(item, vocabulary=vocabulary)
        return out
    if isinstance(value, list | tuple):
        return {
            "array": len(value),
            "items": [shape(item, vocabulary=vocabulary) for item in value[:_MAX_ITEMS]],
        }
    kind = type_name(value)
    return f"string({len(value)})" if isinstance(value, str) else kind


def redact_path(path: str, segments: Collection[str]) -> str:
    """A request path with its query removed and every segment the contract's paths do not use hidden.

    With the contract's ``segments``, ``/api/v1/integration/payment/status`` stays as it is and
    ``/api/v1/user/6281234567890`` becomes ``/api/v1/<4>/<13>``.
    """
    bare = path.split("?", 1)[0]
    return "/".join(s if s in segments or s == "" else f"<{len(s)}>" for s in bare.split("/")) or "/"
