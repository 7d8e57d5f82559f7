"""What the generated resource classes stand on: a client's senders and the call context.

Each operation is written once, as a pure builder ``(context, *arguments) -> Call[T]`` in
:mod:`~prakerja.resources.payments` and its siblings, which validates its arguments and describes the request.
The resource classes (generated into :mod:`prakerja.resources._generated`) have one real method per
operation that builds the call and hands it to the client's sender: the sync sender returns ``T``, the async
one a coroutine of ``T`` (arguments are checked when the method is called, before anything is awaited), and
the raw senders a :class:`~prakerja.RawResponse` of it.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Protocol, TypeVar

from prakerja._core import Call, CallContext
from prakerja._raw import RawResponse

__all__ = [
    "AsyncRawSender",
    "AsyncResource",
    "AsyncSender",
    "RawAsyncResource",
    "RawSyncResource",
    "SyncRawSender",
    "SyncResource",
    "SyncSender",
]

T = TypeVar("T")


class SyncSender(Protocol):
    """Performs a call and returns its result."""

    def __call__(self, call: Call[T], /) -> T: ...


class SyncRawSender(Protocol):
    """Performs a call and returns its result with the HTTP answer."""

    def __call__(self, call: Call[T], /) -> RawResponse[T]: ...


class AsyncSender(Protocol):
    """Returns a coroutine performing a call."""

    def __call__(self, call: Call[T], /) -> Coroutine[Any, Any, T]: ...


class AsyncRawSender(Protocol):
    """Returns a coroutine performing a call, giving its result with the HTTP answer."""

    def __call__(self, call: Call[T], /) -> Coroutine[Any, Any, RawResponse[T]]: ...


class SyncResource:
    """A group of operations on a :class:`~prakerja.PrakerjaClient`."""

    def __init__(self, send: SyncSender, context: CallContext, *, send_raw: SyncRawSender) -> None:
        self._send = send
        self._send_raw = send_raw
        self._context = context


class AsyncResource:
    """A group of operations on an :class:`~prakerja.AsyncPrakerjaClient`."""

    def __init__(self, send: AsyncSender, context: CallContext, *, send_raw: AsyncRawSender) -> None:
        self._send = send
        self._send_raw = send_raw
        self._context = context


class RawSyncResource:
    """The operations of a sync resource, each returning a :class:`~prakerja.RawResponse`."""

    def __init__(self, send_raw: SyncRawSender, context: CallContext) -> None:
        self._send = send_raw
        self._context = context


class RawAsyncResource:
    """The operations of an async resource, each returning a coroutine of a :class:`~prakerja.RawResponse`."""

    def __init__(self, send_raw: AsyncRawSender, context: CallContext) -> None:
        self._send = send_raw
        self._context = context
