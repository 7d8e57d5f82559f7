"""Sandbox time: the real UTC time shifted by an offset that tests and the control API can move.

The offset is kept in the store (table ``kv``), so every worker process of one sandbox shares it. A request
reads it once (:meth:`Clock.pin`, done by the app for every request) and keeps the value to its end (moving
the clock inside the request updates the kept value too), so every time one request computes agrees. Signature
timestamps are checked against the real time (partners' clocks do not move with the sandbox); everything the
programme schedules (OTP and token expiry, course starts, redeem windows) uses sandbox time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import UTC, datetime, timedelta

from prakerja_sandbox.storage.base import Store

__all__ = ["Clock", "format_time", "parse_time"]

_OFFSET_KEY = "clock.offset_seconds"
_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def format_time(moment: datetime) -> str:
    """``moment`` as the sandbox writes times: ISO-8601 UTC with ``Z``, whole seconds."""
    return moment.astimezone(UTC).strftime(_FORMAT)


def parse_time(text: str) -> datetime:
    """The inverse of :func:`format_time` (also accepts any ISO-8601 with an offset)."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _real_now() -> datetime:
    return datetime.now(UTC)


class _Pin:
    """The offset one request read (``None`` until first needed)."""

    __slots__ = ("offset",)

    def __init__(self) -> None:
        self.offset: float | None = None


class Clock:
    """The sandbox clock of one store."""

    def __init__(self, store: Store, *, real_now: Callable[[], datetime] = _real_now) -> None:
        self._store = store
        self._real_now = real_now
        self._pin: ContextVar[_Pin | None] = ContextVar(f"prakerja_sandbox_clock_{id(self)}", default=None)

    def real_now(self) -> datetime:
        """The real UTC time (used for signature timestamps)."""
        return self._real_now()

    def offset_seconds(self) -> float:
        """How far sandbox time is ahead of real time (read once per :meth:`pin`)."""
        pin = self._pin.get()
        if pin is None:
            return self._stored_offset()
        if pin.offset is None:
            pin.offset = self._stored_offset()
        return pin.offset

    def adopt_offset(self, seconds: float) -> None:
        """Take ``seconds`` as the offset read for this :meth:`pin` (it came from the store this request)."""
        pin = self._pin.get()
        if pin is not None and pin.offset is None:
            pin.offset = seconds

    def _stored_offset(self) -> float:
        with self._store.read() as tx:
            value = tx.scalar("SELECT value FROM kv WHERE key = ?", (_OFFSET_KEY,))
        return 0.0 if value is None else float(value)

    def pin(self) -> Token[_Pin | None]:
        """From now on in this context, read the offset at first use only (pass the token to :meth:`unpin`)."""
        return self._pin.set(_Pin())

    def unpin(self, token: Token[_Pin | None]) -> None:
        """End what :meth:`pin` began."""
        self._pin.reset(token)

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """:meth:`pin` for the duration of a block."""
        token = self.pin()
        try:
            yield
        finally:
            self.unpin(token)

    def now(self) -> datetime:
        """Sandbox time, UTC, truncated to whole seconds."""
        moment = self._real_now() + timedelta(seconds=self.offset_seconds())
        return moment.replace(microsecond=0)

    def now_text(self) -> str:
        """Sandbox time as stored text (see :func:`format_time`)."""
        return format_time(self.now())

    def set_offset(self, seconds: float) -> None:
        """Place sandbox time ``seconds`` ahead of (or behind, when negative) real time."""
        with self._store.transaction() as tx:
            tx.execute(
                "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_OFFSET_KEY, repr(float(seconds))),
            )
        pin = self._pin.get()
        if pin is not None:
            pin.offset = float(seconds)

    def advance(self, seconds: float) -> datetime:
        """Move sandbox time forward by ``seconds``; returns the new sandbox time."""
        with self._store.transaction():
            self.set_offset(self._stored_offset() + seconds)
        return self.now()

    def set(self, moment: datetime) -> datetime:
        """Make sandbox time read ``moment`` now (it keeps running from there)."""
        if moment.tzinfo is None:
            raise ValueError("set the sandbox clock with a timezone-aware datetime")
        self.set_offset((moment - self._real_now()).total_seconds())
        return self.now()
