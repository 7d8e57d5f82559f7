"""Every error the SDK raises, in one tree::

    PrakerjaError
    ├── InvalidInputError (also ValueError)       an argument breaks the contract; nothing was sent
    ├── ConfigurationError (also ValueError)      missing credentials, unusable base URL
    ├── PrakerjaTransportError                    no response: the call may or may not have happened
    │   ├── PrakerjaConnectionError
    │   └── PrakerjaTimeoutError
    ├── UnexpectedResponseError                   not Prakerja's envelope (e.g. a gateway's HTML 502)
    └── PrakerjaAPIError                          a coded refusal: code, status_code, message, request, response
        ├── RequestValidationError                ERRPLT400xx: body, field or content-type refused
        ├── AuthenticationError                   ERRPLT401xx: client code, signature, timestamp, payment token
        ├── PermissionDeniedError                 ERRPLT403xx
        ├── RoutingError                          ERRPLT404xx/405xx: usually a wrong base URL
        ├── PaymentError                          send OTP, authorize, status and quota refusals
        ├── VoidError                             ERRVOD..., ERRPLT40028
        ├── AttendanceError                       ERRRDM...
        ├── TpmError                              ERRTPM...
        ├── SsoError                              ERROAUTH...
        ├── ServerError                           ERRPLT5xxxx, retryable
        └── RateLimitError                        ERRPLT42901, retryable

Below each family sits one class per catalogue code, generated from ``contracts/errors.yaml`` and named
from its title: ``QuotaExhaustedError`` is ``ERRPLT40013``, ``InvoiceNotFoundError`` is ``ERRPLT40032``.
Catch a code's class to handle one refusal, its family to handle a group::

    try:
        client.payments.send_otp(...)
    except prakerja.errors.QuotaExhaustedError:
        ...  # tell the participant the schedule is full
    except prakerja.errors.PaymentError as error:
        ...  # error.code, error.message, error.action

A code the catalogue does not know still raises its family's class, chosen by the code's prefix or the HTTP
status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from prakerja._exceptions import (
    AttendanceError,
    AuthenticationError,
    ConfigurationError,
    InvalidInputError,
    PaymentError,
    PermissionDeniedError,
    PrakerjaAPIError,
    PrakerjaConnectionError,
    PrakerjaError,
    PrakerjaTimeoutError,
    PrakerjaTransportError,
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
    "InvalidInputError",
    "PaymentError",
    "PermissionDeniedError",
    "PrakerjaAPIError",
    "PrakerjaConnectionError",
    "PrakerjaError",
    "PrakerjaTimeoutError",
    "PrakerjaTransportError",
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
]
__all__ += _generated_names

_PREFIX_FAMILIES: tuple[tuple[str, type[PrakerjaAPIError]], ...] = (
    ("ERROAUTH", SsoError),
    ("ERRVOD", VoidError),
    ("ERRRDM", AttendanceError),
    ("ERRTPM", TpmError),
)


def error_class(code: str, status_code: int) -> type[PrakerjaAPIError]:
    """The class raised for ``code``: its catalogue class, or for an unknown code its family's class."""
    known = ERROR_CLASSES.get(code)
    if known is not None:
        return known
    for prefix, family in _PREFIX_FAMILIES:
        if code.startswith(prefix):
            return family
    if status_code == 429:
        return RateLimitError
    if status_code >= 500:
        return ServerError
    by_status: Mapping[int, type[PrakerjaAPIError]] = {
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: RoutingError,
        405: RoutingError,
        413: RequestValidationError,
        415: RequestValidationError,
    }
    return by_status.get(status_code, PrakerjaAPIError)


def api_error(
    *,
    code: str,
    status_code: int,
    message: str,
    request: httpx.Request | None = None,
    response: httpx.Response | None = None,
    debug: Mapping[str, Any] | None = None,
) -> PrakerjaAPIError:
    """The exception for a coded error response."""
    cls = error_class(code, status_code)
    return cls(
        code=code, status_code=status_code, message=message, request=request, response=response, debug=debug
    )


# Tracebacks and documentation name the public home of every class, not the private module defining it.
for _name in __all__:
    _exported = globals()[_name]
    if isinstance(_exported, type) and issubclass(_exported, PrakerjaError):
        _exported.__module__ = __name__
