"""The sandbox control API (``/_sandbox``), seen from the checker.

A server that has it (the local sandbox) lets the checker reset state, read the OTP SMS, move the clock and
verify attendance, so whole purchase-to-attendance scenarios can run. A server without it (Prakerja itself)
gets only the checks that need none of this; the report says which were skipped and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse

__all__ = ["ControlApi", "ControlApiError"]


class ControlApiError(RuntimeError):
    """The control API answered something unexpected."""


class ControlApi:
    """A thin client for ``/_sandbox``. ``probe`` says whether the server has one at all."""

    def __init__(self, client: httpx.Client, base_url: str, *, token: str | None = None) -> None:
        self._client = client
        self._base = base_url.rstrip("/") + "/_sandbox"
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        #: Called with every control call, so a lifecycle's history shows clock moves and verifications too.
        self.observer: Callable[[Exchange], None] | None = None

    def _call(self, method: str, path: str, payload: Mapping[str, Any] | None = None, **params: Any) -> Any:
        response = self._client.request(
            method,
            self._base + path,
            json=None if payload is None else dict(payload),
            params={k: v for k, v in params.items() if v is not None} or None,
            headers=self._headers,
        )
        if self.observer is not None:
            self.observer(
                Exchange(
                    request=SentRequest(
                        method=method,
                        url=str(response.request.url),
                        headers=(("Content-Type", "application/json"),) if payload is not None else (),
                        body=response.request.content,
                    ),
                    response=SentResponse(
                        status_code=response.status_code,
                        headers=tuple(response.headers.items()),
                        body=response.content,
                    ),
                )
            )
        if response.status_code >= 400:
            raise ControlApiError(
                f"{method} /_sandbox{path} answered HTTP {response.status_code}: {response.text[:300]}"
            )
        try:
            body = response.json()
        except ValueError:
            raise ControlApiError(f"{method} /_sandbox{path} did not answer JSON") from None
        return body.get("data", body) if isinstance(body, Mapping) else body

    def probe(self) -> bool:
        """Whether the server answers the control API (``GET /_sandbox/partners``)."""
        try:
            self._call("GET", "/partners")
        except (ControlApiError, httpx.HTTPError):
            return False
        return True

    def reset(self) -> None:
        """Bring the sandbox back to its seeded state (clock included)."""
        self._call("POST", "/reset", {})  # the control API takes JSON writes only

    def partners(self) -> list[dict[str, Any]]:
        """Every partner with its client code, sign key, type and status."""
        return _items(self._call("GET", "/partners"))

    def transactions(self) -> list[dict[str, Any]]:
        """Purchases, newest first."""
        return _items(self._call("GET", "/transactions", limit=200))

    def participants(self) -> list[dict[str, Any]]:
        """Every participant."""
        return _items(self._call("GET", "/participants", limit=200))

    def redeem_codes(self) -> list[dict[str, Any]]:
        """Every redeem code."""
        return _items(self._call("GET", "/redeem-codes", limit=200))

    def create_participant(self, **fields: Any) -> dict[str, Any]:
        """A new participant (fields left out get sandbox defaults)."""
        return dict(self._call("POST", "/participants", fields))

    def create_course(self, **fields: Any) -> dict[str, Any]:
        """A new course of an LP (``code``, ``lp`` required)."""
        return dict(self._call("POST", "/courses", fields))

    def create_schedule(self, **fields: Any) -> dict[str, Any]:
        """A new schedule of a course (``code``, ``course_code`` required)."""
        return dict(self._call("POST", "/schedules", fields))

    def inbox(self, **filters: Any) -> list[dict[str, Any]]:
        """SMS messages, newest last (filter by ``prakerja_id``, ``kind``...)."""
        return _items(self._call("GET", "/inbox", **filters))

    def clock(self) -> dict[str, Any]:
        """The sandbox clock (``now`` and ``offset_seconds``)."""
        return dict(self._call("GET", "/clock"))

    def advance_clock(self, seconds: int) -> dict[str, Any]:
        """Move the sandbox clock forward by ``seconds``."""
        return dict(self._call("POST", "/clock", {"advance_seconds": seconds}))


def _items(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, Mapping):
        for key in ("items", "partners", "courses", "participants", "redeem_codes", "messages"):
            if isinstance(value.get(key), list):
                return [dict(item) for item in value[key]]
        return [dict(value)]
    return [dict(item) for item in value or ()]
