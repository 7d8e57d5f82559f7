"""The pure core: builds a call from validated models and turns a response into a model or an error.

No I/O happens here. A resource method validates its arguments into a request model and returns a
:class:`Call`; the sync and async shells turn the call into an ``httpx.Request`` with
:func:`request_parts`, send it (signing happens in :class:`prakerja.auth.PrakerjaAuth`), and hand the
response to :func:`parse_response`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar
from urllib.parse import quote

import attrs
import httpx

from prakerja._converter import DataAbsentError, decoder, unstructure_request
from prakerja._exceptions import (
    OutcomeUnknownConnectionError,
    OutcomeUnknownError,
    OutcomeUnknownResponseError,
    OutcomeUnknownServerError,
    OutcomeUnknownTimeoutError,
    PrakerjaAPIError,
    PrakerjaConnectionError,
    PrakerjaError,
    PrakerjaTimeoutError,
    PrakerjaTransportError,
    UnexpectedResponseError,
)
from prakerja._logging import logger, request_id, signature_prefix
from prakerja._operations import OPERATIONS, OperationSpec
from prakerja._outcome import next_step
from prakerja._version import __version__
from prakerja.auth import Convention
from prakerja.environments import Environment, Server
from prakerja.signing import compact_json

if TYPE_CHECKING:
    from prakerja.models import DecodeWarning

__all__ = [
    "DEFAULT_HEADERS",
    "USER_AGENT",
    "Call",
    "CallContext",
    "FollowUp",
    "decoder",
    "get_call",
    "parse_response",
    "post_call",
    "request_parts",
    "transport_error",
]

T = TypeVar("T")

USER_AGENT: Final = f"prakerja-python/{__version__}"
#: Headers every call carries; a client that creates its own httpx client sets them there once.
DEFAULT_HEADERS: Final[Mapping[str, str]] = {"Accept": "application/json", "User-Agent": USER_AGENT}
# encodeURIComponent's unreserved set: the SSO pages ask for query values encoded that way.
_URI_COMPONENT_SAFE: Final = "!~*'()"


@attrs.frozen(kw_only=True)
class CallContext:
    """What a call needs from its client besides the arguments: the credentials' identity and the hosts."""

    client_code: str
    environment: Environment


@attrs.frozen(kw_only=True)
class Call(Generic[T]):
    """One API call, ready to send: the shells need nothing else to perform it.

    ``target`` is the path (plus ``?`` and the query for a GET with one) exactly as sent and signed.
    ``decode`` turns the envelope's ``data`` (``None`` when absent) into the result; ``recover``, when
    set, may turn a coded refusal into a result (or raise it again). ``next_step`` is, for a call that
    changes state, the follow-up call and advice an outcome-unknown error names.
    """

    operation_id: str
    method: str
    server: Server
    target: str
    convention: Convention
    retry_safe: bool
    decode: Callable[[Any], T]
    content: bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    recover: Callable[[PrakerjaAPIError], T] | None = None
    next_step: tuple[str, str] | None = None
    follow_up: FollowUp[T] | None = None


@attrs.frozen(kw_only=True)
class FollowUp(Generic[T]):
    """A read made after a call succeeded, to complete its result (a void's record, read back).

    The shells send ``call`` (with its own retries) once the first call has succeeded, then give the
    first result to ``merge`` with the read's result, or to ``failed`` with the error the read raised. A
    failed read never undoes or hides the first call's success: ``failed`` returns the result as it stands.
    """

    call: Call[Any]
    merge: Callable[[T, Any], T]
    failed: Callable[[T, PrakerjaError], T]


def _convention(spec: OperationSpec) -> Convention:
    if spec.signing == "none":
        raise ValueError(f"{spec.operation_id} is not an API call")
    return spec.signing


def post_call(
    operation_id: str,
    body: Any,
    decode: Callable[[Any], T],
    *,
    headers: Mapping[str, str] | None = None,
    recover: Callable[[PrakerjaAPIError], T] | None = None,
) -> Call[T]:
    """A POST of the request model ``body`` as compact JSON, keys in the model's field order."""
    spec = OPERATIONS[operation_id]
    fields = unstructure_request(body)
    return Call(
        operation_id=operation_id,
        method=spec.method,
        server=spec.server,
        target=spec.path,
        convention=_convention(spec),
        retry_safe=spec.retry_safe,
        decode=decode,
        content=compact_json(fields),
        headers=headers or {},
        recover=recover,
        next_step=None if spec.retry_safe else next_step(operation_id, fields),
    )


def encode_query(pairs: Sequence[tuple[str, str]]) -> str:
    """``pairs`` as a query string, each value encoded as JavaScript's ``encodeURIComponent`` does."""
    return "&".join(f"{name}={quote(value, safe=_URI_COMPONENT_SAFE)}" for name, value in pairs)


def get_call(
    operation_id: str,
    decode: Callable[[Any], T],
    *,
    query: Sequence[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> Call[T]:
    """A GET, its query (if any) in the given order."""
    spec = OPERATIONS[operation_id]
    target = f"{spec.path}?{encode_query(query)}" if query else spec.path
    return Call(
        operation_id=operation_id,
        method=spec.method,
        server=spec.server,
        target=target,
        convention=_convention(spec),
        retry_safe=spec.retry_safe,
        decode=decode,
        headers=headers or {},
    )


def request_parts(
    call: Call[Any], environment: Environment, *, default_headers: bool = True
) -> tuple[str, str, bytes, dict[str, str]]:
    """Method, URL, body and headers for ``httpx.Client.build_request`` (signing headers come later).

    ``default_headers=False`` leaves out :data:`DEFAULT_HEADERS`, for an httpx client that already sends them.
    """
    headers = {**DEFAULT_HEADERS, **call.headers} if default_headers else dict(call.headers)
    if call.content:
        headers["Content-Type"] = "application/json"
    return call.method, environment.url(call.server) + call.target, call.content, headers


# Failures that happen before the request leaves: nothing reached Prakerja.
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


E = TypeVar("E", bound=OutcomeUnknownError)


def _outcome_unknown(error: E, call: Call[Any]) -> E:
    if call.next_step is not None:
        error.add_next_step(*call.next_step)
    return error


def transport_error(
    call: Call[Any], error: httpx.RequestError, request: httpx.Request
) -> PrakerjaTransportError:
    """The SDK's error for an httpx failure that left no response.

    For a call that changes state whose request left, the outcome is unknown: the error is an
    :class:`OutcomeUnknownError` naming the follow-up call.
    """
    target = f"{call.operation_id}: {request.method} {request.url}"
    sent = not isinstance(error, _NOT_SENT)
    unknown = sent and call.next_step is not None
    options: dict[str, Any] = {"request": request, "operation": call.operation_id, "request_sent": sent}
    if isinstance(error, httpx.TimeoutException):
        message = f"{target} timed out ({type(error).__name__})"
        if unknown:
            return _outcome_unknown(OutcomeUnknownTimeoutError(message=message, **options), call)
        return PrakerjaTimeoutError(message=message, **options)
    message = f"{target} failed before a response arrived ({type(error).__name__}: {error})"
    if unknown:
        return _outcome_unknown(OutcomeUnknownConnectionError(message=message, **options), call)
    return PrakerjaConnectionError(message=message, **options)


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.content[:400].decode("utf-8", "replace").split())
    return text[:200] + ("…" if len(text) > 200 else "")


def _unexpected(call: Call[Any], response: httpx.Response, why: str) -> UnexpectedResponseError:
    content_type = response.headers.get("content-type", "no content type")
    rid = request_id(response)
    message = (
        f"{call.operation_id}: HTTP {response.status_code} from {response.request.url} {why} "
        f"({content_type}): {_excerpt(response)!r}" + (f" (request id {rid})" if rid else "")
    )
    # A 5xx or a 2xx that is not the envelope does not say whether a call that changes state took effect.
    lost = call.next_step is not None and (response.is_success or response.status_code >= 500)
    cls = OutcomeUnknownResponseError if lost else UnexpectedResponseError
    error = cls(
        message=message,
        status_code=response.status_code,
        request=response.request,
        response=response,
        operation=call.operation_id,
        request_id=rid,
    )
    if isinstance(error, OutcomeUnknownError):
        _outcome_unknown(error, call)
    return error


def _refusal(
    call: Call[Any], response: httpx.Response, code: str, body: Mapping[str, Any]
) -> PrakerjaAPIError:
    debug = body.get("debug")
    options: dict[str, Any] = {
        "code": code,
        "status_code": response.status_code,
        "message": str(body.get("message", "")),
        "request": response.request,
        "response": response,
        "debug": debug if isinstance(debug, dict) else None,
        "operation": call.operation_id,
        "request_id": request_id(response),
    }
    if call.next_step is not None and response.status_code >= 500:
        # A coded 5xx does not prove that nothing changed.
        error = OutcomeUnknownServerError(**options)
        _outcome_unknown(error, call)
        return error
    from prakerja.errors import api_error  # loaded with the resources: importing the client does not need it

    return api_error(**options)


def _log_response(call: Call[Any], response: httpx.Response, outcome: str) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    try:
        duration_ms: float | None = response.elapsed.total_seconds() * 1000
    except RuntimeError:  # the transport did not time it (e.g. a mock)
        duration_ms = None
    elapsed = "" if duration_ms is None else f" in {duration_ms:.0f}ms"
    identifier = request_id(response)
    logger.debug(
        "%s <- HTTP %d %s%s sig=%s request-id=%s",
        call.operation_id,
        response.status_code,
        outcome,
        elapsed,
        signature_prefix(response.request),
        identifier or "-",
        extra={
            "operation": call.operation_id,
            "code": outcome,
            "status_code": response.status_code,
            "request_id": identifier,
            "duration_ms": duration_ms,
        },
    )


def _warn(call: Call[Any], result: Any, envelope: list[DecodeWarning]) -> Any:
    """Keep the envelope's warnings on the result and log every warning the answer raised."""
    if envelope:
        from prakerja.models import Answer  # loaded by then: the resources import it

        if isinstance(result, Answer):
            result = attrs.evolve(result, decode_warnings=(*envelope, *result.decode_warnings))
    warnings = getattr(result, "decode_warnings", None) or envelope
    if warnings:
        logger.warning(
            "%s: the answer did not fit the contract; read what could be read: %s",
            call.operation_id,
            "; ".join(str(warning) for warning in warnings),
        )
    return result


def _missing_success() -> list[DecodeWarning]:
    from prakerja.models import DecodeWarning

    return [DecodeWarning(path="success", message="missing from the envelope")]


def parse_response(call: Call[T], response: httpx.Response) -> T:
    """The result of ``call`` from its (read) response, or the error it stands for.

    A 2xx success envelope is read tolerantly (see :mod:`prakerja._converter`): a call that changes state
    never raises on it; a read raises :class:`UnexpectedResponseError` only when the data asked for is absent.
    """
    try:
        body = json.loads(response.content)
    except ValueError:
        _log_response(call, response, "not JSON")
        raise _unexpected(call, response, "is not JSON") from None
    if not isinstance(body, dict):
        _log_response(call, response, "not an object")
        raise _unexpected(call, response, f"is a JSON {type(body).__name__}, not Prakerja's envelope")
    success = body.get("success")
    code = body.get("code") or body.get("errorCode")
    # An envelope without `success` but with `data` and no error code is read as a success, with a warning.
    bare = success is None and "data" in body and not code
    if response.is_success and (success is True or bare):
        envelope = _missing_success() if bare else []
        try:
            result = call.decode(body.get("data"))
        except DataAbsentError as absent:
            _log_response(call, response, "data asked for is absent")
            raise _unexpected(call, response, str(absent)) from absent
        _log_response(call, response, "ok")
        return _warn(call, result, envelope)  # type: ignore[no-any-return]
    if success is False and isinstance(code, str) and code:
        error = _refusal(call, response, code, body)
        _log_response(call, response, code)
        if call.recover is not None:
            return call.recover(error)
        raise error
    _log_response(call, response, "not Prakerja's envelope")
    raise _unexpected(call, response, "is not Prakerja's envelope")
