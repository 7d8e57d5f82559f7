"""One implementation per operation, bound to a sync or an async client.

Each operation is written once, as a pure builder ``(context, *arguments) -> Call[T]`` that validates its
arguments and describes the request. A resource class lists its operations with :class:`operation` (sync:
the method returns ``T``) or :class:`async_operation` (async: the method returns a coroutine of ``T``); the
descriptor binds the builder to the client's sender. Arguments are validated when the method is called,
before anything is awaited.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from prakerja._core import Call, CallContext

__all__ = ["AsyncResource", "AsyncSender", "SyncResource", "SyncSender", "async_operation", "operation"]

P = ParamSpec("P")
T = TypeVar("T")

SyncSender = Callable[[Call[Any]], Any]
AsyncSender = Callable[[Call[Any]], Coroutine[Any, Any, Any]]
Builder = Callable[Concatenate[CallContext, P], Call[T]]


class SyncResource:
    """A group of operations on a :class:`~prakerja.PrakerjaClient`."""

    def __init__(self, send: SyncSender, context: CallContext) -> None:
        self._send = send
        self._context = context


class AsyncResource:
    """A group of operations on an :class:`~prakerja.AsyncPrakerjaClient`."""

    def __init__(self, send: AsyncSender, context: CallContext) -> None:
        self._send = send
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

    def _dress(self, method: Callable[..., Any], owner: type[Any]) -> None:
        method.__name__ = self._name
        method.__qualname__ = f"{owner.__name__}.{self._name}"
        method.__doc__ = self._build.__doc__
        method.__signature__ = self._signature  # type: ignore[attr-defined]


class operation(_Bound[P, T]):
    """Bind a builder as a sync method returning the call's result."""

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: SyncResource, owner: type[Any]) -> Callable[P, T]: ...
    def __get__(self, instance: SyncResource | None, owner: type[Any]) -> Self | Callable[P, T]:
        if instance is None:
            return self
        build, send, context = self._build, instance._send, instance._context

        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            result: T = send(build(context, *args, **kwargs))
            return result

        self._dress(method, owner)
        instance.__dict__[self._name] = method  # later lookups skip the descriptor
        return method


class async_operation(_Bound[P, T]):
    """Bind a builder as an async method returning a coroutine of the call's result."""

    _returns = "Coroutine[Any, Any, {}]"

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, instance: AsyncResource, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(
        self, instance: AsyncResource | None, owner: type[Any]
    ) -> Self | Callable[P, Coroutine[Any, Any, T]]:
        if instance is None:
            return self
        build, send, context = self._build, instance._send, instance._context

        def method(*args: P.args, **kwargs: P.kwargs) -> Coroutine[Any, Any, T]:
            return send(build(context, *args, **kwargs))

        self._dress(method, owner)
        instance.__dict__[self._name] = method
        return method
