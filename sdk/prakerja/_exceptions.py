"""The hand-written part of the exception tree; :mod:`prakerja.errors` documents the whole of it.

Every error that comes from a call carries ``operation`` (the SDK's operation id, e.g.
``"payments.authorize"``), ``request_id`` (the response's ``X-Request-Id`` header, when there was a response
carrying one) and ``safe_to_retry``, computed from the operation and the cause: a transient failure of a read
is safe to repeat, a failure of a call that changes state is not, unless the request provably never left.
Every error pickles with its attributes (Celery, multiprocessing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Literal

import httpx

__all__ = [
    "TRANSIENT_STATUSES",
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
    "Provenance",
    "RateLimitError",
    "RequestValidationError",
    "RoutingError",
    "ServerError",
    "SsoError",
    "TpmError",
    "UnexpectedResponseError",
    "VoidError",
]

Provenance = Literal["documented", "inferred", "observed"]

#: Statuses that say "try later" when no catalogue code says otherwise.
TRANSIENT_STATUSES: Final = frozenset({429, 500, 502, 503, 504})


def _is_read(operation: str | None) -> bool:
    # Imported here: prakerja.environments, which _operations needs, imports this module.
    from prakerja._operations import OPERATIONS

    spec = OPERATIONS.get(operation) if operation is not None else None
    return spec is not None and spec.retry_safe


def _rebuild(cls: type[PrakerjaError], args: tuple[Any, ...], state: dict[str, Any]) -> PrakerjaError:
    # Exceptions pickle as cls(*args) by default, which keyword-only constructors refuse: rebuild without
    # calling __init__, then restore the message and the attributes.
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class _Retryable:
    """``retryable``, kept for existing code: on an error it is :attr:`PrakerjaError.safe_to_retry` (the
    operation counts); on a class, which knows no operation, it is the class's ``transient`` flag."""

    def __get__(self, instance: PrakerjaError | None, owner: type[PrakerjaError]) -> bool:
        return owner.transient if instance is None else instance.safe_to_retry


class PrakerjaError(Exception):
    """Base of every error the SDK raises.

    ``provenance`` (a class attribute) says whether Prakerja's pages document the refusal (``documented``) or
    the SDK and its contract infer it (``inferred``). ``operation``, ``request_id`` and ``safe_to_retry`` are
    set on errors raised by a call; elsewhere they are ``None``, ``None`` and ``False``.
    """

    provenance: ClassVar[Provenance] = "inferred"
    #: Whether the cause is transient: the same call may succeed later.
    transient: ClassVar[bool] = False
    operation: str | None = None
    request_id: str | None = None

    @property
    def safe_to_retry(self) -> bool:
        """Whether repeating the same call is safe and may succeed: a transient cause on a read."""
        return self.cause_is_transient and _is_read(self.operation)

    retryable: ClassVar[_Retryable] = _Retryable()

    @property
    def cause_is_transient(self) -> bool:
        """Whether the cause passes by itself (a timeout, a 5xx, a 429), whatever the operation."""
        return type(self).transient

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class PrakerjaWarning(UserWarning):
    """Base of the warnings the SDK issues."""


class InputWarning(PrakerjaWarning):
    """An argument breaks a rule the contract infers but the documentation does not state: it is sent as
    given, because the real API may accept it (a 4-digit OTP, a long token, a code with other characters)."""


class InvalidInputError(PrakerjaError, ValueError):
    """An argument would break the contract; nothing was sent. ``field`` names the argument."""

    def __init__(self, *, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class ConfigurationError(PrakerjaError, ValueError):
    """The client is missing a credential or was given an unusable base URL."""


class PrakerjaTransportError(PrakerjaError):
    """No response came back: the request may or may not have reached Prakerja.

    ``request_sent`` is ``False`` when the connection failed before the request left (connection refused, a
    connect or pool timeout): then even a call that changes state is safe to repeat.
    """

    transient = True

    def __init__(
        self,
        *,
        message: str,
        request: httpx.Request | None = None,
        operation: str | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message)
        self.request = request
        self.operation = operation
        self.request_sent = request_sent

    @property
    def safe_to_retry(self) -> bool:
        """A read is safe to repeat; any call is when its request never left."""
        return _is_read(self.operation) or not self.request_sent


class PrakerjaConnectionError(PrakerjaTransportError):
    """The connection could not be opened or broke before a response arrived."""


class PrakerjaTimeoutError(PrakerjaTransportError):
    """The call took longer than the client's timeout."""


class UnexpectedResponseError(PrakerjaError):
    """A response that is not Prakerja's JSON envelope, e.g. an HTML page from a gateway, or a read whose
    ``data`` lacks what the caller asked for. The cause is transient for the gateway statuses (429, 502, 503,
    504); ``safe_to_retry`` also counts the operation."""

    def __init__(
        self,
        *,
        message: str,
        status_code: int,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.request = request
        self.response = response
        self.operation = operation
        self.request_id = request_id

    @property
    def cause_is_transient(self) -> bool:
        return self.status_code in {429, 502, 503, 504}


class PrakerjaAPIError(PrakerjaError):
    """Prakerja refused the call with a coded error from the catalogue (``contracts/errors.yaml``).

    ``code`` is the catalogue code (``ERRPLT40013``), ``status_code`` the HTTP status, ``message`` what the
    API said (Indonesian). ``debug`` carries the local sandbox's diagnostic hints, when present. The class
    attributes describe the catalogue entry (``transient`` is its ``retryable`` flag: the cause, not the
    operation); they are ``None`` for a code the catalogue does not know, whose cause counts as transient
    when its HTTP status is 429 or 5xx.
    """

    catalogue_code: ClassVar[str | None] = None
    title: ClassVar[str | None] = None
    http_status: ClassVar[int | None] = None
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
        operation: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.code = code
        self.status_code = status_code
        self.message = message
        self.request = request
        self.response = response
        self.debug: Mapping[str, Any] = debug or {}
        self.operation = operation
        self.request_id = request_id
        super().__init__(self._describe())

    @property
    def cause_is_transient(self) -> bool:
        if type(self).catalogue_code is not None:
            return type(self).transient
        return type(self).transient or self.status_code in TRANSIENT_STATUSES

    def _describe(self) -> str:
        label = f"{self.code} {self.title}" if self.title else self.code
        text = f"{label} (HTTP {self.status_code}): {self.message}"
        if self.message_en and self.message_en != self.message:
            text += f" [{self.message_en}]"
        hint = self.debug.get("hint")
        if isinstance(hint, str) and hint:
            text += f" Hint: {hint}"
        if self.request_id:
            text += f" (request id {self.request_id})"
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

    transient = True


class RateLimitError(PrakerjaAPIError):
    """Too many requests: slow down and honour ``Retry-After``; retried on safe reads."""

    transient = True


class OutcomeUnknownError(PrakerjaError):
    """The answer to a call that changes state was lost: it may or may not have taken effect.

    Raised for a timeout, a broken connection, a 5xx or a 2xx that is not Prakerja's envelope on authorize,
    void, send OTP, commit, reset, the TPM submissions, generate URL and the token exchanges. Never repeat
    the call blindly: ``next_call`` (also in the message) is the exact call that finds out what happened.
    Each concrete class is also the error it would otherwise be (a timeout, a connection error, an unexpected
    response, a server error), so existing ``except`` clauses still catch it.
    """

    next_call: str | None = None

    @property
    def safe_to_retry(self) -> bool:
        """Never: find out first with :attr:`next_call`."""
        return False

    def add_next_step(self, next_call: str, advice: str) -> None:
        """Record the follow-up call and say it in the message (used by the core when it raises)."""
        self.next_call = next_call
        self.args = (f"{self.args[0] if self.args else ''} Outcome unknown: {advice}",)


class OutcomeUnknownTimeoutError(OutcomeUnknownError, PrakerjaTimeoutError):
    """A call that changes state timed out after its request was sent."""


class OutcomeUnknownConnectionError(OutcomeUnknownError, PrakerjaConnectionError):
    """The connection broke after the request of a call that changes state was sent."""


class OutcomeUnknownResponseError(OutcomeUnknownError, UnexpectedResponseError):
    """A call that changes state got a 5xx or 2xx answer that is not Prakerja's envelope (e.g. a gateway
    page)."""


class OutcomeUnknownServerError(OutcomeUnknownError, ServerError):
    """A call that changes state got a coded 5xx refusal; nothing in it proves that no state changed."""
