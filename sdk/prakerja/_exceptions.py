"""The hand-written part of the exception tree; :mod:`prakerja.errors` documents the whole of it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

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
]


class PrakerjaError(Exception):
    """Base of every error the SDK raises."""


class InvalidInputError(PrakerjaError, ValueError):
    """An argument would break the contract; nothing was sent. ``field`` names the argument."""

    def __init__(self, *, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class ConfigurationError(PrakerjaError, ValueError):
    """The client is missing a credential or was given an unusable base URL."""


class PrakerjaTransportError(PrakerjaError):
    """No response came back: the request may or may not have reached Prakerja."""

    def __init__(self, *, message: str, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class PrakerjaConnectionError(PrakerjaTransportError):
    """The connection could not be opened or broke before a response arrived."""


class PrakerjaTimeoutError(PrakerjaTransportError):
    """The call took longer than the client's timeout."""


class UnexpectedResponseError(PrakerjaError):
    """A response that is not Prakerja's JSON envelope, e.g. an HTML page from a gateway, or a body whose
    ``data`` does not fit the contract. ``retryable`` is true for the gateway statuses (429, 502, 503, 504)."""

    def __init__(
        self,
        *,
        message: str,
        status_code: int,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request = request
        self.response = response

    @property
    def retryable(self) -> bool:
        """Whether the status says the failure is transient."""
        return self.status_code in {429, 502, 503, 504}


class PrakerjaAPIError(PrakerjaError):
    """Prakerja refused the call with a coded error from the catalogue (``contracts/errors.yaml``).

    ``code`` is the catalogue code (``ERRPLT40013``), ``status_code`` the HTTP status, ``message`` what the
    API said (Indonesian). ``debug`` carries the local sandbox's diagnostic hints, when present. The class
    attributes describe the catalogue entry; they are ``None`` for a code the catalogue does not know.
    """

    catalogue_code: ClassVar[str | None] = None
    title: ClassVar[str | None] = None
    http_status: ClassVar[int | None] = None
    retryable: ClassVar[bool] = False
    message_en: ClassVar[str | None] = None
    action: ClassVar[str | None] = None

    def __init__(
        self,
        *,
        code: str,
        status_code: int,
        message: str,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        debug: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.status_code = status_code
        self.message = message
        self.request = request
        self.response = response
        self.debug: Mapping[str, Any] = debug or {}
        super().__init__(self._describe())

    def _describe(self) -> str:
        label = f"{self.code} {self.title}" if self.title else self.code
        text = f"{label} (HTTP {self.status_code}): {self.message}"
        if self.message_en and self.message_en != self.message:
            text += f" [{self.message_en}]"
        hint = self.debug.get("hint")
        if isinstance(hint, str) and hint:
            text += f" Hint: {hint}"
        return text


class RequestValidationError(PrakerjaAPIError):
    """The request body or its content type was refused (family ``request``)."""


class AuthenticationError(PrakerjaAPIError):
    """The client code, signature, timestamp or payment token was refused (family ``auth``)."""


class PermissionDeniedError(PrakerjaAPIError):
    """The partner may not call this operation, or is not active (family ``permission``)."""


class RoutingError(PrakerjaAPIError):
    """Unknown path or method: usually a wrong ``base_url`` (family ``routing``)."""


class PaymentError(PrakerjaAPIError):
    """Send OTP, authorize, status or quota refused the purchase (family ``payment``)."""


class VoidError(PrakerjaAPIError):
    """The void was refused (family ``void``)."""


class AttendanceError(PrakerjaAPIError):
    """A redeem code or attendance call was refused (family ``attendance``)."""


class TpmError(PrakerjaAPIError):
    """A TPM/UK (Tugas Praktik Mandiri / Unjuk Keterampilan) call was refused (family ``tpm``)."""


class SsoError(PrakerjaAPIError):
    """A "Login with Prakerja" call was refused (family ``sso``)."""


class ServerError(PrakerjaAPIError):
    """Prakerja failed on its side (family ``server``); transient, retried on safe reads."""

    retryable = True


class RateLimitError(PrakerjaAPIError):
    """Too many requests: slow down and honour ``Retry-After``; retried on safe reads."""

    retryable = True
