"""What the sandbox shows of a sign key or an OTP where a person reads it: never the value itself.

Sign keys and OTPs never appear in the server's output, its answers, the request log, the dashboard or
reports. A sandbox partner reads its full sandbox keys from ``GET /_sandbox/partners`` (or
``contracts/partners.yaml``) and OTPs from ``GET /_sandbox/inbox``: control-API data for test code, which
``--control-token`` protects and ``--no-control-api`` turns off.
"""

from __future__ import annotations

import re

__all__ = [
    "KEY_PREFIX",
    "MASK",
    "SECRET_FIELDS",
    "is_secret_field",
    "mask_secrets",
    "masked_key",
    "masked_otp_text",
]

#: Request body fields whose values are secrets: wherever a body (or text made from one) is shown, their
#: values are replaced by :data:`MASK`.
SECRET_FIELDS = ("otp",)
#: What a masked value reads as.
MASK = "******"

# ``"otp": <value>`` in JSON, also where that JSON sits inside a JSON string (``\"otp\":\"123456\"``): a
# string value up to its closing quote, or a bare number. Whatever the body's syntax, broken or not.
_SECRET_VALUE = re.compile(
    r'(?P<key>(?P<quote>\\*")(?:' + "|".join(SECRET_FIELDS) + r")(?P=quote)\s*:\s*)"
    r'(?:(?P<open>\\*")[^"]*"?|-?[0-9][0-9.eE+-]*)',
    re.IGNORECASE,
)

#: How many leading characters of a sign key are shown: enough to tell keys apart, far too few to sign.
KEY_PREFIX = 4


def masked_key(key: str) -> str:
    """``9d1c...`` for ``9d1c9c1c...``: the first :data:`KEY_PREFIX` characters and an ellipsis."""
    shown = key[:KEY_PREFIX] if len(key) > 2 * KEY_PREFIX else ""
    return f"{shown}..."


def masked_otp_text(text: str, otp: str | None) -> str:
    """``text`` with every occurrence of ``otp`` replaced by as many ``*``."""
    if not otp:
        return text
    return text.replace(otp, "*" * len(otp))


def _mask(match: re.Match[str]) -> str:
    quote = match.group("open") or match.group("quote")
    return f"{match.group('key')}{quote}{MASK}{quote}"


def mask_secrets(text: str) -> str:
    """``text`` (a request body, or anything made from one) with the value of every secret field masked.

    The one masking step for everything derived from a body: the request log's body (well-formed or not),
    the expected raw signing string of a refused signature, error hints, logged answers and debug blocks.
    """
    if not any(name in text.lower() for name in SECRET_FIELDS):
        return text
    return _SECRET_VALUE.sub(_mask, text)


def is_secret_field(path: str) -> bool:
    """Whether the body field at ``path`` (``otp``, ``items.0.otp``) holds a secret, not to be echoed."""
    return path.rsplit(".", 1)[-1].lower() in SECRET_FIELDS
