"""Sandbox time: the real UTC time shifted by an offset that tests and the control API can move.

The offset is kept in the store (table ``kv``), so every worker process of one sandbox shares it. Signature
timestamps are checked against the real time (partners' clocks do not move with the sandbox); everything the
programme schedules (OTP and token expiry, course starts, redeem windows) uses sandbox time.
"""

from __future__ import annotations

from collections.abc import Callable
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


class Clock:
    """The sandbox clock of one store."""

    def __init__(self, store: Store, *, real_now: Callable[[], datetime] = _real_now) -> None:
        self._store = store
        self._real_now = real_now

    def real_now(self) -> datetime:
        """The real UTC time (used for signature timestamps)."""
        return self._real_now()

    def offset_seconds(self) -> float:
        """How far sandbox time is ahead of real time."""
        with self._store.read() as tx:
            value = tx.scalar("SELECT value FROM kv WHERE key = ?", (_OFFSET_KEY,))
        return 0.0 if value is None else float(value)

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

    def advance(self, seconds: float) -> datetime:
        """Move sandbox time forward by ``seconds``; returns the new sandbox time."""
        with self._store.transaction():
            self.set_offset(self.offset_seconds() + seconds)
        return self.now()

    def set(self, moment: datetime) -> datetime:
        """Make sandbox time read ``moment`` now (it keeps running from there)."""
        if moment.tzinfo is None:
            raise ValueError("set the sandbox clock with a timezone-aware datetime")
        self.set_offset((moment - self._real_now()).total_seconds())
        return self.now()
