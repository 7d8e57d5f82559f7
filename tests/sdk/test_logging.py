"""Debug logging on the "prakerja" logger: correlatable lines, and never a secret in full."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

import prakerja

from .conftest import BASE, SIGN_KEY, Api
from .operations import ACCESS_TOKEN, API_OPERATIONS, CALLS, PAYMENT_TOKEN, request_examples, response_example
from .test_operations import _call, _route

pytestmark = pytest.mark.anyio

SECRETS = {
    "sign key": SIGN_KEY,
    "OTP": '"123456"',
    "payment token": PAYMENT_TOKEN,
    "access token": ACCESS_TOKEN,
    "authorization code": "9b2f6c1e4d7a4f0e8c3b5a6d7e8f9012",
    "refresh token": "rt_5f8d2c9a7b1e4c3d9a0b8c7d6e5f4a3b",
}


async def test_no_secret_reaches_a_log_line(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    for operation_id in API_OPERATIONS:
        _route(respx_mock, operation_id, response_example(operation_id))

    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        for operation_id in API_OPERATIONS:
            await _call(api, operation_id, request_examples(operation_id)["default"])

    text = "\n".join(caplog.messages)
    assert len(caplog.records) >= 2 * len(API_OPERATIONS)
    for name, secret in SECRETS.items():
        assert secret not in text, name
    assert '"otp":"******"' in text
    assert '"code":"9b2f6c…"' in text


async def test_each_call_logs_its_signature_prefix_and_the_request_id(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.post(f"{BASE}/api/v1/integration/payment/redeem-code/status").respond(
        200, json=response_example("attendance.status"), headers={"X-Request-Id": "req-42"}
    )

    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        await api(lambda c: c.attendance.status("GHOPNYXUVMT0"))

    signed, answered = caplog.messages
    signature = respx_mock.calls.last.request.headers["signature"]
    assert signed.startswith("signed POST /api/v1/integration/payment/redeem-code/status ts=1698289216")
    assert f"sig={signature[:8]}" in signed
    assert '"redeem_code":"GHOPNYXUVMT0"' in signed
    assert answered.startswith("attendance.status <- HTTP 200 ok")
    assert f"sig={signature[:8]}" in answered
    assert answered.endswith("request-id=req-42")


async def test_a_refusal_is_logged_with_its_code(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.post(f"{BASE}/api/v1/integration/payment/status").respond(
        400, json={"success": False, "code": "ERRPLT40032", "message": "Invoice tidak ditemukan."}
    )

    with (
        caplog.at_level(logging.DEBUG, logger="prakerja"),
        pytest.raises(prakerja.errors.InvoiceNotFoundError),
    ):
        await api(lambda c: c.payments.status("INV-1"))

    assert any(m.startswith("payments.status <- HTTP 400 ERRPLT40032") for m in caplog.messages)


async def test_nothing_is_logged_above_debug(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _route(respx_mock, "attendance.status", response_example("attendance.status"))

    with caplog.at_level(logging.INFO, logger="prakerja"):
        await api(lambda c: c.attendance.status("GHOPNYXUVMT0"))

    assert caplog.records == []


def test_models_and_clients_do_not_show_secrets_in_repr() -> None:
    sent = prakerja.OtpSent(payment_token=PAYMENT_TOKEN)
    token = prakerja.Token(
        access_token=ACCESS_TOKEN,
        refresh_token="rt_5f8d2c9a7b1e4c3d9a0b",
        expires_in="1",
        scope="",
        token_type="Bearer",
    )
    client = prakerja.PrakerjaClient(
        client_code="SBX-LP-CIPTAKREASI",
        sign_key=SIGN_KEY,
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )

    assert PAYMENT_TOKEN not in repr(sent)
    assert "pt_7c9…" in repr(sent)
    assert ACCESS_TOKEN not in repr(token)
    assert "rt_5f8d2c9a7b1e4c3d9a0b" not in repr(token)
    assert SIGN_KEY not in repr(client)
    assert SIGN_KEY not in repr(client._auths["integration"])
    client.close()


@pytest.mark.parametrize("operation_id", ["payments.authorize", "sso.profile"])
async def test_the_authorization_header_is_not_logged(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture, operation_id: str
) -> None:
    _route(respx_mock, operation_id, response_example(operation_id))

    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        await api(lambda c: CALLS[operation_id](c, request_examples(operation_id)["default"]))

    assert "Authorization" not in "\n".join(caplog.messages)
