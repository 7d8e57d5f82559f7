"""One implementation per operation, bound to a sync or an async client.

Each operation is written once, as a pure builder ``(context, *arguments) -> Call[T]`` that validates its
arguments and describes the request. A resource class lists its operations with :class:`operation` (sync:
the method returns ``T``) or :class:`async_operation` (async: the method returns a coroutine of ``T``); the
descriptor binds the builder to the client's sender. Arguments are validated when the method is called,
before anything is awaited. The same descriptors on a :class:`RawSyncResource` or :class:`RawAsyncResource`
(``client.payments.with_raw_response``) return a :class:`~prakerja.RawResponse` of the result.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from prakerja._core import Call, CallContext
from prakerja._raw import RawResponse

__all__ = [
    "AsyncResource",
    "AsyncSender",
    "RawAsyncResource",
    "RawSyncResource",
    "SyncResource",
    "SyncSender",
    "async_operation",
    "operation",
]

P = ParamSpec("P")
T = TypeVar("T")

SyncSender = Callable[[Call[Any]], Any]
AsyncSender = Callable[[Call[Any]], Coroutine[Any, Any, Any]]
Builder = Callable[Concatenate[CallContext, P], Call[T]]


class SyncResource:
    """A group of operations on a :class:`~prakerja.PrakerjaClient`."""

    def __init__(self, send: SyncSender, context: CallContext, *, send_raw: SyncSender | None = None) -> None:
        self._send = send
        self._send_raw = send_raw or send
        self._context = context


class AsyncResource:
    """A group of operations on an :class:`~prakerja.AsyncPrakerjaClient`."""

    def __init__(
        self, send: AsyncSender, context: CallContext, *, send_raw: AsyncSender | None = None
    ) -> None:
        self._send = send
        self._send_raw = send_raw or send
        self._context = context


class RawSyncResource:
    """The operations of a sync resource, each returning a :class:`~prakerja.RawResponse`."""

    def __init__(self, send_raw: SyncSender, context: CallContext) -> None:
        self._send = send_raw
        self._context = context


class RawAsyncResource:
    """The operations of an async resource, each returning a coroutine of a :class:`~prakerja.RawResponse`."""

    def __init__(self, send_raw: AsyncSender, context: CallContext) -> None:
        self._send = send_raw
        self._context = context


class _Bound(Generic[P, T]):
    _returns = "{}"

    def __init__(self, build: Builder[P, T]) -> None:
        self._build = build
        self._name = build.__name__.lstrip("_")
        signature = inspect.signature(build)
        # What help() shows: the caller's arguments (no context) and what the method really returns.
        result = str(signature.return_annotation).removeprefix("Call[").removesuffix("]")
        self._signature = signature.replace(
            parameters=list(signature.parameters.values())[1:], return_annotation=self._returns.format(result)
        )
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def _dress(self, method: Callable[..., Any], owner: type[Any], *, raw: bool) -> None:
        method.__name__ = self._name
        method.__qualname__ = f"{owner.__name__}.{self._name}"
        method.__doc__ = self._build.__doc__
        signature = self._signature
        if raw:
            result = str(signature.return_annotation)
            inner = result.removeprefix("Coroutine[Any, Any, ").removesuffix("]")
            wrapped = f"RawResponse[{inner}]"
            signature = signature.replace(
                return_annotation=wrapped if inner == result else f"Coroutine[Any, Any, {wrapped}]"
            )
        method.__signature__ = signature  # type: ignore[attr-defined]


class operation(_Bound[P, T]):
    """Bind a builder as a sync method returning the call's result."""

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: RawSyncResource, owner: type[Any]) -> Callable[P, RawResponse[T]]: ...
    @overload
    def __get__(self, instance: SyncResource, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(
        self, instance: SyncResource | RawSyncResource | None, owner: type[Any]
    ) -> Self | Callable[P, T] | Callable[P, RawResponse[T]]:
        if instance is None:
            return self
        build, send, context = self._build, instance._send, instance._context

        def method(*args: P.args, **kwargs: P.kwargs) -> Any:
            return send(build(context, *args, **kwargs))

        self._dress(method, owner, raw=isinstance(instance, RawSyncResource))
        instance.__dict__[self._name] = method  # later lookups skip the descriptor
        return method


class async_operation(_Bound[P, T]):
    """Bind a builder as an async method returning a coroutine of the call's result."""

    _returns = "Coroutine[Any, Any, {}]"

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, instance: RawAsyncResource, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, RawResponse[T]]]: ...
    @overload
    def __get__(self, instance: AsyncResource, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(
        self, instance: AsyncResource | RawAsyncResource | None, owner: type[Any]
    ) -> Self | Callable[P, Coroutine[Any, Any, T]] | Callable[P, Coroutine[Any, Any, RawResponse[T]]]:
        if instance is None:
            return self
        build, send, context = self._build, instance._send, instance._context

        def method(*args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, Any]:
            return send(build(context, *args, **kwargs))

        self._dress(method, owner, raw=isinstance(instance, RawAsyncResource))
        instance.__dict__[self._name] = method
        return method
