"""The programs of docs/sdk.md run, in-process, against a fresh sandbox.

Every ``python`` block of the page is a whole program. Each runs here with every httpx transport it creates
(the SDK's own and any it builds, such as the participant's browser) served by one
``httpx.WSGITransport(app=prakerja_sandbox.create_app())``: no server, no network.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from prakerja_sandbox import create_app

PAGE = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"
_BLOCK = re.compile(r"(?P<norun><!--\s*norun:[^>]*-->\s*\n)?```python\n(?P<code>.*?)\n```", re.DOTALL)


def _programs() -> list[tuple[str, str]]:
    text = PAGE.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        if match["norun"]:
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        found.append((f"sdk.md:{line}", match["code"]))
    return found


PROGRAMS = _programs()


class _Sandbox:
    """Transports that hand every request to one in-process sandbox, and count them."""

    def __init__(self) -> None:
        self.app = create_app()
        self.requests: list[httpx.Request] = []

    def sync_transport(self) -> type[httpx.BaseTransport]:
        sandbox = self

        class SandboxTransport(httpx.WSGITransport):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(app=sandbox.app)

            def handle_request(self, request: httpx.Request) -> httpx.Response:
                sandbox.requests.append(request)
                return super().handle_request(request)

        return SandboxTransport

    def async_transport(self) -> type[httpx.AsyncBaseTransport]:
        served = self.sync_transport()

        class AsyncSandboxTransport(httpx.AsyncBaseTransport):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self._served = served()

            async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
                await request.aread()
                response = self._served.handle_request(request)
                return httpx.Response(response.status_code, headers=response.headers, content=response.read())

        return AsyncSandboxTransport


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> _Sandbox:
    served = _Sandbox()
    for module in (httpx, httpx._client):
        monkeypatch.setattr(module, "HTTPTransport", served.sync_transport())
        monkeypatch.setattr(module, "AsyncHTTPTransport", served.async_transport())
    for name in ("PRAKERJA_BASE_URL", "PRAKERJA_CLIENT_CODE", "PRAKERJA_SIGN_KEY"):
        monkeypatch.delenv(name, raising=False)
    return served


def test_the_page_has_the_purchase_and_the_attendance_programs() -> None:
    codes = [code for _, code in PROGRAMS]

    assert any("payments.authorize" in code and "payments.void" in code for code in codes)
    assert any("payments.reconcile" in code for code in codes)
    assert any("AsyncPrakerjaClient" in code and "attendance.generate_url" in code for code in codes)


@pytest.mark.parametrize(("where", "code"), PROGRAMS, ids=[where for where, _ in PROGRAMS])
def test_the_program_runs_against_the_sandbox(
    where: str, code: str, sandbox: _Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}

    exec(compile(code, where, "exec"), namespace)

    if "base_url=os.environ" in code:  # the programs that talk to Prakerja did reach the sandbox
        assert sandbox.requests
        assert all(r.url.host == "127.0.0.1" for r in sandbox.requests)
