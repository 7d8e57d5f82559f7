"""The SSO login and consent page: the form, its two buttons and its refusals."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from prakerja_sandbox import Sandbox

from .conftest import SignedClient
from .lp_kit import (
    BUYER,
    LP_CLIENT_NAME,
    OTHER_LP,
    SSO_CALLBACK,
    SSO_LOGIN,
    SSO_STATE,
    auth_code,
    consent_url,
    create_token,
    query_of,
    sign_in,
)

#: A seeded participant whose card is deactivated, and an active one with an e-mail.
INACTIVE = "8971617333849811"
ACTIVE_EMAIL = "munawar.hasballah78@example.id"
ACTIVE_ID = "2900078904998608"


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_page_names_the_registered_client_and_the_scopes(client: FlaskClient) -> None:
    page = _page(client, consent_url())
    assert LP_CLIENT_NAME in page
    for label in ("Nama lengkap", "Alamat e-mail", "Nomor Kartu Prakerja", "Nomor telepon"):
        assert label in page


def test_page_lists_only_the_requested_scopes(client: FlaskClient) -> None:
    page = _page(client, consent_url(scope="name"))
    assert "Nama lengkap" in page
    assert "Nomor telepon" not in page


def test_page_shows_the_registered_name_not_the_one_in_the_url(client: FlaskClient) -> None:
    page = _page(client, consent_url(client_name="Bank Palsu"))
    assert LP_CLIENT_NAME in page
    assert "Bank Palsu" not in page


def test_page_has_a_login_field_and_both_buttons(client: FlaskClient) -> None:
    page = _page(client, consent_url())
    assert re.search(r'<label for="identifier">', page)
    assert re.search(r'<button[^>]*name="decision"[^>]*value="allow"[^>]*>\s*Izinkan', page)
    assert re.search(r'<button[^>]*name="decision"[^>]*value="deny"[^>]*>\s*Tolak', page)
    assert '<form method="post"' in page


def test_page_is_indonesian_mobile_friendly_and_self_contained(client: FlaskClient) -> None:
    page = _page(client, consent_url())
    assert '<html lang="id">' in page
    assert 'name="viewport"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_allow_redirects_to_redirect_uri_with_code_and_state(client: FlaskClient) -> None:
    response = sign_in(client, BUYER)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{SSO_CALLBACK}?")
    query = query_of(location)
    assert query["state"] == SSO_STATE
    assert query["code"]


def test_allow_with_the_email_signs_in(client: FlaskClient) -> None:
    assert sign_in(client, ACTIVE_EMAIL.upper()).status_code == 302


def test_code_of_a_sign_in_by_email_belongs_to_that_participant(signed: SignedClient) -> None:
    code = auth_code(signed.client, ACTIVE_EMAIL)
    access = create_token(signed, code).get_json()["data"]["access_token"]
    profile = signed.get(
        "/api/v1/resource/user_profile", as_="SBX-LP-CIPTAKREASI", convention="sso", authorization=access
    )
    assert profile.get_json()["data"]["no_prakerja"] == ACTIVE_ID


def test_deny_redirects_to_login_uri_with_access_denied(client: FlaskClient) -> None:
    response = client.post(consent_url(), data={"decision": "deny"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{SSO_LOGIN}?")
    assert query_of(location) == {"error": "access_denied", "state": SSO_STATE}


def test_inactive_participant_is_sent_to_login_uri(client: FlaskClient) -> None:
    response = sign_in(client, INACTIVE)
    assert query_of(response.headers["Location"]) == {"error": "access_denied", "state": SSO_STATE}


def test_unknown_identifier_shows_the_form_again_with_an_alert(client: FlaskClient) -> None:
    response = sign_in(client, "0000000000000000")
    assert response.status_code == 400
    assert "Location" not in response.headers
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page
    assert 'value="0000000000000000"' in page


def test_empty_identifier_asks_for_one_rather_than_saying_not_registered(client: FlaskClient) -> None:
    response = sign_in(client, "")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Isi nomor Kartu Prakerja atau e-mail Anda." in page
    assert "tidak terdaftar" not in page


def test_the_login_field_keeps_a_keyboard_for_numbers_and_e_mails(client: FlaskClient) -> None:
    field = re.search(r'<input[^>]*id="identifier"[^>]*>', _page(client, consent_url()))
    assert field is not None
    assert "inputmode" not in field.group(0)  # an e-mail keyboard hides the digits of a 16-digit number
    assert "required" in field.group(0)


def test_missing_decision_shows_the_form_again(client: FlaskClient) -> None:
    response = client.post(consent_url(), data={"identifier": BUYER})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_each_sign_in_issues_a_new_code(client: FlaskClient) -> None:
    assert auth_code(client) != auth_code(client)


def test_code_is_stored_for_the_client_with_a_5_minute_expiry(client: FlaskClient, sandbox: Sandbox) -> None:
    code = auth_code(client)
    with sandbox.store.read() as tx:
        row = tx.one("SELECT * FROM sso_codes WHERE code = ?", (code,))
    assert row is not None
    assert (row["client_code"], row["prakerja_id"], row["state"]) == ("SBX-LP-CIPTAKREASI", BUYER, SSO_STATE)
    assert row["created_at"] < row["expires_at"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"client_id": "SBX-LP-TIDAKADA"}, "ERROAUTH4029"),
        ({"client_id": "SBX-DP-TOKOPEDIA"}, "ERROAUTH4029"),
        ({"redirect_uri": "https://evil.example/cb"}, "ERROAUTH4035"),
        ({"login_uri": "https://evil.example/login"}, "ERROAUTH4035"),
        ({"client_name": None}, "ERROAUTH4038"),
        ({"client_name": "x" * 129}, "ERROAUTH4038"),
        ({"client_name": "Lembaga\x07Uji"}, "ERROAUTH4038"),
        ({"state": None}, "ERROAUTH4038"),
        ({"redirect_uri": "bukan-url"}, "ERROAUTH4038"),
        ({"scope": "name alamat"}, "ERROAUTH4039"),
    ],
)
def test_bad_query_gets_an_html_error_page_naming_the_code(
    client: FlaskClient, overrides: dict[str, str | None], code: str
) -> None:
    response = client.get(consent_url(**overrides))
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert code in response.get_data(as_text=True)


def test_redirect_uri_of_another_client_never_redirects(client: FlaskClient) -> None:
    response = client.post(
        consent_url(redirect_uri="https://kopinusantara.example/prakerja/sso/callback"),
        data={"identifier": BUYER, "decision": "allow"},
    )
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_deny_with_an_unregistered_login_uri_never_redirects(client: FlaskClient) -> None:
    response = client.post(consent_url(login_uri="https://evil.example/login"), data={"decision": "deny"})
    assert response.status_code == 400
    assert "ERROAUTH4035" in response.get_data(as_text=True)


def test_another_client_can_use_its_own_uris(client: FlaskClient) -> None:
    response = client.get(
        consent_url(
            client_id=OTHER_LP,
            redirect_uri="https://kopinusantara.example/prakerja/sso/callback",
            login_uri="https://kopinusantara.example/login",
        )
    )
    assert response.status_code == 200
    assert "Kopi Nusantara Mandiri" in response.get_data(as_text=True)


def test_refusals_are_logged_under_the_consent_operation(client: FlaskClient, sandbox: Sandbox) -> None:
    client.get(consent_url(scope="name alamat"))
    with sandbox.store.read() as tx:
        row = tx.one("SELECT operation_id, error_code, status FROM request_log ORDER BY id DESC LIMIT 1")
    assert row == {"operation_id": "sso.consent_page", "error_code": "ERROAUTH4039", "status": 400}
