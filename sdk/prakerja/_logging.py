"""Debug logging through ``logging.getLogger("prakerja")``, with secrets masked.

Nothing here ever sees the sign key. OTPs are replaced by ``******``; payment, access and refresh tokens and
SSO authorisation codes show only their first characters. Each line carries the operation and the first
eight characters of the request signature, and a response line adds the gateway's request id when the
response has one, so a partner can match a line with Prakerja's support.

Personal data (UU PDP) is masked on every record of the ``prakerja`` logger and of its children, in the
message and in the structured ``extra`` fields, by one filter on each of those loggers (a logger's filters do
not see the records its children pass up, so every logger of the package is made by :func:`get_logger`,
which adds it): 16-digit Kartu Prakerja numbers, e-mail addresses
and Indonesian phone numbers keep only a short tail. A client made with ``log_personal_data=True`` turns the
masking off for the records of its own calls (local debugging only).
"""

from __future__ import annotations

import json
import logging
import re
from contextlib import AbstractContextManager
from contextvars import ContextVar, Token
from typing import Any, Final

import httpx

__all__ = [
    "SECRET_FIELDS",
    "PersonalDataFilter",
    "get_logger",
    "logger",
    "mask",
    "mask_personal_data",
    "personal_data_logged",
    "redacted_body",
    "request_id",
    "signature_prefix",
]

#: Body fields whose values never reach a log line in full.
SECRET_FIELDS: Final = frozenset(
    {"otp", "payment_token", "access_token", "refresh_token", "token", "code", "sign_key"}
)
_HIDDEN_ENTIRELY: Final = frozenset({"otp", "sign_key"})
_REQUEST_ID_HEADERS: Final = ("x-request-id", "x-correlation-id", "request-id")


def mask(secret: str, *, keep: int = 6) -> str:
    """``secret`` with all but its first ``keep`` characters hidden (everything, if it is short)."""
    if len(secret) <= keep * 2:
        return "*" * min(len(secret), 6) or "''"
    return f"{secret[:keep]}…"


def _masked(key: str, value: Any) -> Any:
    if key in _HIDDEN_ENTIRELY:
        return "******"
    if key in SECRET_FIELDS and isinstance(value, str):
        return mask(value)
    return value


def redacted_body(content: bytes) -> str:
    """A JSON body for a log line, secret fields masked; non-JSON bodies are summarised by size."""
    if not content:
        return ""
    try:
        payload = json.loads(content)
    except ValueError:
        return f"<{len(content)} bytes, not JSON>"
    if not isinstance(payload, dict):
        return f"<JSON {type(payload).__name__}>"
    masked = {key: _masked(key, value) for key, value in payload.items()}
    return json.dumps(masked, ensure_ascii=False, separators=(",", ":"))


def signature_prefix(request: httpx.Request) -> str:
    """The first eight characters of the request's signature header, for correlating log lines."""
    signature = request.headers.get("signature") or request.headers.get("x-signature") or ""
    return signature[:8] or "-"


def request_id(response: httpx.Response) -> str | None:
    """The request id a gateway put on the response, if any."""
    for name in _REQUEST_ID_HEADERS:
        value = response.headers.get(name)
        if value:
            return str(value)
    return None


# ASCII digits only: ``\d`` would also match other scripts' digits.
_EMAIL: Final = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_CARD: Final = re.compile(
    r"(?<![0-9])[0-9]{4}(?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{4}(?![0-9])"
)
# 08..., +628..., 628...: the 8 of the mobile prefix, then 8 to 11 digits, optionally grouped by spaces or dashes
_PHONE: Final = re.compile(r"(?<![0-9+])(?P<prefix>\+62|62|0)[ -]?8(?:[ -]?[0-9]){8,11}(?![0-9])")
_LOG_PERSONAL_DATA: ContextVar[bool] = ContextVar("prakerja_log_personal_data", default=False)
_RECORD_FIELDS: Final = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
}


def _mask_email(match: re.Match[str]) -> str:
    return f"{match.group()[0]}***@{match.group('domain')}"


def _mask_card(match: re.Match[str]) -> str:
    return "*" * 12 + match.group()[-4:]


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"[^0-9]", "", match.group()[len(match.group("prefix")) :])
    return f"{match.group('prefix')}{'*' * (len(digits) - 3)}{digits[-3:]}"


def mask_personal_data(text: str) -> str:
    """``text`` with every e-mail address, Kartu Prakerja number and Indonesian phone number masked.

    ``budi@example.com`` becomes ``b***@example.com``, ``1234567812345678`` ``************5678`` and
    ``+6281234567890`` ``+62********890``.
    """
    text = _EMAIL.sub(_mask_email, text)
    text = _CARD.sub(_mask_card, text)
    return _PHONE.sub(_mask_phone, text)


def _masked_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, int) and not isinstance(value, bool):
        masked = mask_personal_data(str(value))
        return value if masked == str(value) else masked
    if isinstance(value, (list, tuple)):
        return type(value)(_masked_value(item) for item in value)
    if isinstance(value, dict):
        return {key: _masked_value(item) for key, item in value.items()}
    return value


class PersonalDataFilter(logging.Filter):
    """Masks personal data in a record's message and ``extra`` fields, unless the call opted out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _LOG_PERSONAL_DATA.get():
            return True
        record.msg = mask_personal_data(record.getMessage())
        record.args = ()
        for key, value in list(vars(record).items()):
            if key not in _RECORD_FIELDS:
                setattr(record, key, _masked_value(value))
        return True


class _PersonalDataLogged:
    # a class rather than @contextmanager: entered on every call, and a generator costs about 1.5 µs more

    __slots__ = ("_allowed", "_token")
    _token: Token[bool]

    def __init__(self, allowed: bool) -> None:
        self._allowed = allowed

    def __enter__(self) -> None:
        self._token = _LOG_PERSONAL_DATA.set(self._allowed)

    def __exit__(self, *exc_info: object) -> None:
        _LOG_PERSONAL_DATA.reset(self._token)


def personal_data_logged(allowed: bool) -> AbstractContextManager[None]:
    """Within the block, records of the ``prakerja`` logger keep personal data when ``allowed``."""
    return _PersonalDataLogged(allowed)


def get_logger(name: str) -> logging.Logger:
    """The logger ``name`` of the ``prakerja`` tree, with the personal-data filter on it.

    Use it instead of ``logging.getLogger`` for every logger of the package: the filter on ``prakerja``
    itself does not apply to the records of ``prakerja.x``, which propagate to the handlers only.
    """
    if name != "prakerja" and not name.startswith("prakerja."):
        raise ValueError(f"{name!r} is not a logger of the prakerja package")
    named = logging.getLogger(name)
    if not any(isinstance(existing, PersonalDataFilter) for existing in named.filters):
        named.addFilter(PersonalDataFilter())
    return named


logger: Final = get_logger("prakerja")
