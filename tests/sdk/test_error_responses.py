"""Refusals, odd answers and network failures become the SDK's errors, sync and async alike."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prakerja
from prakerja import errors
from prakerja._core import CallContext, parse_response
from prakerja._generated_errors import ERROR_CLASSES
from prakerja._operations import OPERATIONS
from prakerja.contract import ErrorEntry
from prakerja.environments import PRODUCTION
from prakerja.resources.attendance import _status

from .conftest import BASE, SSO_BASE, Api
from .operations import CALLS, CONTRACT, request_examples

pytestmark = pytest.mark.anyio

CATALOGUE = CONTRACT.errors


def _operation_for(entry: ErrorEntry) -> str:
    usable = [op for op in entry.operations if op in CALLS and op != "attendance.commit"]
    return usable[0] if usable else "payments.status"


def _route(respx_mock: Any, operation_id: str) -> Any:
    spec = OPERATIONS[operation_id]
    host = httpx.URL(BASE if spec.server == "integration" else SSO_BASE).host
    return respx_mock.route(method=spec.method, host=host, path=spec.path)


def _envelope(entry: ErrorEntry, operation_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "code": entry.code, "message": entry.message_id}
    if OPERATIONS[operation_id].server == "sso":
        body["errorCode"] = entry.code
    return body


@pytest.mark.parametrize("entry", CATALOGUE.values(), ids=list(CATALOGUE))
async def test_every_catalogue_code_raises_its_class(api: Api, respx_mock: Any, entry: ErrorEntry) -> None:
    operation_id = _operation_for(entry)
    route = _route(respx_mock, operation_id).respond(entry.http_status, json=_envelope(entry, operation_id))
    fields = request_examples(operation_id)["default"]

    with pytest.raises(ERROR_CLASSES[entry.code]) as raised:
        await api(lambda c: CALLS[operation_id](c, fields))

    error = raised.value
    assert (error.code, error.status_code, error.message) == (entry.code, entry.http_status, entry.message_id)
    assert error.request is not None
    assert error.request.url == route.calls.last.request.url
    assert error.request.content == route.calls.last.request.content
    assert error.response is not None
    assert error.response.status_code == entry.http_status


STATUS_CALL = _status(CallContext(client_code="SBX-LP-CIPTAKREASI", environment=PRODUCTION), "PRAT-TC1001")


@settings(deadline=None)
@given(
    code=st.sampled_from(sorted(CATALOGUE)),
    message=st.text(max_size=200),
    extra=st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k not in {"success", "code"}), st.integers()
    ),
)
def test_the_mapped_class_does_not_depend_on_the_message_or_extra_fields(
    code: str, message: str, extra: dict[str, Any]
) -> None:
    call = STATUS_CALL
    response = httpx.Response(
        CATALOGUE[code].http_status,
        json={**extra, "success": False, "code": code, "message": message},
        request=httpx.Request("POST", BASE + call.target),
    )

    with pytest.raises(ERROR_CLASSES[code]):
        parse_response(call, response)


async def test_an_sso_error_with_only_errorcode_is_still_mapped(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "sso.create_token").respond(
        400, json={"success": False, "errorCode": "ERROAUTH4031", "message": "Unauthorized"}
    )

    with pytest.raises(errors.OauthAuthCodeNotFoundError, match="ERROAUTH4031"):
        await api(lambda c: c.sso.create_token("XYZ"))


async def test_the_sandbox_debug_hints_ride_on_the_error(api: Api, respx_mock: Any) -> None:
    debug = {"expected_raw_signature": "SBX-LP...", "hint": "sign the bytes you send", "field": "signature"}
    _route(respx_mock, "attendance.status").respond(
        401,
        json={"success": False, "code": "ERRPLT40104", "message": "Signature tidak valid.", "debug": debug},
    )

    with pytest.raises(errors.SignatureInvalidError, match="Hint: sign the bytes you send") as raised:
        await api(lambda c: c.attendance.status("PRAT-TC1001"))

    assert raised.value.debug == debug


async def test_an_unknown_code_raises_its_family(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "attendance.status").respond(
        400, json={"success": False, "code": "ERRRDM40099", "message": "Kode baru."}
    )

    with pytest.raises(errors.AttendanceError) as raised:
        await api(lambda c: c.attendance.status("PRAT-TC1001"))

    assert type(raised.value) is errors.AttendanceError
    assert raised.value.code == "ERRRDM40099"


@pytest.mark.parametrize(
    ("status", "content", "content_type", "reason"),
    [
        (502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", "is not JSON"),
        (200, b"<html>maintenance</html>", "text/html", "is not JSON"),
        (200, b"[1, 2]", "application/json", "is a JSON list"),
        (500, b"{}", "application/json", "is not Prakerja's envelope"),
        (400, b'{"success": true, "message": "OK"}', "application/json", "is not Prakerja's envelope"),
        (404, b"", "text/plain", "is not JSON"),
    ],
)
async def test_an_answer_that_is_not_the_envelope_is_an_unexpected_response(
    api: Api, respx_mock: Any, status: int, content: bytes, content_type: str, reason: str
) -> None:
    _route(respx_mock, "attendance.reset").respond(
        status, content=content, headers={"Content-Type": content_type}
    )

    with pytest.raises(errors.UnexpectedResponseError, match=reason) as raised:
        await api(lambda c: c.attendance.reset("PRAT-TC1001"))

    assert raised.value.status_code == status
    assert raised.value.response is not None
    assert "attendance.reset" in str(raised.value)


async def test_a_gateway_page_is_quoted_in_the_error(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.void").respond(
        502, content=b"<html><body>Bad Gateway</body></html>", headers={"Content-Type": "text/html"}
    )

    with pytest.raises(errors.UnexpectedResponseError, match="Bad Gateway") as raised:
        await api(lambda c: c.payments.void(invoice_code="INV-1", transaction_code="TRX-1"))

    # A gateway status is a passing cause, but void changes state: the outcome is unknown, never retried.
    assert raised.value.cause_is_transient
    assert not raised.value.safe_to_retry
    assert isinstance(raised.value, errors.OutcomeUnknownError)
    assert raised.value.next_call == 'client.payments.status("INV-1")'


async def test_a_read_without_the_data_asked_for_names_the_field(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.quota").respond(
        200,
        json={
            "success": True,
            "message": "OK",
            "data": {"schedule_code": "S", "course_code": "C", "quota": "nine"},
        },
    )

    with pytest.raises(
        errors.UnexpectedResponseError,
        match=r"lacks data\.quota \(data\.quota: expected int, got string 'nine'",
    ):
        await api(lambda c: c.payments.quota(course_code="C", schedule_code="S"))


async def test_missing_data_is_an_unexpected_response_not_a_key_error(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.status").respond(200, json={"success": True, "message": "OK"})

    with pytest.raises(errors.UnexpectedResponseError, match=r"lacks data, data\.status") as raised:
        await api(lambda c: c.payments.status("INV-1"))

    assert not isinstance(raised.value, errors.OutcomeUnknownError)  # a read: nothing changed


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx.ConnectTimeout("connect timed out"), errors.PrakerjaTimeoutError),
        (httpx.ReadTimeout("read timed out"), errors.PrakerjaTimeoutError),
        (httpx.ConnectError("connection refused"), errors.PrakerjaConnectionError),
        (httpx.RemoteProtocolError("peer closed"), errors.PrakerjaConnectionError),
    ],
)
async def test_network_failures_are_transport_errors(
    api: Api, respx_mock: Any, failure: Exception, expected: type[errors.PrakerjaTransportError]
) -> None:
    route = _route(respx_mock, "attendance.generate_url").mock(side_effect=failure)

    with pytest.raises(expected, match=r"attendance\.generate_url: POST .*/oauth/url-generate") as raised:
        await api(
            lambda c: c.attendance.generate_url(
                "PRAT-TC1001", redirect_uri="https://lp.example/callback", email="siti@example.com"
            )
        )

    assert raised.value.request is not None
    assert isinstance(raised.value.__cause__, httpx.RequestError)
    assert route.call_count == 1  # generate_url is not repeated


async def test_every_sdk_error_is_a_prakerja_error(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.status").respond(
        400, json={"success": False, "code": "ERRPLT40032", "message": "x"}
    )

    with pytest.raises(prakerja.PrakerjaError):
        await api(lambda c: c.payments.status("INV-1"))
