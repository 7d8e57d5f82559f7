"""``client.with_options(...)`` and ``client.<resource>.with_raw_response``, on both clients."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prakerja
from prakerja import errors

from .conftest import BASE, Api, envelope, make_client, refusal

pytestmark = pytest.mark.anyio

STATUS_URL = f"{BASE}/api/v1/integration/payment/status"
PAID = envelope(
    {
        "created_at": "2020-03-18T20:23:45Z",
        "invoice_code": "INV-1",
        "transaction_code": "TRX-1",
        "amount": 20000,
        "status": "SUCCESS",
        "prakerja_name": "arief budiman",
    }
)
UNAVAILABLE = refusal("ERRPLT50301")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("prakerja._client.time.sleep", recorded.append)
    monkeypatch.setattr("anyio.sleep", async_sleep)  # the async client looks it up when it waits
    return recorded


async def test_a_raw_response_carries_status_headers_request_id_and_the_parsed_result(
    api: Api, respx_mock: Any
) -> None:
    respx_mock.post(STATUS_URL).mock(
        return_value=httpx.Response(200, json=PAID, headers={"X-Request-Id": "req-7f3a"})
    )

    raw = await api(lambda c: c.payments.with_raw_response.status("INV-1"))

    assert isinstance(raw, prakerja.RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-7f3a"
    assert raw.headers["x-request-id"] == "req-7f3a"
    assert raw.operation == "payments.status"
    assert raw.attempts == 1
    assert raw.http_request.url == STATUS_URL
    assert raw.parse().transaction_code == "TRX-1"
    assert raw.parse() == await api(lambda c: c.payments.status("INV-1"))
    assert "req-7f3a" in repr(raw)


async def test_a_raw_call_counts_its_attempts_and_raises_as_the_plain_call_does(
    api: Api, respx_mock: Any, sleeps: list[float]
) -> None:
    respx_mock.post(STATUS_URL).mock(
        side_effect=[
            httpx.Response(503, json=UNAVAILABLE),
            httpx.Response(200, json=PAID),
            httpx.Response(404, json=refusal("ERRPLT40032"), headers={"X-Request-Id": "req-404"}),
        ]
    )

    raw = await api(lambda c: c.payments.with_raw_response.status("INV-1"))
    assert raw.attempts == 2
    with pytest.raises(errors.InvoiceNotFoundError) as caught:
        await api(lambda c: c.payments.with_raw_response.status("INV-2"))
    assert caught.value.request_id == "req-404"


async def test_raw_reconcile_keeps_the_recovered_result(api: Api, respx_mock: Any) -> None:
    respx_mock.post(STATUS_URL).mock(return_value=httpx.Response(400, json=refusal("ERRPLT40032")))

    raw = await api(lambda c: c.payments.with_raw_response.reconcile("INV-9"))

    assert raw.status_code == 400
    assert raw.parse().outcome is prakerja.ReconcileOutcome.NOT_PAID


@pytest.mark.parametrize("client_kind", ["sync", "async"])
async def test_with_options_changes_retries_only_on_the_copy(
    client_kind: str, respx_mock: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(STATUS_URL).mock(return_value=httpx.Response(503, json=UNAVAILABLE))
    client = make_client(client_kind)
    api, no_retry, one_retry = Api(client), Api(client.with_options(retry=prakerja.NO_RETRY)), None
    one_retry = Api(client.with_options(max_retries=1))
    try:
        for which, calls in ((no_retry, 1), (one_retry, 2), (api, 3)):
            route.reset()
            with pytest.raises(errors.ServiceUnavailableError):
                await which(lambda c: c.payments.status("INV-1"))
            assert route.call_count == calls
        assert client.retry.max_retries == 2
        assert one_retry.client.retry == prakerja.RetryPolicy(max_retries=1, initial_delay=0.0, max_delay=0.0)
        # a copy shares the connection pool; closing it leaves the original usable
        assert no_retry.client._http is client._http
        await no_retry.close()
        route.mock(return_value=httpx.Response(200, json=PAID))
        assert (await api(lambda c: c.payments.status("INV-1"))).transaction_code == "TRX-1"
    finally:
        await api.close()


@pytest.mark.parametrize("client_kind", ["sync", "async"])
async def test_with_options_timeout_applies_to_each_request_of_the_copy(
    client_kind: str, respx_mock: Any
) -> None:
    route = respx_mock.post(STATUS_URL).mock(return_value=httpx.Response(200, json=PAID))
    api = Api(make_client(client_kind))
    try:
        await Api(api.client.with_options(timeout=2))(lambda c: c.payments.status("INV-1"))
        await api(lambda c: c.payments.status("INV-1"))
    finally:
        await api.close()

    short, default = (call.request.extensions["timeout"] for call in route.calls)
    assert short == {"connect": 2, "read": 2, "write": 2, "pool": 2}
    assert default == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}


@pytest.fixture(scope="module")
def local_client() -> Iterator[prakerja.PrakerjaClient]:
    with prakerja.PrakerjaClient(client_code="SBX-DP-X", sign_key="k", base_url="local") as client:
        yield client


@settings(deadline=None)
@given(value=st.integers(max_value=-1) | st.booleans() | st.floats() | st.text(max_size=3))
def test_with_options_refuses_a_max_retries_that_is_not_a_count(
    local_client: prakerja.PrakerjaClient, value: Any
) -> None:
    with pytest.raises(prakerja.ConfigurationError, match="max_retries"):
        local_client.with_options(max_retries=value)


def test_with_options_refuses_a_retry_that_is_not_a_policy() -> None:
    with (
        prakerja.PrakerjaClient(client_code="SBX-DP-X", sign_key="k", base_url="local") as client,
        pytest.raises(prakerja.ConfigurationError, match="NO_RETRY"),
    ):
        client.with_options(retry=3)  # type: ignore[arg-type]


def test_raw_methods_show_their_real_signature_and_return_type() -> None:
    import inspect

    with prakerja.PrakerjaClient(client_code="SBX-DP-X", sign_key="k", base_url="local") as client:
        plain = inspect.signature(client.payments.status)
        raw = inspect.signature(client.payments.with_raw_response.status)

    assert list(raw.parameters) == list(plain.parameters) == ["invoice_code"]
    assert str(raw.return_annotation) == f"RawResponse[{plain.return_annotation}]"


async def test_each_answer_is_logged_with_structured_fields(
    api: Api, respx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    respx_mock.post(STATUS_URL).mock(
        return_value=httpx.Response(400, json=refusal("ERRPLT40032"), headers={"X-Request-Id": "req-9"})
    )

    with caplog.at_level(logging.DEBUG, logger="prakerja"), pytest.raises(errors.InvoiceNotFoundError):
        await api(lambda c: c.payments.status("INV-1"))

    (record,) = [r for r in caplog.records if getattr(r, "status_code", None) is not None]
    fields = tuple(vars(record)[name] for name in ("operation", "code", "status_code", "request_id"))
    assert fields == ("payments.status", "ERRPLT40032", 400, "req-9")
    assert hasattr(record, "duration_ms")
