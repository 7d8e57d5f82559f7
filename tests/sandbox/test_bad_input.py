"""Bad input is refused with a coded JSON answer, never a 500."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.domain import payments

from .conftest import SignedClient
from .kit import QUOTA, SEND_OTP, STATUS, TEST_COURSE, TEST_SCHEDULE, send_otp_body


def _refusal(response: TestResponse) -> tuple[int, str, str | None]:
    body = response.get_json()
    assert body["success"] is False
    return response.status_code, str(body["code"]), body.get("debug", {}).get("field")


def test_malformed_json_answers_errplt40001(signed: SignedClient) -> None:
    assert _refusal(signed.post(QUOTA, raw='{"course_code": "x",'))[:2] == (400, "ERRPLT40001")


def test_invalid_utf8_answers_errplt40001(signed: SignedClient) -> None:
    assert _refusal(signed.post(QUOTA, raw=b'{"course_code": "\xff\xfe"}'))[:2] == (400, "ERRPLT40001")


def test_nan_is_not_json(signed: SignedClient) -> None:
    assert _refusal(signed.post(SEND_OTP, raw='{"amount": NaN}'))[1] == "ERRPLT40001"


def test_empty_body_answers_errplt40001(signed: SignedClient) -> None:
    assert _refusal(signed.post(QUOTA, raw=b""))[1] == "ERRPLT40001"


def test_deeply_nested_json_answers_a_code(signed: SignedClient) -> None:
    assert _refusal(signed.post(QUOTA, raw="[" * 30000 + "]" * 30000))[1] in {"ERRPLT40001", "ERRPLT40002"}


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null", "true"])
def test_body_not_an_object_answers_errplt40002(signed: SignedClient, raw: str) -> None:
    assert _refusal(signed.post(QUOTA, raw=raw))[:2] == (400, "ERRPLT40002")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_content_type_other_than_json_answers_errplt41501(signed: SignedClient, content_type: str) -> None:
    response = signed.post(
        QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}, content_type=content_type
    )
    assert _refusal(response)[:2] == (400, "ERRPLT41501")


def test_missing_content_type_answers_errplt41501(signed: SignedClient) -> None:
    response = signed.post(
        QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}, content_type=None
    )
    assert _refusal(response)[1] == "ERRPLT41501"


def test_json_content_type_with_charset_is_accepted(signed: SignedClient) -> None:
    body = {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}
    assert signed.post(QUOTA, body, content_type="application/json; charset=utf-8").status_code == 200


def test_body_over_the_limit_answers_errplt41301(signed: SignedClient, sandbox: Sandbox) -> None:
    limit = sandbox.config.max_body_bytes
    raw = json.dumps({"invoice_code": "x" * limit})
    assert _refusal(signed.post(STATUS, raw=raw))[:2] == (400, "ERRPLT41301")


def test_declared_length_over_the_limit_is_refused_before_reading(client: FlaskClient) -> None:
    environ = {"CONTENT_LENGTH": str(10**9), "CONTENT_TYPE": "application/json"}
    response = client.post(STATUS, data=b"{}", environ_overrides=environ)
    assert _refusal(response)[:2] == (400, "ERRPLT41301")


def test_small_limit_is_configurable() -> None:
    app = create_app({"max_body_bytes": 64})
    signed = SignedClient(app.test_client(), app.extensions["prakerja_sandbox"])
    response = signed.post(SEND_OTP, send_otp_body())  # about 130 bytes
    assert _refusal(response)[1] == "ERRPLT41301"


def test_unknown_field_answers_errplt40006_naming_it(signed: SignedClient) -> None:
    body = {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE, "scheduel": "x"}
    assert _refusal(signed.post(QUOTA, body)) == (400, "ERRPLT40006", "scheduel")


def test_missing_field_answers_errplt40003_naming_it(signed: SignedClient) -> None:
    body = send_otp_body()
    del body["prakerja_id"]
    assert _refusal(signed.post(SEND_OTP, body)) == (400, "ERRPLT40003", "prakerja_id")


def test_empty_required_string_answers_errplt40003(signed: SignedClient) -> None:
    assert _refusal(signed.post(STATUS, {"invoice_code": ""}))[1:] == ("ERRPLT40003", "invoice_code")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "20000"),
        ("amount", True),
        ("amount", 1.5),
        ("prakerja_id", 9990000000000200),
        ("course_code", ["x"]),
    ],
)
def test_wrong_type_answers_errplt40004(signed: SignedClient, field: str, value: object) -> None:
    body = {**send_otp_body(), field: value}
    assert _refusal(signed.post(SEND_OTP, body)) == (400, "ERRPLT40004", field)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 0),
        ("amount", 100000001),
        ("prakerja_id", "123"),
        ("prakerja_id", "999000000000020X"),
        ("course_code", "kursus dengan spasi"),
        ("user_platform_id", "a" * 65),
        ("user_platform_id", "tab\there"),
    ],
)
def test_invalid_value_answers_errplt40005(signed: SignedClient, field: str, value: object) -> None:
    body = {**send_otp_body(), field: value}
    assert _refusal(signed.post(SEND_OTP, body)) == (400, "ERRPLT40005", field)


def test_invalid_invoice_url_answers_errplt40005(signed: SignedClient) -> None:
    from .kit import AUTHORIZE, payment_token

    token = payment_token(signed)
    body = {"otp": "123456", "invoice_url": "not a url", "invoice_code": "INV-1"}
    assert _refusal(signed.post(AUTHORIZE, body, authorization=f"Payment {token}"))[1:] == (
        "ERRPLT40005",
        "invoice_url",
    )


def test_missing_field_is_reported_before_a_wrong_type(signed: SignedClient) -> None:
    body = {**send_otp_body(), "amount": "x"}
    del body["course_code"]
    assert _refusal(signed.post(SEND_OTP, body))[1:] == ("ERRPLT40003", "course_code")


def test_authentication_comes_before_body_checks(signed: SignedClient) -> None:
    response = signed.post(QUOTA, raw="{not json", drop=("client_code",))
    assert _refusal(response)[1] == "ERRPLT40101"


def test_unexpected_failure_answers_errplt50001_as_json(
    signed: SignedClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(payments, "quota", broken)
    response = signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE})
    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert response.get_json()["code"] == "ERRPLT50001"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_wrong_method_on_an_operation_answers_errplt40501(client: FlaskClient, method: str) -> None:
    response = client.open(SEND_OTP, method=method)
    assert _refusal(response)[:2] == (405, "ERRPLT40501")


@pytest.mark.parametrize("path", ["/", "/api/v1/integration/payment", "/api/v2/integration/payment/void"])
def test_unknown_paths_answer_errplt40401(client: FlaskClient, path: str) -> None:
    assert _refusal(client.post(path, json={}))[:2] == (404, "ERRPLT40401")
