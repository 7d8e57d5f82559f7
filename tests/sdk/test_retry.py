"""Retries: only transient failures, only on calls safe to repeat, with capped backoff, jitter and Retry-After."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import prakerja
from prakerja import errors
from prakerja._retry import NO_RETRY, RetryPolicy, retry_after_seconds

from .conftest import BASE, Api, make_client, refusal

pytestmark = pytest.mark.anyio

STATUS_URL = f"{BASE}/api/v1/integration/payment/status"
AUTHORIZE_URL = f"{BASE}/api/v1/integration/payment/authorize"
PAID = {
    "success": True,
    "message": "OK",
    "data": {
        "created_at": "2020-03-18T20:23:45Z",
        "invoice_code": "INV-1",
        "transaction_code": "TRX-1",
        "amount": 20000,
        "status": "SUCCESS",
        "prakerja_name": "arief budiman",
    },
}
UNAVAILABLE = refusal("ERRPLT50301", "Layanan sedang tidak tersedia.")


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the clients asked for, instead of waiting."""
    recorded: list[float] = []

    async def async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("prakerja._client.time.sleep", recorded.append)
    monkeypatch.setattr("anyio.sleep", async_sleep)  # the async client looks it up when it waits
    return recorded


def _error(status: int, body: dict[str, Any] | None = None, **headers: str) -> errors.PrakerjaError:
    response = httpx.Response(
        status, json=body or {}, headers=headers, request=httpx.Request("POST", STATUS_URL)
    )
    code = (body or {}).get("code", "ERRPLT50301")
    return errors.api_error(code=code, status_code=status, message="", response=response)


def _delay(
    policy: RetryPolicy, error: errors.PrakerjaError, *, safe: bool = True, retry: int = 1
) -> float | None:
    return policy.delay_after(
        error, operation="payments.status", retry_safe=safe, retry=retry, random=lambda: 0.0
    )


def test_backoff_doubles_from_the_initial_delay_up_to_the_cap() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=3.0, jitter=0.0)

    assert [policy.backoff(n, random=0.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@given(retry=st.integers(1, 30), random=st.floats(0, 1, exclude_max=True), jitter=st.floats(0, 1))
def test_jitter_only_ever_shortens_the_wait_by_its_fraction(retry: int, random: float, jitter: float) -> None:
    policy = RetryPolicy(initial_delay=0.25, max_delay=10.0, jitter=jitter)
    ceiling = min(10.0, 0.25 * 2 ** (retry - 1))

    delay = policy.backoff(retry, random=random)

    assert ceiling * (1 - jitter) - 1e-9 <= delay <= ceiling


def test_a_retryable_code_on_a_safe_call_is_retried_after_the_backoff() -> None:
    assert _delay(RetryPolicy(initial_delay=0.5), _error(503, UNAVAILABLE)) == 0.5


def test_a_refusal_that_is_not_transient_is_not_retried() -> None:
    assert _delay(RetryPolicy(), _error(400, refusal("ERRPLT40032"))) is None


def test_a_call_that_is_not_safe_to_repeat_is_not_retried() -> None:
    assert _delay(RetryPolicy(), _error(503, UNAVAILABLE), safe=False) is None


def test_retries_stop_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2)

    assert _delay(policy, _error(503, UNAVAILABLE), retry=2) is not None
    assert _delay(policy, _error(503, UNAVAILABLE), retry=3) is None


def test_retry_after_in_seconds_wins_over_the_backoff() -> None:
    assert (
        _delay(RetryPolicy(initial_delay=0.5), _error(429, refusal("ERRPLT42901"), **{"Retry-After": "7"}))
        == 7.0
    )


def test_a_retry_after_longer_than_allowed_ends_the_retries() -> None:
    policy = RetryPolicy(max_retry_after=30)

    assert _delay(policy, _error(503, UNAVAILABLE, **{"Retry-After": "120"})) is None


def test_retry_after_may_be_an_http_date() -> None:
    response = httpx.Response(503, headers={"Retry-After": "Thu, 26 Oct 2023 03:00:30 GMT"})

    assert retry_after_seconds(response, now=datetime(2023, 10, 26, 3, 0, 0, tzinfo=UTC)) == 30.0


@pytest.mark.parametrize("value", ["", "soon", "-5", "1.5"])
def test_an_unreadable_retry_after_is_ignored(value: str) -> None:
    assert retry_after_seconds(httpx.Response(503, headers={"Retry-After": value})) is None


def test_transport_failures_and_gateway_pages_are_transient() -> None:
    timeout = errors.PrakerjaTimeoutError(message="timed out")
    gateway = errors.UnexpectedResponseError(message="html", status_code=504)
    odd = errors.UnexpectedResponseError(message="html", status_code=200)

    assert _delay(RetryPolicy(), timeout) is not None
    assert _delay(RetryPolicy(), gateway) is not None
    assert _delay(RetryPolicy(), odd) is None


def test_each_decision_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        _delay(RetryPolicy(initial_delay=0.5), _error(503, UNAVAILABLE))
        _delay(RetryPolicy(), _error(503, UNAVAILABLE), safe=False)

    assert [r.levelno for r in caplog.records] == [logging.INFO, logging.DEBUG]  # a retry shows at INFO
    retry = caplog.records[0]
    fields = tuple(vars(retry)[name] for name in ("operation", "code", "attempt", "delay"))
    assert fields == ("payments.status", "ERRPLT50301", 2, 0.5)  # structured extra on the record
    assert (
        "retrying payments.status after ERRPLT50301 (HTTP 503): retry 1 of 2 in 0.50s" in caplog.messages[0]
    )
    assert (
        "not retrying payments.status after ERRPLT50301 (HTTP 503): the call is not safe"
        in caplog.messages[1]
    )


@pytest.mark.parametrize("bad", [{"max_retries": -1}, {"initial_delay": -0.1}, {"jitter": 1.5}])
def test_a_policy_refuses_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - attrs validators say which field
        RetryPolicy(**bad)  # type: ignore[arg-type]


async def test_a_status_read_is_retried_until_it_succeeds(
    api: Api, respx_mock: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(STATUS_URL).mock(
        side_effect=[httpx.Response(503, json=UNAVAILABLE), httpx.Response(200, json=PAID)]
    )

    record = await api(lambda c: c.payments.status("INV-1"))

    assert record.transaction_code == "TRX-1"
    assert route.call_count == 2
    assert len(sleeps) == 1


async def test_retry_after_is_honoured_by_the_clients(api: Api, respx_mock: Any, sleeps: list[float]) -> None:
    respx_mock.post(STATUS_URL).mock(
        side_effect=[
            httpx.Response(429, json=refusal("ERRPLT42901"), headers={"Retry-After": "3"}),
            httpx.Response(200, json=PAID),
        ]
    )

    await api(lambda c: c.payments.status("INV-1"))

    assert sleeps == [3.0]


async def test_a_read_that_keeps_failing_raises_after_the_last_retry(
    api: Api, respx_mock: Any, sleeps: list[float]
) -> None:
    route = respx_mock.post(STATUS_URL).respond(503, json=UNAVAILABLE)

    with pytest.raises(errors.ServiceUnavailableError):
        await api(lambda c: c.payments.status("INV-1"))

    assert route.call_count == 3  # the call and its two retries
    assert len(sleeps) == 2


async def test_a_timed_out_read_is_retried(api: Api, respx_mock: Any, sleeps: list[float]) -> None:
    route = respx_mock.post(STATUS_URL).mock(
        side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=PAID)]
    )

    await api(lambda c: c.payments.status("INV-1"))

    assert route.call_count == 2


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503, json=UNAVAILABLE),
        httpx.Response(502, text="<html>Bad Gateway</html>"),
        httpx.ReadTimeout("lost"),
    ],
    ids=["503", "gateway-page", "timeout"],
)
async def test_authorize_is_never_retried(
    api: Api, respx_mock: Any, sleeps: list[float], failure: Any
) -> None:
    route = respx_mock.post(AUTHORIZE_URL).mock(side_effect=[failure])

    with pytest.raises(prakerja.PrakerjaError):
        await api(
            lambda c: c.payments.authorize(
                "pt_1", otp="123456", invoice_code="INV-1", invoice_url="https://dp.example/invoice/INV-1"
            )
        )

    assert route.call_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        ("/payment/void", lambda c: c.payments.void(invoice_code="INV-1", transaction_code="TRX-1")),
        ("/payment/redeem-code/reset", lambda c: c.attendance.reset("PRAT-TC1001")),
        (
            "/tpm/submission",
            lambda c: c.tpm.submit_assignment(
                "PRAT-TC1001", scope="tpm", sequence=1, url_file="https://lp.example/f.md"
            ),
        ),
        (
            "/tpm/feedback/submission",
            lambda c: c.tpm.submit_feedback("PRAT-TC1001", scope="tpm", sequence=1, notes="ok"),
        ),
    ],
    ids=["void", "reset", "assignment", "feedback"],
)
async def test_writes_are_never_retried(
    api: Api, respx_mock: Any, sleeps: list[float], path: str, operation: Any
) -> None:
    route = respx_mock.post(f"{BASE}/api/v1/integration{path}").respond(503, json=UNAVAILABLE)

    # A coded 5xx on a call that changes state leaves its outcome unknown: a ServerError that says so.
    with pytest.raises(errors.OutcomeUnknownServerError) as raised:
        await api(operation)

    assert route.call_count == 1
    assert isinstance(raised.value, errors.ServerError)
    assert raised.value.code == "ERRPLT50301"
    assert not raised.value.safe_to_retry


async def test_no_retry_makes_one_attempt(client_kind: str, respx_mock: Any, sleeps: list[float]) -> None:
    route = respx_mock.post(STATUS_URL).respond(503, json=UNAVAILABLE)
    api = Api(make_client(client_kind, retry=NO_RETRY))

    with pytest.raises(errors.ServiceUnavailableError):
        await api(lambda c: c.payments.status("INV-1"))
    await api.close()

    assert route.call_count == 1
