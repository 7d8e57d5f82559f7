"""The SSO operation decorator: X- headers, ERROAUTH codes, the SSO envelope, optional and required signatures."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .conftest import LP, SignedClient

TOKEN = "/api/v1/oauth/token"
LOGIN = "/api/v1/oauth/authorize"
QUERY = urlencode(
    {
        "state": "STATE-123456",
        "scope": "name email",
        "client_id": LP,
        "redirect_uri": "http://127.0.0.1:8000/prakerja/sso/callback",
        "login_uri": "http://127.0.0.1:8000/login",
    }
)


def _sso_refusal(response: TestResponse) -> str:
    body = response.get_json()
    assert body["success"] is False
    assert body["code"] == body["errorCode"]
    assert body["message"] == "Unauthorized"
    return str(body["code"])


def test_missing_client_id_answers_erroauth4024(client: FlaskClient) -> None:
    assert _sso_refusal(client.post(TOKEN, json={"code": "x"})) == "ERROAUTH4024"


def test_unknown_client_id_answers_erroauth4029(client: FlaskClient) -> None:
    response = client.post(TOKEN, json={"code": "x"}, headers={"X-Client-Id": "NOBODY"})
    assert _sso_refusal(response) == "ERROAUTH4029"


@pytest.mark.parametrize("partner", ["SBX-DP-TOKOPEDIA", "SBX-LP-WIRAUSAHAMUDA"])
def test_platform_or_suspended_institution_is_no_sso_client(client: FlaskClient, partner: str) -> None:
    response = client.post(TOKEN, json={"code": "x"}, headers={"X-Client-Id": partner})
    assert _sso_refusal(response) == "ERROAUTH4029"


def test_token_call_without_signature_passes_on_client_id(client: FlaskClient) -> None:
    response = client.post(TOKEN, json={"code": "unknown-code"}, headers={"X-Client-Id": LP})
    assert _sso_refusal(response) == "ERROAUTH4031"  # past authentication: the code itself is unknown


def test_token_call_with_a_wrong_signature_answers_erroauth4036(signed: SignedClient) -> None:
    response = signed.post(TOKEN, {"code": "x"}, as_=LP, convention="sso", signature="0" * 40)
    assert _sso_refusal(response) == "ERROAUTH4036"


def test_token_call_with_a_stale_timestamp_answers_erroauth4037(signed: SignedClient) -> None:
    response = signed.post(TOKEN, {"code": "x"}, as_=LP, convention="sso", timestamp=int(time.time()) - 3600)
    assert _sso_refusal(response) == "ERROAUTH4037"


def test_token_call_with_a_valid_signature_reaches_the_operation(signed: SignedClient) -> None:
    response = signed.post(TOKEN, {"code": "unknown-code"}, as_=LP, convention="sso")
    assert _sso_refusal(response) == "ERROAUTH4031"


def test_missing_body_field_answers_erroauth4038(signed: SignedClient) -> None:
    assert _sso_refusal(signed.post(TOKEN, {}, as_=LP, convention="sso")) == "ERROAUTH4038"


def test_malformed_body_answers_errplt40001(signed: SignedClient) -> None:
    response = signed.post(TOKEN, raw='{"code":', as_=LP, convention="sso")
    assert response.get_json()["code"] == "ERRPLT40001"


def test_general_refusals_of_sso_operations_use_the_sso_envelope(signed: SignedClient) -> None:
    response = signed.post(TOKEN, raw='{"code":', as_=LP, convention="sso")
    assert response.get_json() == {
        **response.get_json(),
        "success": False,
        "code": "ERRPLT40001",
        "errorCode": "ERRPLT40001",
    }


def test_unknown_body_field_answers_errplt40006(signed: SignedClient) -> None:
    response = signed.post(TOKEN, {"code": "x", "extra": 1}, as_=LP, convention="sso")
    assert response.get_json()["code"] == "ERRPLT40006"


def test_token_call_without_content_type_is_parsed_as_json(signed: SignedClient) -> None:
    response = signed.post(TOKEN, {"code": "unknown-code"}, as_=LP, convention="sso", content_type=None)
    assert _sso_refusal(response) == "ERROAUTH4031"


def test_login_url_requires_a_signature(signed: SignedClient) -> None:
    response = signed.get(LOGIN, query=QUERY, as_=LP, convention="sso", drop=("X-Signature",))
    assert _sso_refusal(response) == "ERROAUTH4036"


def test_login_url_signed_over_path_and_query_succeeds(signed: SignedClient) -> None:
    response = signed.get(LOGIN, query=QUERY, as_=LP, convention="sso")
    body = response.get_json()
    assert response.status_code == 200, body
    assert (body["success"], body["message"], body["errorCode"]) == (True, "no error", "0")


def test_login_url_signed_over_the_path_only_is_accepted(signed: SignedClient) -> None:
    response = signed.get(LOGIN, query=QUERY, as_=LP, convention="sso", sign_path=LOGIN)
    assert response.status_code == 200


def test_login_url_without_a_required_query_parameter_answers_erroauth4038(signed: SignedClient) -> None:
    query = QUERY.replace("state=STATE-123456&", "")
    assert _sso_refusal(signed.get(LOGIN, query=query, as_=LP, convention="sso")) == "ERROAUTH4038"
