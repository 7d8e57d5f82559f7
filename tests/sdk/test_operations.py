"""Every operation, sync and async: the request on the wire (URL, headers, body bytes, signature) and the model
parsed from the answer, both taken from the contract's own examples."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import attrs
import httpx
import pytest
from attrs import AttrsInstance

import prakerja
from prakerja._operations import OPERATIONS
from prakerja.signing import compact_json, sign

from .conftest import BASE, CLIENT_CODE, NOW, SIGN_KEY, SSO_BASE, Api, sent_json
from .operations import ACCESS_TOKEN, API_OPERATIONS, CALLS, PAYMENT_TOKEN, request_examples, response_example

pytestmark = pytest.mark.anyio


class Result(AttrsInstance, Protocol):
    """What every answer model carries: its fields, the ones the contract does not name, the data as received."""

    @property
    def extra(self) -> Mapping[str, Any]: ...
    @property
    def raw_data(self) -> Any: ...


EXAMPLES = [(op, name) for op in API_OPERATIONS for name in request_examples(op)]
EXPECTED_RESULT: dict[str, type[Result]] = {
    "payments.send_otp": prakerja.OtpSent,
    "payments.authorize": prakerja.PaymentAuthorized,
    "payments.status": prakerja.PaymentRecord,
    "payments.quota": prakerja.Quota,
    "payments.void": prakerja.PaymentVoided,
    "attendance.generate_url": prakerja.AttendanceUrl,
    "attendance.status": prakerja.RedeemCodeRecord,
    "attendance.reset": prakerja.RedeemCodeRecord,
    "attendance.commit": prakerja.RedeemCodeRecord,
    "tpm.submit_assignment": prakerja.AssignmentSubmission,
    "tpm.submit_feedback": prakerja.FeedbackSubmission,
    "tpm.submission_status": prakerja.TpmSubmissions,
    "sso.login_url": prakerja.LoginUrl,
    "sso.create_token": prakerja.Token,
    "sso.refresh_token": prakerja.Token,
    "sso.profile": prakerja.Profile,
}


def _route(respx_mock: Any, operation_id: str, answer: dict[str, Any]) -> Any:
    spec = OPERATIONS[operation_id]
    host = httpx.URL(BASE if spec.server == "integration" else SSO_BASE).host
    return respx_mock.route(method=spec.method, host=host, path=spec.path).respond(200, json=answer)


async def _call(api: Api, operation_id: str, fields: dict[str, Any]) -> Any:
    if operation_id == "attendance.commit":
        with pytest.warns(DeprecationWarning, match="legacy redeem"):
            return await api(lambda c: CALLS[operation_id](c, fields))
    return await api(lambda c: CALLS[operation_id](c, fields))


def assert_model_matches(model: Any, data: dict[str, Any]) -> None:
    """Every field of ``data`` landed in the model's field of the same name, converted, none in ``extra``."""
    assert model.extra == {}
    for key, value in data.items():
        field = getattr(model, key)
        if isinstance(value, dict):
            assert_model_matches(field, value)
        elif isinstance(field, datetime):
            assert field == datetime.fromisoformat(value)
        else:
            assert field == value, key


@pytest.mark.parametrize(("operation_id", "example"), EXAMPLES, ids=[f"{op}-{name}" for op, name in EXAMPLES])
async def test_the_request_carries_the_documented_body_bytes_and_a_valid_signature(
    api: Api, respx_mock: Any, operation_id: str, example: str
) -> None:
    fields = request_examples(operation_id)[example]
    route = _route(respx_mock, operation_id, response_example(operation_id))

    await _call(api, operation_id, fields)

    request: httpx.Request = route.calls.last.request
    spec = OPERATIONS[operation_id]
    names = (
        ("client_code", "signature", "timestamp")
        if spec.signing == "integration"
        else ("X-Client-Id", "X-Signature", "X-Timestamp")
    )
    client_header, signature_header, timestamp_header = names
    assert request.headers[client_header] == CLIENT_CODE
    assert request.headers[timestamp_header] == str(NOW)
    expected = sign(
        sign_key=SIGN_KEY,
        client_code=CLIENT_CODE,
        timestamp=NOW,
        method=spec.method,
        path=request.url.raw_path,
        body=request.content,
    )
    assert request.headers[signature_header] == expected
    if spec.method == "POST":
        if (
            operation_id == "attendance.status"
        ):  # sequence omitted is sent as 1, which the Status page requires
            fields = {**fields, "sequence": fields.get("sequence", 1)}
        assert request.content == compact_json(fields)  # same bytes, same key order as the documented curl
        assert request.headers["content-type"] == "application/json"
    else:
        assert request.content == b""
    assert request.headers["accept"] == "application/json"


async def test_authorize_sends_the_payment_token_unsigned_in_authorization(api: Api, respx_mock: Any) -> None:
    fields = request_examples("payments.authorize")["default"]
    route = _route(respx_mock, "payments.authorize", response_example("payments.authorize"))

    await api(lambda c: CALLS["payments.authorize"](c, fields))

    request = route.calls.last.request
    assert request.headers["authorization"] == f"Payment {PAYMENT_TOKEN}"
    unsigned = sign(
        sign_key=SIGN_KEY,
        client_code=CLIENT_CODE,
        timestamp=NOW,
        method="POST",
        path="/api/v1/integration/payment/authorize",
        body=request.content,
    )
    assert request.headers["signature"] == unsigned


async def test_profile_sends_the_bare_access_token(api: Api, respx_mock: Any) -> None:
    route = _route(respx_mock, "sso.profile", response_example("sso.profile"))

    await api(lambda c: c.sso.profile(ACCESS_TOKEN))

    assert route.calls.last.request.headers["authorization"] == ACCESS_TOKEN


@pytest.mark.parametrize(
    "operation_id", [op for op in API_OPERATIONS if op not in {"payments.authorize", "sso.profile"}]
)
async def test_other_operations_send_no_authorization_header(
    api: Api, respx_mock: Any, operation_id: str
) -> None:
    route = _route(respx_mock, operation_id, response_example(operation_id))

    await _call(api, operation_id, request_examples(operation_id)["default"])

    assert "authorization" not in route.calls.last.request.headers


async def test_the_login_url_query_is_signed_as_sent_in_the_documented_order(
    api: Api, respx_mock: Any
) -> None:
    route = _route(respx_mock, "sso.login_url", response_example("sso.login_url"))

    await api(
        lambda c: c.sso.login_url(
            state="STATE-123456",
            redirect_uri="https://sso-demo.prakerja.go.id/createtoken",
            login_uri="https://sso-demo.prakerja.go.id/login",
        )
    )

    request = route.calls.last.request
    assert request.url.raw_path == (
        b"/api/v1/oauth/authorize?state=STATE-123456&scope=name%20email%20prakerjaid%20notelp"
        b"&client_id=SBX-LP-CIPTAKREASI&redirect_uri=https%3A%2F%2Fsso-demo.prakerja.go.id%2Fcreatetoken"
        b"&login_uri=https%3A%2F%2Fsso-demo.prakerja.go.id%2Flogin"
    )
    expected = sign(
        sign_key=SIGN_KEY, client_code=CLIENT_CODE, timestamp=NOW, method="GET", path=request.url.raw_path
    )
    assert request.headers["x-signature"] == expected


@pytest.mark.parametrize("operation_id", API_OPERATIONS)
async def test_the_documented_answer_parses_into_the_operations_model(
    api: Api, respx_mock: Any, operation_id: str
) -> None:
    answer = response_example(operation_id)
    _route(respx_mock, operation_id, answer)

    result = await _call(api, operation_id, request_examples(operation_id)["default"])

    assert type(result) is EXPECTED_RESULT[operation_id]
    assert attrs.has(type(result))
    assert_model_matches(result, answer.get("data") or {})


async def test_a_voided_payment_reads_as_void(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.status", response_example("payments.status", "voided"))

    record = await api(lambda c: c.payments.status("TOKPED-XB9C89BXBJL7X"))

    assert record.status is prakerja.PaymentStatus.VOID


async def test_unknown_response_fields_are_kept_in_extra(api: Api, respx_mock: Any) -> None:
    answer = response_example("attendance.status")
    answer["data"] = {**answer["data"], "verified_by": "face-match", "session_room": {"id": 7}}
    _route(respx_mock, "attendance.status", answer)

    status = await api(lambda c: c.attendance.status("GHOPNYXUVMT0", sequence=1))

    assert status.extra == {"verified_by": "face-match", "session_room": {"id": 7}}
    assert status.redeem_code == "GHOPNYXUVMT0"


async def test_sequence_is_sent_as_1_when_not_given_and_as_a_number_when_given(
    api: Api, respx_mock: Any
) -> None:
    route = _route(respx_mock, "attendance.status", response_example("attendance.status"))

    await api(lambda c: c.attendance.status("GHOPNYXUVMT0"))
    await api(lambda c: c.attendance.status("GHOPNYXUVMT0", sequence=prakerja.AttendanceSequence.POST_TEST))

    first, second = (call.request for call in route.calls)
    assert first.content == b'{"redeem_code":"GHOPNYXUVMT0","sequence":1}'  # the Status page requires it
    assert second.content == b'{"redeem_code":"GHOPNYXUVMT0","sequence":999}'


async def test_feedback_without_a_file_leaves_url_file_out(api: Api, respx_mock: Any) -> None:
    route = _route(respx_mock, "tpm.submit_feedback", response_example("tpm.submit_feedback"))

    await api(
        lambda c: c.tpm.submit_feedback("PRAT-UJ0EEQ", scope="uk", sequence=999, notes="Bagus sekali ✓")
    )

    assert route.calls.last.request.content == (
        '{"redeem_code":"PRAT-UJ0EEQ","scope":"uk","sequence":999,"notes":"Bagus sekali ✓"}'.encode()
    )
    assert sent_json(route.calls.last.request)["scope"] == "uk"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("SUCCESS", prakerja.ReconcileOutcome.PAID), ("VOID", prakerja.ReconcileOutcome.VOIDED)],
)
async def test_reconcile_reads_payment_status(
    api: Api, respx_mock: Any, status: str, outcome: prakerja.ReconcileOutcome
) -> None:
    answer = response_example("payments.status")
    answer["data"] = {**answer["data"], "status": status}
    route = _route(respx_mock, "payments.status", answer)

    result = await api(lambda c: c.payments.reconcile("TOKPED-XB9C89BXBJL7X"))

    assert sent_json(route.calls.last.request) == {"invoice_code": "TOKPED-XB9C89BXBJL7X"}
    assert result.outcome is outcome
    assert result.paid is (outcome is prakerja.ReconcileOutcome.PAID)
    assert result.payment is not None
    assert result.payment.invoice_code == "TOKPED-XB9C89BXBJL7X"


async def test_reconcile_reads_an_unknown_invoice_as_not_paid(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.status", {}).respond(
        400, json={"success": False, "code": "ERRPLT40032", "message": "Invoice tidak ditemukan."}
    )

    result = await api(lambda c: c.payments.reconcile("TOKPED-NEVER-PAID"))

    assert result == prakerja.PaymentReconciliation(
        invoice_code="TOKPED-NEVER-PAID", outcome=prakerja.ReconcileOutcome.NOT_PAID
    )
    assert not result.paid


async def test_reconcile_raises_other_refusals(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "payments.status", {}).respond(
        403, json={"success": False, "code": "ERRPLT40301", "message": "Partner tidak memiliki akses."}
    )

    with pytest.raises(prakerja.errors.OperationNotPermittedError):
        await api(lambda c: c.payments.reconcile("TOKPED-1"))


async def test_the_consent_url_is_built_locally_as_documented(api: Api) -> None:
    url = api.client.sso.consent_url(
        state="STATE-123456",
        redirect_uri="https://sso-demo.prakerja.go.id/createtoken",
        login_uri="https://sso-demo.prakerja.go.id/login",
        client_name="PrakerjaOauth",
        scope=[prakerja.SsoScope.NAME, "email"],
    )

    assert url == (
        "https://oauth.prakerja.go.id/consent-sso?scope=name%20email&state=STATE-123456"
        "&redirect_uri=https%3A%2F%2Fsso-demo.prakerja.go.id%2Fcreatetoken"
        "&login_uri=https%3A%2F%2Fsso-demo.prakerja.go.id%2Flogin&client_id=SBX-LP-CIPTAKREASI"
        "&client_name=PrakerjaOauth"
    )


async def test_the_token_says_when_it_expires(api: Api, respx_mock: Any) -> None:
    _route(respx_mock, "sso.create_token", response_example("sso.create_token"))

    token = await api(lambda c: c.sso.create_token("9b2f6c1e4d7a4f0e8c3b5a6d7e8f9012"))

    assert token.expires_at == datetime(2023, 10, 26, 4, 0, 16, tzinfo=UTC)
    assert "at_0d9c8b7a6f5e4d3c2b1a" not in repr(token)


@pytest.mark.parametrize(
    ("expires_in", "expected"),
    [
        (1698292816, datetime(2023, 10, 26, 4, 0, 16, tzinfo=UTC)),  # a number, read as text by the reader
        (None, None),
        ("soon", None),
        ("9" * 40, None),  # beyond any datetime
        ([1698292816], None),
    ],
    ids=["number", "null", "not-a-number", "out-of-range", "list"],
)
async def test_a_token_without_readable_expiry_says_none_and_never_raises(
    api: Api, respx_mock: Any, expires_in: Any, expected: datetime | None
) -> None:
    answer = response_example("sso.create_token")
    answer["data"] = {**answer["data"], "expires_in": expires_in}
    _route(respx_mock, "sso.create_token", answer)

    token = await api(lambda c: c.sso.create_token("9b2f6c1e4d7a4f0e8c3b5a6d7e8f9012"))

    assert token.expires_at == expected
    assert token.access_token == answer["data"]["access_token"]
