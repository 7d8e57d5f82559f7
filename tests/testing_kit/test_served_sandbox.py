"""The ``prakerja_sandbox_server`` fixture: a real socket for code that is not Python or not httpx."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from prakerja.signing import compact_json, sign
from prakerja.testing import LocalSandbox, SandboxError


def test_a_plain_http_client_can_call_the_served_sandbox(prakerja_sandbox_server: LocalSandbox) -> None:
    partner = prakerja_sandbox_server.partner("SBX-DP-TOKOPEDIA")
    path = "/api/v1/integration/payment/quota-schedule"
    body = compact_json({"schedule_code": "prakerjaoauth", "course_code": "prakerjaoauth1"})
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        prakerja_sandbox_server.base_url + path,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "client_code": partner.client_code,
            "timestamp": stamp,
            "signature": sign(
                sign_key=partner.sign_key,
                client_code=partner.client_code,
                timestamp=stamp,
                method="POST",
                path=path,
                body=body,
            ),
        },
    )

    with urllib.request.urlopen(request, timeout=10) as answer:
        payload = json.load(answer)

    assert prakerja_sandbox_server.base_url.startswith("http://127.0.0.1:")
    assert payload["success"] is True
    assert payload["data"]["quota"] > 0


def test_the_sdk_works_over_the_socket_too(prakerja_sandbox_server: LocalSandbox) -> None:
    assert prakerja_sandbox_server.transport is None
    with prakerja_sandbox_server.client("SBX-LP-CIPTAKREASI") as lp:
        status = lp.attendance.status("PRAT-TC1001", sequence=1)

    assert status.redeem_code == "PRAT-TC1001"


async def _async_status(sandbox: LocalSandbox) -> str:
    async with sandbox.async_client("SBX-LP-CIPTAKREASI") as lp:
        status = await lp.attendance.status("PRAT-TC1001")
    return status.redeem_code


def test_an_async_client_needs_the_served_sandbox(
    prakerja_sandbox: LocalSandbox, prakerja_sandbox_server: LocalSandbox
) -> None:
    import asyncio

    assert asyncio.run(_async_status(prakerja_sandbox_server)) == "PRAT-TC1001"
    with pytest.raises(SandboxError, match="prakerja_sandbox_server"):
        prakerja_sandbox.async_client()
