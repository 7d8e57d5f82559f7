"""Fixtures for the SDK suite.

``api`` runs one test against both clients: ``await api(lambda c: c.attendance.status("X"))`` calls the
sync client directly, or awaits the async client's coroutine, so one parametrised test specifies both.
Both clients use the default httpx transport, which the ``respx_mock`` fixture intercepts, and a fixed clock.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal, overload

import httpx
import pytest

import prakerja

CLIENT_CODE = "SBX-LP-CIPTAKREASI"
SIGN_KEY = "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8"
NOW = 1698289216
BASE = "https://api.prakerja.go.id"
SSO_BASE = "https://api-proxy.prakerja.go.id"
NO_WAIT = prakerja.RetryPolicy(max_retries=2, initial_delay=0.0, max_delay=0.0)


def envelope(data: Any = None, *, message: str = "OK") -> dict[str, Any]:
    """A success envelope as Prakerja sends it (``data`` left out when ``None``)."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    return body


def sso_envelope(data: Any) -> dict[str, Any]:
    """An SSO success envelope."""
    return {"success": True, "message": "no error", "errorCode": "0", "data": data}


def refusal(code: str, message: str = "Ditolak.", **extra: Any) -> dict[str, Any]:
    """An error envelope."""
    return {"success": False, "code": code, "message": message, **extra}


def sent_json(request: httpx.Request) -> Any:
    """The JSON body a recorded request carried."""
    return json.loads(request.content)


class Api:
    """One client, sync or async, called the same way."""

    def __init__(self, client: prakerja.PrakerjaClient | prakerja.AsyncPrakerjaClient) -> None:
        self.client = client
        self.is_async = isinstance(client, prakerja.AsyncPrakerjaClient)

    async def __call__(self, operation: Callable[[Any], Any]) -> Any:
        result = operation(self.client)
        if inspect.isawaitable(result):
            return await result
        return result

    async def close(self) -> None:
        if isinstance(self.client, prakerja.AsyncPrakerjaClient):
            await self.client.aclose()
        else:
            self.client.close()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@overload
def make_client(kind: Literal["sync"], **options: Any) -> prakerja.PrakerjaClient: ...
@overload
def make_client(kind: Literal["async"], **options: Any) -> prakerja.AsyncPrakerjaClient: ...
@overload
def make_client(kind: str, **options: Any) -> prakerja.PrakerjaClient | prakerja.AsyncPrakerjaClient: ...
def make_client(kind: str, **options: Any) -> prakerja.PrakerjaClient | prakerja.AsyncPrakerjaClient:
    """A client of ``kind`` ("sync" or "async") with the suite's credentials, clock and retry policy."""
    settings: dict[str, Any] = {
        "client_code": CLIENT_CODE,
        "sign_key": SIGN_KEY,
        "clock": lambda: NOW,
        "retry": NO_WAIT,
        **options,
    }
    if kind == "sync":
        return prakerja.PrakerjaClient(**settings)
    return prakerja.AsyncPrakerjaClient(**settings)


@pytest.fixture(params=["sync", "async"])
def client_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
async def api(client_kind: str, respx_mock: Any) -> AsyncIterator[Api]:
    """The client under test, sync or async, talking to ``respx_mock``."""
    api = Api(make_client(client_kind))
    try:
        yield api
    finally:
        await api.close()
