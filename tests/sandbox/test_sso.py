"""SSO operations: login URL, token exchange, refresh and profile."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox
from prakerja_sandbox.domain.sso import user_id

from .conftest import SignedClient
from .lp_kit import (
    ALL_SCOPES,
    BUYER,
    LP,
    OTHER_LP,
    SSO_AUTHORIZE,
    SSO_PROFILE,
    SSO_REFRESH,
    SSO_TOKEN,
    auth_code,
    buy_code,
    create_token,
    login_query,
    refusal,
    tokens,
)


def _login_url(signed: SignedClient, *, as_: str = LP, **overrides: Any) -> TestResponse:
    options = {key: overrides.pop(key) for key in ("drop", "headers", "timestamp") if key in overrides}
    return signed.get(SSO_AUTHORIZE, query=login_query(**overrides), as_=as_, convention="sso", **options)


def _refresh(signed: SignedClient, token: str, *, as_: str = LP) -> TestResponse:
    return signed.post(SSO_REFRESH, {"token": token}, as_=as_, convention="sso")


def _profile(signed: SignedClient, authorization: str | None, *, as_: str = LP) -> TestResponse:
    return signed.get(SSO_PROFILE, as_=as_, convention="sso", authorization=authorization)


# --- login_url ----------------------------------------------------------------------------------------------


def test_login_url_answers_the_consent_page_in_the_sso_envelope(signed: SignedClient) -> None:
    response = _login_url(signed)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["success"], body["message"], body["errorCode"]) == (True, "no error", "0")
    assert body["data"]["redirect_url"] == (
        "http://localhost/consent-sso?scope=name%20email%20prakerjaid%20notelp&state=STATE-123456"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fprakerja%2Fsso%2Fcallback"
        "&login_uri=http%3A%2F%2F127.0.0.1%3A8000%2Flogin&client_id=SBX-LP-CIPTAKREASI"
        "&client_name=Cipta%20Kreasi%20Nusantara"
    )


def test_login_url_opens_the_consent_page(signed: SignedClient) -> None:
    url = _login_url(signed).get_json()["data"]["redirect_url"]
    page = signed.client.get(url.removeprefix("http://localhost"))
    assert page.status_code == 200
    assert "Cipta Kreasi Nusantara" in page.get_data(as_text=True)


def test_login_url_without_client_header_answers_erroauth4024(signed: SignedClient) -> None:
    response = _login_url(signed, drop=("X-Client-Id",))
    assert (response.status_code, refusal(response)) == (400, "ERROAUTH4024")
    assert response.get_json()["errorCode"] == "ERROAUTH4024"
    assert response.get_json()["message"] == "Unauthorized"


def test_login_url_for_an_unknown_client_answers_erroauth4029(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, headers={"X-Client-Id": "SBX-LP-TIDAKADA"})) == "ERROAUTH4029"


def test_login_url_for_a_digital_platform_answers_erroauth4029(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, as_="SBX-DP-TOKOPEDIA")) == "ERROAUTH4029"


def test_client_id_other_than_the_header_answers_erroauth4029(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, client_id=OTHER_LP)) == "ERROAUTH4029"


def test_unregistered_redirect_uri_answers_erroauth4035(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, redirect_uri="https://evil.example/cb")) == "ERROAUTH4035"


def test_unregistered_login_uri_answers_erroauth4035(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, login_uri="https://evil.example/login")) == "ERROAUTH4035"


def test_attendance_callback_is_not_an_sso_redirect_uri(signed: SignedClient) -> None:
    response = _login_url(signed, redirect_uri="http://127.0.0.1:8000/prakerja/attendance/callback")
    assert refusal(response) == "ERROAUTH4035"


@pytest.mark.parametrize("missing", ["state", "scope", "client_id", "redirect_uri", "login_uri"])
def test_missing_parameter_answers_erroauth4038(signed: SignedClient, missing: str) -> None:
    left_out: dict[str, Any] = {missing: None}  # an override of None leaves the parameter out of the query
    response = _login_url(signed, **left_out)
    assert refusal(response) == "ERROAUTH4038"
    assert response.get_json()["debug"]["field"] == missing


def test_redirect_uri_that_is_not_a_url_answers_erroauth4038(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, redirect_uri="createtoken")) == "ERROAUTH4038"


def test_state_with_a_control_character_answers_erroauth4038(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, state="STATE\x01")) == "ERROAUTH4038"


def test_scope_with_double_spaces_answers_erroauth4038(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, scope="name  email")) == "ERROAUTH4038"


def test_unknown_scope_value_answers_erroauth4039(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, scope="name alamat")) == "ERROAUTH4039"


def test_login_url_without_signature_answers_erroauth4036(signed: SignedClient) -> None:
    assert refusal(_login_url(signed, drop=("X-Signature",))) == "ERROAUTH4036"


def test_login_url_with_a_stale_timestamp_answers_erroauth4037(signed: SignedClient) -> None:
    response = _login_url(signed, timestamp=int(time.time()) - 3600)
    assert (response.status_code, refusal(response)) == (400, "ERROAUTH4037")


# --- create_token -------------------------------------------------------------------------------------------


def test_code_is_exchanged_for_bearer_tokens(signed: SignedClient, sandbox: Sandbox) -> None:
    response = create_token(signed, auth_code(signed.client))
    assert response.status_code == 200
    body = response.get_json()
    assert (body["message"], body["errorCode"]) == ("no error", "0")
    data = body["data"]
    assert (data["token_type"], data["scope"]) == ("Bearer", ALL_SCOPES)
    assert data["access_token"] != data["refresh_token"]
    assert data["expires_in"] == str(int(sandbox.clock.now().timestamp()) + 3600)


def test_token_scope_is_the_scope_requested(signed: SignedClient) -> None:
    assert tokens(signed, scope="email")["scope"] == "email"


def test_code_works_once_then_answers_erroauth4032(signed: SignedClient) -> None:
    code = auth_code(signed.client)
    create_token(signed, code)
    assert refusal(create_token(signed, code)) == "ERROAUTH4032"


def test_code_older_than_5_minutes_answers_erroauth4032(signed: SignedClient, sandbox: Sandbox) -> None:
    code = auth_code(signed.client)
    sandbox.clock.advance(301)
    assert refusal(create_token(signed, code)) == "ERROAUTH4032"


def test_code_within_5_minutes_is_accepted(signed: SignedClient, sandbox: Sandbox) -> None:
    code = auth_code(signed.client)
    sandbox.clock.advance(290)
    assert create_token(signed, code).status_code == 200


def test_unknown_code_answers_erroauth4031(signed: SignedClient) -> None:
    assert refusal(create_token(signed, "kode-tidak-ada")) == "ERROAUTH4031"


def test_code_of_another_client_answers_erroauth4031(signed: SignedClient) -> None:
    assert refusal(create_token(signed, auth_code(signed.client), as_=OTHER_LP)) == "ERROAUTH4031"


def test_missing_code_answers_erroauth4038(signed: SignedClient) -> None:
    assert refusal(signed.post(SSO_TOKEN, {}, as_=LP, convention="sso")) == "ERROAUTH4038"


def test_token_exchange_needs_only_the_client_header(signed: SignedClient) -> None:
    code = auth_code(signed.client)
    response = signed.post(
        SSO_TOKEN, {"code": code}, as_=LP, convention="sso", drop=("X-Signature", "X-Timestamp")
    )
    assert response.status_code == 200


def test_token_exchange_without_client_header_answers_erroauth4024(signed: SignedClient) -> None:
    code = auth_code(signed.client)
    response = signed.post(SSO_TOKEN, {"code": code}, as_=LP, convention="sso", drop=("X-Client-Id",))
    assert refusal(response) == "ERROAUTH4024"


def test_refresh_body_on_the_token_path_is_a_refresh_with_a_warning(signed: SignedClient) -> None:
    """Inconsistency 7: the page's curl refreshes on /api/v1/oauth/token; served, with warning SBXW006."""
    first = tokens(signed)
    response = signed.post(SSO_TOKEN, {"token": first["refresh_token"]}, as_=LP, convention="sso")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["access_token"] != first["access_token"]
    assert response.headers["Prakerja-Sandbox-Warning"].startswith('SBXW006 "')
    again = signed.post(SSO_TOKEN, {"token": first["refresh_token"]}, as_=LP, convention="sso")
    assert refusal(again) == "ERROAUTH4033"  # a refresh token works once, whichever path takes it


# --- refresh_token ------------------------------------------------------------------------------------------


def test_refresh_answers_a_new_pair(signed: SignedClient) -> None:
    first = tokens(signed)
    response = _refresh(signed, first["refresh_token"])
    assert response.status_code == 200
    second = response.get_json()["data"]
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert (second["scope"], second["token_type"]) == (ALL_SCOPES, "Bearer")


def test_refresh_token_works_once_then_answers_erroauth4033(signed: SignedClient) -> None:
    refresh = tokens(signed)["refresh_token"]
    _refresh(signed, refresh)
    assert refusal(_refresh(signed, refresh)) == "ERROAUTH4033"


def test_unknown_refresh_token_answers_erroauth4033(signed: SignedClient) -> None:
    assert refusal(_refresh(signed, "rt_tidak-ada")) == "ERROAUTH4033"


def test_refresh_token_after_30_days_answers_erroauth4033(signed: SignedClient, sandbox: Sandbox) -> None:
    refresh = tokens(signed)["refresh_token"]
    sandbox.clock.advance(timedelta(days=30, seconds=1).total_seconds())
    assert refusal(_refresh(signed, refresh)) == "ERROAUTH4033"


def test_access_token_is_no_refresh_token(signed: SignedClient) -> None:
    assert refusal(_refresh(signed, tokens(signed)["access_token"])) == "ERROAUTH4033"


def test_refresh_token_of_another_client_answers_erroauth4033(signed: SignedClient) -> None:
    assert refusal(_refresh(signed, tokens(signed)["refresh_token"], as_=OTHER_LP)) == "ERROAUTH4033"


def test_missing_refresh_token_answers_erroauth4038(signed: SignedClient) -> None:
    assert refusal(signed.post(SSO_REFRESH, {}, as_=LP, convention="sso")) == "ERROAUTH4038"


def test_refreshed_access_token_reads_the_profile(signed: SignedClient) -> None:
    refreshed = _refresh(signed, tokens(signed)["refresh_token"]).get_json()["data"]
    assert _profile(signed, refreshed["access_token"]).status_code == 200


def test_old_access_token_keeps_working_after_a_refresh(signed: SignedClient) -> None:
    first = tokens(signed)
    _refresh(signed, first["refresh_token"])
    assert _profile(signed, first["access_token"]).status_code == 200


# --- profile ------------------------------------------------------------------------------------------------


def test_profile_with_the_bare_access_token(signed: SignedClient) -> None:
    response = _profile(signed, tokens(signed)["access_token"])
    assert response.status_code == 200
    assert response.get_json()["data"] == {
        "dp_user_id": "",
        "email": f"peserta.{BUYER}@sandbox.prakerja.invalid",
        "name": "Peserta Uji Sukses",
        "no_prakerja": BUYER,
        "phone_number": f"0899{BUYER[-8:]}",
        "user_id": user_id(BUYER),
    }


def test_profile_accepts_the_bearer_prefix(signed: SignedClient) -> None:
    response = _profile(signed, f"Bearer {tokens(signed)['access_token']}")
    assert response.get_json()["data"]["no_prakerja"] == BUYER


def test_profile_leaves_fields_outside_the_scope_empty(signed: SignedClient) -> None:
    data = _profile(signed, tokens(signed, scope="name")["access_token"]).get_json()["data"]
    assert (data["name"], data["email"], data["no_prakerja"], data["phone_number"]) == (
        "Peserta Uji Sukses",
        "",
        "",
        "",
    )
    assert data["user_id"] == user_id(BUYER)


def test_profile_names_the_platform_user_id(signed: SignedClient) -> None:
    buy_code(signed)
    data = _profile(signed, tokens(signed)["access_token"]).get_json()["data"]
    assert data["dp_user_id"] == f"user-{BUYER}"


def test_user_id_is_stable_across_logins(signed: SignedClient) -> None:
    first = _profile(signed, tokens(signed)["access_token"]).get_json()["data"]["user_id"]
    second = _profile(signed, tokens(signed)["access_token"]).get_json()["data"]["user_id"]
    assert first == second


def test_profile_without_authorization_answers_erroauth4040(signed: SignedClient) -> None:
    assert refusal(_profile(signed, None)) == "ERROAUTH4040"


def test_profile_with_an_empty_bearer_answers_erroauth4040(signed: SignedClient) -> None:
    assert refusal(_profile(signed, "Bearer ")) == "ERROAUTH4040"


def test_profile_with_an_unknown_token_answers_erroauth4030(signed: SignedClient) -> None:
    assert refusal(_profile(signed, "at_tidak-ada")) == "ERROAUTH4030"


def test_refresh_token_cannot_read_the_profile(signed: SignedClient) -> None:
    assert refusal(_profile(signed, tokens(signed)["refresh_token"])) == "ERROAUTH4030"


def test_access_token_of_another_client_answers_erroauth4030(signed: SignedClient) -> None:
    assert refusal(_profile(signed, tokens(signed)["access_token"], as_=OTHER_LP)) == "ERROAUTH4030"


def test_access_token_after_an_hour_answers_erroauth4034(signed: SignedClient, sandbox: Sandbox) -> None:
    access = tokens(signed)["access_token"]
    sandbox.clock.advance(3601)
    response = _profile(signed, access)
    assert (response.status_code, refusal(response)) == (400, "ERROAUTH4034")


def test_the_sso_callback_catcher_counts_under_the_sandboxs_own_address(signed: SignedClient) -> None:
    response = _login_url(
        signed,
        redirect_uri="http://localhost/_sandbox/callback/sso",
        login_uri="http://localhost/_sandbox/callback/login",
    )
    assert response.status_code == 200
    other_port = _login_url(signed, redirect_uri="http://127.0.0.1:5001/_sandbox/callback/sso")
    assert refusal(other_port) == "ERROAUTH4035"
