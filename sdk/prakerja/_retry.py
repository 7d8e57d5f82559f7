"""When to try a call again, and after how long: pure arithmetic, the shells only sleep.

A call is retried only when both hold: the call is safe to repeat (payment status, quota, attendance status,
submission status, SSO reads) and the failure is transient (a catalogue code marked ``retryable``, or an
unknown code with HTTP 429 or 5xx; a gateway status without Prakerja's body; a timeout or a broken
connection): together, the error's ``safe_to_retry``. The wait doubles from ``initial_delay`` up to
``max_delay``, less a random ``jitter`` fraction; a ``Retry-After`` header wins when it asks for at most
``max_retry_after`` seconds, and a longer one ends the retries. Authorize, void, commit, reset, submissions
and token exchanges are never repeated blindly.
"""

from __future__ import annotations

import email.utils
import math
from collections.abc import Callable
from datetime import UTC, datetime

import attrs
import httpx

from prakerja._exceptions import (
    PrakerjaAPIError,
    PrakerjaError,
    PrakerjaTransportError,
    UnexpectedResponseError,
)
from prakerja._logging import logger

__all__ = ["NO_RETRY", "RetryPolicy", "retry_after_seconds"]


def _non_negative(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{attribute.name} must be a finite number >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How often and how patiently safe calls are retried after transient failures."""

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=0.5, validator=_non_negative)
    max_delay: float = attrs.field(default=8.0, validator=_non_negative)
    jitter: float = attrs.field(default=0.25, validator=[_non_negative, attrs.validators.le(1.0)])
    max_retry_after: float = attrs.field(default=60.0, validator=_non_negative)

    def backoff(self, retry: int, *, random: float) -> float:
        """The wait before retry number ``retry`` (1-based) given a uniform ``random`` in [0, 1)."""
        ceiling = min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))
        return ceiling * (1 - self.jitter * random)

    def delay_after(
        self,
        error: PrakerjaError,
        *,
        operation: str,
        retry_safe: bool,
        retry: int,
        random: Callable[[], float],
    ) -> float | None:
        """Seconds to wait before retry number ``retry`` after ``error``, or ``None`` to give up. Logged."""
        reason = _transient(error)
        if reason is None:
            return None
        if not retry_safe:
            logger.debug("not retrying %s after %s: the call is not safe to repeat", operation, reason)
            return None
        if retry > self.max_retries:
            logger.debug("not retrying %s after %s: %d retries used", operation, reason, self.max_retries)
            return None
        retry_after = retry_after_seconds(_response_of(error))
        if retry_after is not None and retry_after > self.max_retry_after:
            logger.debug(
                "not retrying %s after %s: Retry-After asks %.0fs, more than %.0fs",
                operation,
                reason,
                retry_after,
                self.max_retry_after,
            )
            return None
        delay = retry_after if retry_after is not None else self.backoff(retry, random=random())
        # a retry is worth seeing in production logs: INFO, with fields a log pipeline can index
        logger.info(
            "retrying %s after %s: retry %d of %d in %.2fs%s",
            operation,
            reason,
            retry,
            self.max_retries,
            delay,
            " (Retry-After)" if retry_after is not None else "",
            extra={
                "operation": operation,
                "code": getattr(error, "code", None) or type(error).__name__,
                "attempt": retry + 1,
                "request_id": getattr(error, "request_id", None),
                "delay": delay,
            },
        )
        return delay


NO_RETRY = RetryPolicy(max_retries=0)


def _transient(error: PrakerjaError) -> str | None:
    if isinstance(error, PrakerjaTransportError):
        return type(error).__name__
    if not error.cause_is_transient:
        return None
    if isinstance(error, PrakerjaAPIError):
        return f"{error.code} (HTTP {error.status_code})"
    if isinstance(error, UnexpectedResponseError):
        return f"HTTP {error.status_code} without Prakerja's body"
    return None


def _response_of(error: PrakerjaError) -> httpx.Response | None:
    if isinstance(error, PrakerjaAPIError | UnexpectedResponseError):
        return error.response
    return None


def retry_after_seconds(response: httpx.Response | None, *, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for (seconds or an HTTP date), or ``None``."""
    if response is None:
        return None
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
