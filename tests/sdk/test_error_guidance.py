"""Errors that guide: the family of an unknown code, outcome-unknown errors naming the next call, request ids,
``safe_to_retry`` from the operation and the cause, provenance, and pickling of every class."""

from __future__ import annotations

import pickle
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prakerja
from prakerja import errors
from prakerja._core import Call, CallContext, parse_response, transport_error
from prakerja._exceptions import PrakerjaError
from prakerja._operations import OPERATIONS
from prakerja._outcome import NEXT_STEPS
from prakerja._requests import RULES
from prakerja.environments import PRODUCTION

from .conftest import BASE, SSO_BASE, Api
from .operations import API_OPERATIONS, CALLS, CONTRACT, build_call, call_builder, request_examples

pytestmark = pytest.mark.anyio

BUILDER = call_builder(CallContext(client_code="SBX-DP-TOKOPEDIA", environment=PRODUCTION))
WRITES = sorted(op for op in API_OPERATIONS if not OPERATIONS[op].retry_safe)
READS = sorted(op for op in API_OPERATIONS if OPERATIONS[op].retry_safe)
FAMILY_OF_GROUP = {
    "payments.void": errors.VoidError,
    "payments": errors.PaymentError,
    "attendance": errors.AttendanceError,
    "tpm": errors.TpmError,
    "sso": errors.SsoError,
}


def _family(operation_id: str) -> type[errors.PrakerjaAPIError]:
    return FAMILY_OF_GROUP.get(operation_id) or FAMILY_OF_GROUP[operation_id.split(".")[0]]


def _call(operation_id: str, fields: dict[str, Any] | None = None) -> Call[Any]:
    return build_call(BUILDER, operation_id, fields or request_examples(operation_id)["default"])


def _response(call: Call[Any], status: int, **options: Any) -> httpx.Response:
    request = httpx.Request(call.method, PRODUCTION.url(call.server) + call.target, content=call.content)
    return httpx.Response(status, request=request, **options)


def _route(respx_mock: Any, operation_id: str) -> Any:
    spec = OPERATIONS[operation_id]
    host = httpx.URL(BASE if spec.server == "integration" else SSO_BASE).host
    return respx_mock.route(method=spec.method, host=host, path=spec.path)


# --- unknown codes -----------------------------------------------------------------------------------------


def test_every_operation_has_an_expected_family() -> None:
    assert {op for op in API_OPERATIONS if errors.operation_family(op) is None} == set()


@pytest.mark.parametrize("operation_id", API_OPERATIONS)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
async def test_an_unknown_code_raises_the_family_of_its_operation(
    api: Api, respx_mock: Any, operation_id: str, status: int
) -> None:
    _route(respx_mock, operation_id).respond(
        status, json={"success": False, "code": "ERRPLT40099", "message": "Kode baru."}
    )
    fields = request_examples(operation_id)["default"]

    with pytest.raises(errors.PrakerjaAPIError) as raised:
        await api(lambda c: CALLS[operation_id](c, fields))

    assert type(raised.value) is _family(operation_id)
    assert (raised.value.code, raised.value.operation) == ("ERRPLT40099", operation_id)
    assert not raised.value.safe_to_retry


@settings(deadline=None, max_examples=60)
@given(
    operation_id=st.sampled_from(API_OPERATIONS),
    code=st.from_regex(r"\AERR(PLT|VOD|RDM|TPM|OAUTH)[0-9]{4,5}\Z").filter(
        lambda code: code not in CONTRACT.errors
    ),
    status=st.integers(400, 599),
)
def test_any_unknown_code_maps_by_operation_then_by_status(operation_id: str, code: str, status: int) -> None:
    cls = errors.error_class(code, status, operation_id)

    if status == 429:
        assert cls is errors.RateLimitError
    elif status >= 500:
        assert cls is errors.ServerError
    else:
        assert cls is _family(operation_id)


def test_without_an_operation_an_errplt_code_is_not_mapped_by_its_prefix() -> None:
    # ERRPLT spans request, auth, payment, void and server codes: only the status can say more.
    assert errors.error_class("ERRPLT40099", 400) is errors.PrakerjaAPIError
    assert errors.error_class("ERRPLT40199", 401) is errors.AuthenticationError
    assert errors.error_class("ERRVOD40099", 400) is errors.VoidError


# --- outcome unknown ---------------------------------------------------------------------------------------


def _lost_answers(call: Call[Any]) -> dict[str, errors.PrakerjaError]:
    """The ways an answer gets lost, as the core turns them into errors."""
    request = httpx.Request(call.method, PRODUCTION.url(call.server) + call.target, content=call.content)
    html = {"content": b"<html>Bad Gateway</html>", "headers": {"Content-Type": "text/html"}}

    def raised(response: httpx.Response) -> errors.PrakerjaError:
        with pytest.raises(errors.PrakerjaError) as caught:
            parse_response(call, response)
        return caught.value

    return {
        "read timeout": transport_error(call, httpx.ReadTimeout("slow"), request),
        "dropped connection": transport_error(call, httpx.RemoteProtocolError("peer closed"), request),
        "gateway page": raised(_response(call, 502, **html)),
        "2xx page": raised(_response(call, 200, **html)),
        "coded 504": raised(
            _response(call, 504, json={"success": False, "code": "ERRPLT50401", "message": "Timeout."})
        ),
    }


KIND_CLASSES = {
    "read timeout": (errors.OutcomeUnknownTimeoutError, errors.PrakerjaTimeoutError),
    "dropped connection": (errors.OutcomeUnknownConnectionError, errors.PrakerjaConnectionError),
    "gateway page": (errors.OutcomeUnknownResponseError, errors.UnexpectedResponseError),
    "2xx page": (errors.OutcomeUnknownResponseError, errors.UnexpectedResponseError),
    "coded 504": (errors.OutcomeUnknownServerError, errors.ServerError),
}

EXPECTED_NEXT_CALL = {
    "payments.authorize": r'client\.payments\.reconcile\("{invoice_code}"\)',
    "payments.void": r'client\.payments\.status\("{invoice_code}"\)',
    "payments.send_otp": r"client\.payments\.send_otp\(\.\.\.\)",
    "attendance.commit": r'client\.attendance\.status\("{redeem_code}", sequence=1\)',
    "attendance.reset": r'client\.attendance\.status\("{redeem_code}"\)',
    "attendance.generate_url": r'client\.attendance\.generate_url\("{redeem_code}", \.\.\.\)',
    "tpm.submit_assignment": r'client\.tpm\.submission_status\("{redeem_code}", scope="{scope}", sequence={sequence}\)',
    "tpm.submit_feedback": r'client\.tpm\.submission_status\("{redeem_code}", scope="{scope}", sequence={sequence}\)',
    "sso.create_token": r"client\.sso\.login_url\(\.\.\.\)",
    "sso.refresh_token": r"client\.sso\.login_url\(\.\.\.\)",
}


def test_every_call_that_changes_state_has_a_next_step() -> None:
    assert set(NEXT_STEPS) == set(WRITES) == set(EXPECTED_NEXT_CALL)


@pytest.mark.parametrize("operation_id", WRITES)
def test_a_lost_answer_on_a_call_that_changes_state_names_the_next_call(operation_id: str) -> None:
    fields = request_examples(operation_id)["default"]
    expected = EXPECTED_NEXT_CALL[operation_id].format(**{k: re.escape(str(v)) for k, v in fields.items()})

    for kind, error in _lost_answers(_call(operation_id, fields)).items():
        unknown, usual = KIND_CLASSES[kind]
        assert type(error) is unknown, kind
        assert isinstance(error, usual)
        assert isinstance(error, errors.OutcomeUnknownError)
        assert error.next_call is not None, kind
        assert re.fullmatch(expected, error.next_call), (kind, error.next_call)
        assert error.next_call in str(error)
        assert "Outcome unknown" in str(error)
        assert error.operation == operation_id
        assert not error.safe_to_retry


@pytest.mark.parametrize("operation_id", READS)
def test_a_lost_answer_on_a_read_is_a_plain_error_safe_to_retry(operation_id: str) -> None:
    for kind, error in _lost_answers(_call(operation_id)).items():
        assert not isinstance(error, errors.OutcomeUnknownError), kind
        assert isinstance(error, KIND_CLASSES[kind][1]), kind
        assert error.safe_to_retry is (kind != "2xx page"), kind


INVOICE_CODE = RULES["InvoiceCode"].pattern
assert INVOICE_CODE is not None  # the contract's pattern of an invoice code


@settings(deadline=None, max_examples=80)
@given(invoice=st.from_regex(INVOICE_CODE, fullmatch=True))
def test_the_reconcile_hint_quotes_the_real_invoice(invoice: str) -> None:
    call = _call(
        "payments.authorize",
        {"otp": "123456", "invoice_code": invoice, "invoice_url": "https://dp.example/i/1"},
    )
    request = httpx.Request("POST", BASE + call.target)

    error = transport_error(call, httpx.ReadTimeout("slow"), request)

    assert isinstance(error, errors.OutcomeUnknownError)
    assert error.next_call == f'client.payments.reconcile("{invoice}")'
    assert f'client.payments.reconcile("{invoice}")' in str(error)


@pytest.mark.parametrize("failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("no route")])
def test_a_request_that_never_left_is_safe_to_repeat_even_for_authorize(failure: httpx.RequestError) -> None:
    call = _call("payments.authorize")

    error = transport_error(call, failure, httpx.Request("POST", BASE + call.target))

    assert not isinstance(error, errors.OutcomeUnknownError)
    assert not error.request_sent
    assert error.safe_to_retry


async def test_authorize_loses_its_answer_through_a_client(api: Api, respx_mock: Any) -> None:
    route = _route(respx_mock, "payments.authorize").mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(errors.OutcomeUnknownTimeoutError, match=r'client\.payments\.reconcile\("INV-123"\)'):
        await api(
            lambda c: c.payments.authorize(
                "pt_token", otp="123456", invoice_code="INV-123", invoice_url="https://dp.example/INV-123"
            )
        )

    assert route.call_count == 1


# --- safe_to_retry, request ids ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation_id", "code", "status", "safe"),
    [
        ("payments.status", "ERRPLT50401", 504, True),
        ("payments.authorize", "ERRPLT50401", 504, False),
        ("payments.quota", "ERRPLT42901", 429, True),
        ("payments.authorize", "ERRPLT42901", 429, False),
        ("payments.status", "ERRPLT40032", 400, False),
        ("payments.status", "ERRPLT50999", 503, True),
        ("attendance.status", "ERRRDM40099", 400, False),
    ],
)
def test_safe_to_retry_counts_the_operation_and_the_cause(
    operation_id: str, code: str, status: int, safe: bool
) -> None:
    call = _call(operation_id)
    response = _response(call, status, json={"success": False, "code": code, "message": "x"})

    with pytest.raises(errors.PrakerjaAPIError) as raised:
        parse_response(call, response)

    assert raised.value.safe_to_retry is safe
    assert raised.value.retryable is safe  # the former name says the same on an error
    assert type(raised.value).retryable is type(raised.value).transient  # and the cause alone on its class


@settings(deadline=None, max_examples=40)
@given(
    request_id=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=64),
    answer=st.sampled_from(["coded", "html", "coded 5xx"]),
    operation_id=st.sampled_from(API_OPERATIONS),
)
def test_the_request_id_header_rides_on_the_error(request_id: str, answer: str, operation_id: str) -> None:
    call = _call(operation_id)
    headers = {"X-Request-Id": request_id}
    if answer == "html":
        response = _response(call, 502, content=b"<html>x</html>", headers=headers)
    else:
        status, code = (400, "ERRPLT40099") if answer == "coded" else (500, "ERRPLT50001")
        response = _response(
            call, status, json={"success": False, "code": code, "message": "x"}, headers=headers
        )

    with pytest.raises(errors.PrakerjaError) as raised:
        parse_response(call, response)

    assert raised.value.request_id == request_id
    assert raised.value.operation == operation_id


# --- provenance and pickling -------------------------------------------------------------------------------

ALL_CLASSES = sorted(
    {
        cls
        for name in errors.__all__
        if isinstance(cls := getattr(errors, name), type) and issubclass(cls, PrakerjaError)
    },
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=[cls.__name__ for cls in ALL_CLASSES])
def test_every_error_class_states_its_provenance(cls: type[PrakerjaError]) -> None:
    code = getattr(cls, "catalogue_code", None)
    expected = CONTRACT.errors[code].provenance if code else "inferred"

    assert cls.provenance == expected


def test_the_catalogue_documents_a_few_codes_and_infers_the_rest() -> None:
    documented = [cls for cls in errors.ERROR_CLASSES.values() if cls.provenance == "documented"]

    assert 0 < len(documented) < len(errors.ERROR_CLASSES) // 4


def _instance(cls: type[PrakerjaError]) -> PrakerjaError:
    request = httpx.Request("POST", BASE + "/api/v1/integration/payment/authorize", content=b'{"otp":"1"}')
    response = httpx.Response(
        504, json={"success": False, "code": "ERRPLT50401"}, request=request, headers={"X-Request-Id": "r-1"}
    )
    if issubclass(cls, errors.InvalidInputError):
        return cls(field="otp", message="is not 4 or 6 digits")
    if issubclass(cls, errors.PrakerjaAPIError):
        error: PrakerjaError = cls(
            code=cls.catalogue_code or "ERRPLT40099",
            status_code=cls.http_status or 400,
            message="Ditolak.",
            request=request,
            response=response,
            debug={"hint": "sign the bytes you send"},
            operation="payments.authorize",
            request_id="r-1",
        )
    elif issubclass(cls, errors.UnexpectedResponseError):
        error = cls(
            message="not JSON",
            status_code=504,
            request=request,
            response=response,
            operation="payments.authorize",
            request_id="r-1",
        )
    elif issubclass(cls, errors.PrakerjaTransportError):
        error = cls(message="timed out", request=request, operation="payments.authorize")
    elif cls is errors.OutcomeUnknownError:
        error = cls("lost")
    else:
        return cls("no credentials")
    if isinstance(error, errors.OutcomeUnknownError):
        error.add_next_step('client.payments.reconcile("INV-1")', "ask first.")
    return error


def _state(error: PrakerjaError) -> dict[str, Any]:
    state = {
        "type": type(error),
        "str": str(error),
        "args": error.args,
        "safe_to_retry": error.safe_to_retry,
        "operation": error.operation,
        "request_id": error.request_id,
    }
    for name, value in vars(error).items():
        if isinstance(value, httpx.Request):
            state[name] = (value.method, str(value.url), value.content)
        elif isinstance(value, httpx.Response):
            state[name] = (value.status_code, value.content, value.headers.get("x-request-id"))
        else:
            state[name] = value
    return state


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=[cls.__name__ for cls in ALL_CLASSES])
@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_every_error_class_pickles_with_its_attributes(cls: type[PrakerjaError], protocol: int) -> None:
    error = _instance(cls)

    copy = pickle.loads(pickle.dumps(error, protocol=protocol))

    assert _state(copy) == _state(error)
    assert len(_state(error)) >= 4


def test_the_sdk_page_says_how_many_codes_are_documented() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "sdk.md").read_text(encoding="utf-8")
    documented = sum(1 for entry in CONTRACT.errors.values() if entry.provenance == "documented")
    claims = re.findall(r"(\d+) of the catalogue's (\d+)", page)

    assert claims
    assert set(claims) == {(str(documented), str(len(CONTRACT.errors)))}
    assert page.index("documented by Prakerja") < page.index("## Connecting")  # it opens the page
    assert f"The other {len(CONTRACT.errors) - documented} are the contract's inference" in page
    assert f"hanya {documented} dari {len(CONTRACT.errors)} kode galat" in page


def test_a_sandbox_refusal_carries_the_request_id_the_sandbox_sent() -> None:
    from prakerja_sandbox import create_app

    with (
        prakerja.PrakerjaClient(
            client_code="SBX-DP-TOKOPEDIA",
            sign_key="9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81",
            base_url="local",
            transport=httpx.WSGITransport(app=create_app()),
        ) as client,
        pytest.raises(errors.InvoiceNotFoundError) as raised,
    ):
        client.payments.status("TOKPED-NEVER-PAID")

    error = raised.value
    assert error.response is not None
    assert error.request_id
    assert error.request_id == error.response.headers["X-Request-Id"]
    assert f"(request id {error.request_id})" in str(error)
    assert (error.operation, error.safe_to_retry) == ("payments.status", False)
