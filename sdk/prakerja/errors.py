"""Every error the SDK raises, in one tree::

    PrakerjaError
    ├── InvalidInputError (also ValueError)       an argument breaks a documented rule; nothing was sent
    ├── ConfigurationError (also ValueError)      missing credentials, unusable base URL
    ├── OutcomeUnknownError                       a call that changes state lost its answer: see next_call
    ├── PrakerjaTransportError                    no response: the call may or may not have happened
    │   ├── PrakerjaConnectionError
    │   └── PrakerjaTimeoutError
    ├── UnexpectedResponseError                   not Prakerja's envelope (e.g. a gateway's HTML 502)
    └── PrakerjaAPIError                          a coded refusal: code, status_code, message, request, response
        ├── RequestValidationError                body, field or content type refused
        ├── AuthenticationError                   client code, signature, timestamp, payment token
        ├── PermissionDeniedError                 operation not for this partner, partner not active
        ├── RoutingError                          unknown path or method: usually a wrong base URL
        ├── PaymentError                          send OTP, authorize, status and quota refusals
        ├── VoidError                             void refusals
        ├── AttendanceError                       redeem code and attendance refusals
        ├── TpmError                              TPM/UK refusals
        ├── SsoError                              SSO refusals
        ├── ServerError                           5xx: the cause passes
        └── RateLimitError                        429: the cause passes

The outcome-unknown classes are also the error they would otherwise be: ``OutcomeUnknownTimeoutError`` is a
``PrakerjaTimeoutError``, ``OutcomeUnknownConnectionError`` a ``PrakerjaConnectionError``,
``OutcomeUnknownResponseError`` an ``UnexpectedResponseError`` and ``OutcomeUnknownServerError`` a
``ServerError``.

An argument that breaks only a rule the contract infers is sent anyway, after an :class:`InputWarning`
(a ``UserWarning``).

Below each family sits one class per catalogue code, generated from ``contracts/errors.yaml`` and named
from its title: ``QuotaExhaustedError`` is ``ERRPLT40013``, ``InvoiceNotFoundError`` is ``ERRPLT40032``.
Only a few codes are documented by Prakerja (each class says so in ``provenance``); the others are the
contract's inference, so catch families first and codes where you need one::

    try:
        client.payments.send_otp(...)
    except prakerja.errors.QuotaExhaustedError:
        ...  # tell the participant the schedule is full
    except prakerja.errors.PaymentError as error:
        ...  # error.code, error.message, error.action

A code the catalogue does not know raises, on HTTP 429 or 5xx, :class:`RateLimitError` or
:class:`ServerError`; otherwise the family of the operation that got it (``ERRPLT40099`` on send OTP is a
:class:`PaymentError`). ERRPLT codes are not mapped by their prefix: the area spans several families.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from prakerja._exceptions import (
    AttendanceError,
    AuthenticationError,
    ConfigurationError,
    InputWarning,
    InvalidInputError,
    OutcomeUnknownConnectionError,
    OutcomeUnknownError,
    OutcomeUnknownResponseError,
    OutcomeUnknownServerError,
    OutcomeUnknownTimeoutError,
    PaymentError,
    PermissionDeniedError,
    PrakerjaAPIError,
    PrakerjaConnectionError,
    PrakerjaError,
    PrakerjaTimeoutError,
    PrakerjaTransportError,
    PrakerjaWarning,
    RateLimitError,
    RequestValidationError,
    RoutingError,
    ServerError,
    SsoError,
    TpmError,
    UnexpectedResponseError,
    VoidError,
)
from prakerja._generated_errors import *  # noqa: F403
from prakerja._generated_errors import ERROR_CLASSES
from prakerja._generated_errors import __all__ as _generated_names

__all__ = [
    "AttendanceError",
    "AuthenticationError",
    "ConfigurationError",
    "InputWarning",
    "InvalidInputError",
    "OutcomeUnknownConnectionError",
    "OutcomeUnknownError",
    "OutcomeUnknownResponseError",
    "OutcomeUnknownServerError",
    "OutcomeUnknownTimeoutError",
    "PaymentError",
    "PermissionDeniedError",
    "PrakerjaAPIError",
    "PrakerjaConnectionError",
    "PrakerjaError",
    "PrakerjaTimeoutError",
    "PrakerjaTransportError",
    "PrakerjaWarning",
    "RateLimitError",
    "RequestValidationError",
    "RoutingError",
    "ServerError",
    "SsoError",
    "TpmError",
    "UnexpectedResponseError",
    "VoidError",
    "api_error",
    "error_class",
    "operation_family",
]
__all__ += _generated_names

# The areas whose every code belongs to one family (the naming rule of contracts/errors.yaml). ERRPLT is not
# one of them: it spans request, authentication, permission, routing, payment, void and server codes.
_PREFIX_FAMILIES: tuple[tuple[str, type[PrakerjaAPIError]], ...] = (
    ("ERROAUTH", SsoError),
    ("ERRVOD", VoidError),
    ("ERRRDM", AttendanceError),
    ("ERRTPM", TpmError),
)
_OPERATION_FAMILIES: Mapping[str, type[PrakerjaAPIError]] = {
    "payments.void": VoidError,
    "payments": PaymentError,
    "attendance": AttendanceError,
    "tpm": TpmError,
    "sso": SsoError,
}
_STATUS_FAMILIES: Mapping[int, type[PrakerjaAPIError]] = {
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: RoutingError,
    405: RoutingError,
    413: RequestValidationError,
    415: RequestValidationError,
}


def operation_family(operation: str) -> type[PrakerjaAPIError] | None:
    """The family of an operation's own refusals (``payments.void`` -> :class:`VoidError`), if it has one."""
    return _OPERATION_FAMILIES.get(operation) or _OPERATION_FAMILIES.get(operation.split(".", 1)[0])


def error_class(code: str, status_code: int, operation: str | None = None) -> type[PrakerjaAPIError]:
    """The class raised for ``code``: its catalogue class, or for an unknown code a family.

    An unknown code with HTTP 429 or 5xx raises :class:`RateLimitError` or :class:`ServerError` (the cause
    passes, whatever the operation); any other unknown code raises the family of ``operation``
    (``ERRPLT40099`` on send OTP is a :class:`PaymentError`), then, without an operation, the family of the
    code's area (ERROAUTH, ERRVOD, ERRRDM, ERRTPM), then of its HTTP status, then :class:`PrakerjaAPIError`.
    """
    known = ERROR_CLASSES.get(code)
    if known is not None:
        return known
    if status_code == 429:
        return RateLimitError
    if status_code >= 500:
        return ServerError
    family = operation_family(operation) if operation else None
    if family is not None:
        return family
    for prefix, area_family in _PREFIX_FAMILIES:
        if code.startswith(prefix):
            return area_family
    return _STATUS_FAMILIES.get(status_code, PrakerjaAPIError)


def api_error(
    *,
    code: str,
    status_code: int,
    message: str,
    request: httpx.Request | None = None,
    response: httpx.Response | None = None,
    debug: Mapping[str, Any] | None = None,
    operation: str | None = None,
    request_id: str | None = None,
) -> PrakerjaAPIError:
    """The exception for a coded error response to ``operation``."""
    cls = error_class(code, status_code, operation)
    return cls(
        code=code,
        status_code=status_code,
        message=message,
        request=request,
        response=response,
        debug=debug,
        operation=operation,
        request_id=request_id,
    )


# Tracebacks and documentation name the public home of every class, not the private module defining it.
for _name in __all__:
    _exported = globals()[_name]
    if isinstance(_exported, type) and issubclass(_exported, PrakerjaError | PrakerjaWarning):
        _exported.__module__ = __name__
