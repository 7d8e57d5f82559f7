"""Client construction: credentials, environments, timeouts, transports and lifecycle."""

from __future__ import annotations

import inspect
import time
from typing import Any

import httpx
import pytest

import prakerja
from prakerja.environments import Environment, resolve_environment
from prakerja.errors import InputWarning

from .conftest import CLIENT_CODE, SIGN_KEY, Api, make_client
from .operations import response_example

pytestmark = pytest.mark.anyio

STATUS_ANSWER = response_example("attendance.status")


class Recorder:
    """A MockTransport handler that answers attendance status and remembers what it saw."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=STATUS_ANSWER)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRAKERJA_CLIENT_CODE", "PRAKERJA_SIGN_KEY", "PRAKERJA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_credentials_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRAKERJA_CLIENT_CODE", CLIENT_CODE)
    monkeypatch.setenv("PRAKERJA_SIGN_KEY", SIGN_KEY)
    monkeypatch.setenv("PRAKERJA_BASE_URL", "local")
    recorder = Recorder()

    with prakerja.PrakerjaClient(transport=httpx.MockTransport(recorder)) as client:
        client.attendance.status("GHOPNYXUVMT0")

    request = recorder.requests[0]
    assert str(request.url) == "http://127.0.0.1:5000/api/v1/integration/payment/redeem-code/status"
    assert request.headers["client_code"] == CLIENT_CODE
    assert client.environment is prakerja.LOCAL


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRAKERJA_CLIENT_CODE", "SBX-OTHER")
    monkeypatch.setenv("PRAKERJA_BASE_URL", "sandbox")

    client = prakerja.PrakerjaClient(client_code=CLIENT_CODE, sign_key=SIGN_KEY, base_url="production")

    assert client.client_code == CLIENT_CODE
    assert client.environment is prakerja.PRODUCTION
    client.close()


def test_a_client_code_outside_the_inferred_pattern_only_warns() -> None:
    # Client codes are issued by Prakerja; their characters are not documented.
    with pytest.warns(InputWarning, match="client_code: 'SBX LP' is not"):
        client = prakerja.PrakerjaClient(client_code="SBX LP", sign_key=SIGN_KEY)

    assert client.client_code == "SBX LP"
    client.close()


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"sign_key": SIGN_KEY}, "PRAKERJA_CLIENT_CODE"),
        ({"client_code": CLIENT_CODE}, "PRAKERJA_SIGN_KEY"),
        ({"client_code": "SBX\nLP", "sign_key": SIGN_KEY}, "client_code"),
        (
            {"client_code": CLIENT_CODE, "sign_key": SIGN_KEY, "base_url": "staging"},
            "neither a URL nor a preset",
        ),
        ({"client_code": CLIENT_CODE, "sign_key": SIGN_KEY, "base_url": "ftp://x.example"}, "http"),
        ({"client_code": CLIENT_CODE, "sign_key": SIGN_KEY, "retry": 3}, "RetryPolicy"),
    ],
)
def test_unusable_settings_are_refused_clearly(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(prakerja.ConfigurationError, match=message):
        prakerja.PrakerjaClient(**arguments)


def test_the_default_environment_is_production(no_env: None) -> None:
    client = prakerja.PrakerjaClient(client_code=CLIENT_CODE, sign_key=SIGN_KEY)

    assert client.environment is prakerja.PRODUCTION
    client.close()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("production", prakerja.PRODUCTION),
        ("sandbox", prakerja.SANDBOX),
        ("Local", prakerja.LOCAL),
        ("http://127.0.0.1:8080/", Environment.single_host("http://127.0.0.1:8080")),
        (prakerja.SANDBOX, prakerja.SANDBOX),
    ],
)
def test_base_url_takes_a_preset_a_url_or_an_environment(value: Any, expected: Environment) -> None:
    assert resolve_environment(value) == expected


def test_production_splits_the_three_hosts() -> None:
    assert prakerja.PRODUCTION.url("integration") == "https://api.prakerja.go.id"
    assert prakerja.PRODUCTION.url("sso") == "https://api-proxy.prakerja.go.id"
    assert prakerja.PRODUCTION.url("oauth") == "https://oauth.prakerja.go.id"
    assert {prakerja.SANDBOX.url(s) for s in ("integration", "sso", "oauth")} == {
        "https://api-ssn.prakerja.go.id"
    }


def test_transport_and_http_client_are_exclusive() -> None:
    with pytest.raises(prakerja.ConfigurationError, match="not both"):
        prakerja.PrakerjaClient(
            client_code=CLIENT_CODE,
            sign_key=SIGN_KEY,
            transport=httpx.MockTransport(Recorder()),
            http_client=httpx.Client(),
        )


def test_every_call_goes_through_one_reused_http_client() -> None:
    recorder = Recorder()
    transport = httpx.MockTransport(recorder)

    with prakerja.PrakerjaClient(client_code=CLIENT_CODE, sign_key=SIGN_KEY, transport=transport) as client:
        http = client._http
        for _ in range(3):
            client.attendance.status("GHOPNYXUVMT0")
        client.attendance.reset("PRAT-TC1001")

    assert len(recorder.requests) == 4
    assert http.is_closed


def test_a_given_http_client_is_used_and_left_open() -> None:
    recorder = Recorder()
    seen: list[str] = []
    http = httpx.Client(
        transport=httpx.MockTransport(recorder),
        timeout=7.0,
        event_hooks={"request": [lambda request: seen.append(request.url.path)]},
    )

    with prakerja.PrakerjaClient(client_code=CLIENT_CODE, sign_key=SIGN_KEY, http_client=http) as client:
        client.attendance.status("GHOPNYXUVMT0")

    request = recorder.requests[0]
    assert seen == ["/api/v1/integration/payment/redeem-code/status"]
    assert request.headers["user-agent"].startswith("prakerja-python/")
    assert request.headers["accept"] == "application/json"
    assert request.extensions["timeout"]["read"] == 7.0  # the caller's client keeps its own timeout
    assert not http.is_closed
    http.close()


@pytest.mark.parametrize(
    ("timeout", "read", "connect"),
    [(prakerja._config.NOT_GIVEN, 30.0, 5.0), (2.5, 2.5, 2.5), (httpx.Timeout(10, connect=1), 10.0, 1.0)],
)
def test_the_timeout_reaches_every_request(timeout: Any, read: float, connect: float) -> None:
    recorder = Recorder()

    with prakerja.PrakerjaClient(
        client_code=CLIENT_CODE, sign_key=SIGN_KEY, transport=httpx.MockTransport(recorder), timeout=timeout
    ) as client:
        client.attendance.status("GHOPNYXUVMT0")

    assert recorder.requests[0].extensions["timeout"]["read"] == read
    assert recorder.requests[0].extensions["timeout"]["connect"] == connect


def test_the_timestamp_is_the_current_unix_second_by_default() -> None:
    recorder = Recorder()

    with prakerja.PrakerjaClient(
        client_code=CLIENT_CODE, sign_key=SIGN_KEY, transport=httpx.MockTransport(recorder)
    ) as client:
        before = int(time.time())
        client.attendance.status("GHOPNYXUVMT0")
        after = int(time.time())

    assert before <= int(recorder.requests[0].headers["timestamp"]) <= after


async def test_the_async_client_is_an_async_context_manager() -> None:
    recorder = Recorder()

    async with prakerja.AsyncPrakerjaClient(
        client_code=CLIENT_CODE, sign_key=SIGN_KEY, transport=httpx.MockTransport(recorder)
    ) as client:
        status = await client.attendance.status("GHOPNYXUVMT0")
        http = client._http

    assert status.redeem_code == "GHOPNYXUVMT0"
    assert http.is_closed


async def test_a_given_async_http_client_is_left_open() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(Recorder()))

    async with prakerja.AsyncPrakerjaClient(
        client_code=CLIENT_CODE, sign_key=SIGN_KEY, http_client=http
    ) as client:
        await client.attendance.status("GHOPNYXUVMT0")

    assert not http.is_closed
    await http.aclose()


async def test_sync_and_async_clients_offer_the_same_methods_with_the_same_arguments() -> None:
    sync, asynchronous = Api(make_client("sync")), Api(make_client("async"))
    for area in ("payments", "attendance", "tpm", "sso"):
        sync_area, async_area = getattr(sync.client, area), getattr(asynchronous.client, area)
        names = {name for name in dir(sync_area) if not name.startswith("_")}
        assert names == {name for name in dir(async_area) if not name.startswith("_")}, area
        raw = {name for name in dir(sync_area.with_raw_response) if not name.startswith("_")}
        assert raw == names - {"with_raw_response", "consent_url"}, area  # every API call, raw too
        for name in names - {"with_raw_response"}:
            sync_signature = inspect.signature(getattr(sync_area, name))
            async_signature = inspect.signature(getattr(async_area, name))
            assert sync_signature.parameters == async_signature.parameters, f"{area}.{name}"
    await sync.close()
    await asynchronous.close()


def test_methods_show_their_arguments_and_result_to_help() -> None:
    client = make_client("sync")

    assert str(inspect.signature(client.attendance.status)) == (
        "(redeem_code: 'str', *, sequence: 'AttendanceSequence | int | None' = None) -> 'RedeemCodeRecord'"
    )
    assert "redeem code" in (client.attendance.status.__doc__ or "")
    assert client.payments.void.__name__ == "void"
    client.close()
