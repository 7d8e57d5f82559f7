"""``payments.void`` returns the purchase as read back after the void, and a failed read-back never hides it.

Prakerja's answer to a void carries no ``data``; the SDK sends a payment status read after an accepted void
(with the read's own retries). Whatever that read meets, the void's success is what the caller gets.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import prakerja
from prakerja import errors

from .conftest import BASE, Api, envelope, refusal
from .operations import response_example

pytestmark = pytest.mark.anyio

VOID_URL = f"{BASE}/api/v1/integration/payment/void"
STATUS_URL = f"{BASE}/api/v1/integration/payment/status"
INVOICE = "TOKPED-XB9C89BXBJL7X"
TRANSACTION = "01E3P4ZSXN1NKFKWZM193425B3"
VOIDED = response_example("payments.status", "voided")


def _void(**options: Any) -> Callable[[Any], Any]:
    return lambda c: c.payments.void(invoice_code=INVOICE, transaction_code=TRANSACTION, **options)


def _accepted(respx_mock: Any) -> Any:
    return respx_mock.post(VOID_URL).respond(200, json=envelope(message="Transaksi berhasil dibatalkan."))


async def test_the_void_returns_the_record_read_back_after_it(api: Api, respx_mock: Any) -> None:
    void = _accepted(respx_mock)
    status = respx_mock.post(STATUS_URL).respond(200, json=VOIDED)

    voided = await api(_void())

    assert isinstance(voided, prakerja.PaymentVoided)
    assert (voided.invoice_code, voided.transaction_code) == (INVOICE, TRANSACTION)
    assert voided.payment is not None
    assert voided.payment.status is prakerja.PaymentStatus.VOID
    assert voided.voided
    assert voided.decode_warnings == ()
    # the void first, then one status read of the same invoice
    assert void.call_count == 1
    assert status.call_count == 1
    assert respx_mock.calls[0].request.url == VOID_URL
    assert json.loads(respx_mock.calls[1].request.content) == {"invoice_code": INVOICE}


async def test_read_back_false_sends_the_void_alone(api: Api, respx_mock: Any) -> None:
    _accepted(respx_mock)

    voided = await api(_void(read_back=False))

    assert len(respx_mock.calls) == 1
    assert voided.payment is None
    assert not voided.voided
    assert voided.decode_warnings == ()


FAILURES: dict[str, Callable[[httpx.Request], httpx.Response]] = {
    "refused": lambda request: httpx.Response(400, json=refusal("ERRPLT40032", "Transaksi tidak ditemukan.")),
    "server error every time": lambda request: httpx.Response(503, json=refusal("ERRPLT50301", "Sibuk.")),
    "gateway page": lambda request: httpx.Response(502, text="<html>Bad Gateway</html>"),
    "no status in the data": lambda request: httpx.Response(200, json=envelope({"invoice_code": INVOICE})),
    "not JSON": lambda request: httpx.Response(200, text="OK"),
}


def _broken_connection(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadError("connection reset by peer", request=request)


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


FAILURES |= {"connection broken": _broken_connection, "timed out": _timeout}


@pytest.mark.parametrize("failure", list(FAILURES))
async def test_a_failed_read_back_leaves_the_void_standing(api: Api, respx_mock: Any, failure: str) -> None:
    _accepted(respx_mock)
    respx_mock.post(STATUS_URL).mock(side_effect=FAILURES[failure])

    voided = await api(_void())

    assert voided.payment is None
    assert not voided.voided
    [warning] = voided.decode_warnings
    assert warning.path == "payment"
    assert "the void was accepted" in warning.message
    assert f"client.payments.status({INVOICE!r})" in warning.message


async def test_a_record_read_back_as_not_void_is_returned_with_a_warning(api: Api, respx_mock: Any) -> None:
    _accepted(respx_mock)
    respx_mock.post(STATUS_URL).respond(200, json=response_example("payments.status"))

    voided = await api(_void())

    assert voided.payment is not None
    assert voided.payment.status is prakerja.PaymentStatus.SUCCESS
    assert not voided.voided
    assert [w.path for w in voided.decode_warnings] == ["payment.status"]
    assert "'SUCCESS', not 'VOID'" in voided.decode_warnings[0].message


async def test_a_refused_void_raises_and_reads_nothing_back(api: Api, respx_mock: Any) -> None:
    respx_mock.post(VOID_URL).respond(
        400, json=refusal("ERRPLT40028", "Transaksi sudah dibatalkan sebelumnya.")
    )
    status = respx_mock.post(STATUS_URL).respond(200, json=VOIDED)

    with pytest.raises(errors.PrakerjaAPIError) as raised:
        await api(_void())

    assert raised.value.code == "ERRPLT40028"
    assert status.call_count == 0


async def test_a_lost_void_answer_raises_outcome_unknown_and_reads_nothing_back(
    api: Api, respx_mock: Any
) -> None:
    respx_mock.post(VOID_URL).mock(side_effect=_timeout)
    status = respx_mock.post(STATUS_URL).respond(200, json=VOIDED)

    with pytest.raises(errors.OutcomeUnknownError):
        await api(_void())

    assert status.call_count == 0


async def test_the_raw_void_carries_the_voids_own_answer_and_the_record(api: Api, respx_mock: Any) -> None:
    respx_mock.post(VOID_URL).respond(
        200, json=envelope(message="Transaksi berhasil dibatalkan."), headers={"X-Request-Id": "void-1"}
    )
    respx_mock.post(STATUS_URL).respond(200, json=VOIDED, headers={"X-Request-Id": "status-1"})

    raw = await api(
        lambda c: c.payments.with_raw_response.void(invoice_code=INVOICE, transaction_code=TRANSACTION)
    )

    assert raw.operation == "payments.void"
    assert raw.request_id == "void-1"
    assert raw.parse().voided
