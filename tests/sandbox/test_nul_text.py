"""U+0000 (NUL) in a text value is refused with ERRPLT40005 naming the field, on every store, never a 500.

PostgreSQL's text type cannot hold U+0000: before the refusal, a sandbox on PostgreSQL answered 500 to a TPM
feedback whose notes held one (a success path otherwise), to an SSO code or refresh token holding one, and to
a participant name added through the control API, to a login URL or consent page whose ``client_id`` held
one, and to a control-API query or path holding one; one on SQLite stored or looked them up. A ``client_id``
is now checked against its contract pattern (malformed: ERROAUTH4038, as documented) before any lookup, and
the consent page treats a typed identifier holding U+0000 as unknown, as no account can have it.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from prakerja_sandbox.control.dashboard_forms import ACTIONS

from .conftest import SignedClient
from .lp_kit import (
    LP,
    SSO_AUTHORIZE,
    SSO_REFRESH,
    SSO_TOKEN,
    TPM_FEEDBACK,
    TPM_STATUS,
    VERIFICATION_PAGE,
    consent_url,
    login_query,
    press,
    refusal,
)

FIXTURES_OK = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: Text with at least one U+0000 somewhere in it.
WITH_NUL = st.builds(
    lambda head, tail, count: head + "\x00" * count + tail,
    st.text(max_size=12),
    st.text(max_size=12),
    st.integers(1, 3),
)
#: A redeemed test code whose TPM 2 assignment is accepted and has no feedback yet (scenarios.yaml).
GRADABLE = {"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 2}


def _field_refused(response: TestResponse, field: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    assert refusal(response) == "ERRPLT40005"
    assert response.get_json()["debug"]["field"] == field


@FIXTURES_OK
@given(notes=WITH_NUL)
def test_feedback_notes_holding_nul_are_refused_and_nothing_is_graded(
    signed: SignedClient, notes: str
) -> None:
    _field_refused(signed.post(TPM_FEEDBACK, {**GRADABLE, "notes": notes}, as_=LP), "notes")

    status = signed.post(TPM_STATUS, GRADABLE, as_=LP)
    assert status.get_json()["data"]["feedback"]["status"] == 0  # the same sandbox for every example


@FIXTURES_OK
@given(value=WITH_NUL, form=st.booleans())
def test_sso_code_and_refresh_token_holding_nul_are_refused(
    signed: SignedClient, value: str, form: bool
) -> None:
    _field_refused(signed.post(SSO_TOKEN, {"code": value}, as_=LP, convention="sso"), "code")
    if form:  # what curl --data sends: the form fields are read as the body
        refresh = signed.post(
            SSO_REFRESH,
            raw=f"token={quote(value, safe='')}",
            as_=LP,
            convention="sso",
            content_type="application/x-www-form-urlencoded",
        )
    else:
        refresh = signed.post(SSO_REFRESH, {"token": value}, as_=LP, convention="sso")
    _field_refused(refresh, "token")
    assert refresh.get_json()["errorCode"] == "ERRPLT40005"  # the SSO envelope


@FIXTURES_OK
@given(key=WITH_NUL, nested=st.booleans())
def test_a_key_holding_nul_is_refused_before_the_schema(signed: SignedClient, key: str, nested: bool) -> None:
    body = {"redeem_code": "PRAT-UJ0EEQ", "extra": {key: 1}} if nested else {key: "x"}
    field = f"extra.{key}" if nested else key
    _field_refused(signed.post(TPM_STATUS, body, as_=LP), field.replace("\x00", "\\u0000"))


@FIXTURES_OK
@given(name=WITH_NUL)
def test_a_control_api_name_holding_nul_is_refused(signed: SignedClient, name: str) -> None:
    _field_refused(signed.client.post("/_sandbox/participants", json={"name": name}), "name")


@FIXTURES_OK
@given(identifier=WITH_NUL)
def test_the_consent_page_finds_no_account_for_an_identifier_holding_nul(
    signed: SignedClient, identifier: str
) -> None:
    answer = signed.client.post(consent_url(), data={"identifier": identifier, "decision": "allow"})

    assert answer.status_code == 400
    assert "tidak terdaftar" in answer.get_data(as_text=True)


#: A ``client_id`` outside the contract's pattern (U+0000 included).
MALFORMED_CLIENT_ID = WITH_NUL | st.from_regex(r"[^A-Za-z0-9_.-]", fullmatch=False).filter(str.strip)


@FIXTURES_OK
@given(client_id=MALFORMED_CLIENT_ID)
def test_a_malformed_client_id_is_refused_before_any_lookup(signed: SignedClient, client_id: str) -> None:
    login = signed.get(SSO_AUTHORIZE, query=login_query(client_id=client_id), as_=LP, convention="sso")
    assert (login.status_code, refusal(login)) == (400, "ERROAUTH4038")
    assert login.get_json()["debug"]["field"] == "client_id"

    page = signed.client.get(consent_url(client_id=client_id))
    assert (page.status_code, page.mimetype) == (400, "text/html")
    assert "ERROAUTH4038" in page.get_data(as_text=True)


@FIXTURES_OK
@given(value=WITH_NUL, where=st.sampled_from(["q", "prakerja_id", "path"]))
def test_a_control_api_query_or_path_holding_nul_is_refused(
    signed: SignedClient, value: str, where: str
) -> None:
    if where == "path":
        segment = quote(value.replace("/", ""), safe="")  # a decoded %2F would split the path
        answer = signed.client.get(f"/_sandbox/redeem-codes/{segment}")
        field = "code"
    else:
        listing = "participants" if where == "q" else "redeem-codes"
        answer = signed.client.get(f"/_sandbox/{listing}", query_string={where: value})
        field = where
    _field_refused(answer, field)


@FIXTURES_OK
@given(value=WITH_NUL)
def test_a_request_holding_nul_is_kept_in_the_request_log(signed: SignedClient, value: str) -> None:
    """The log shows U+0000 as the text ``\\u0000`` (a raw byte in a malformed body, or in the path)."""
    value = value.replace('"', "").replace("\\", "")  # one string value, whatever else is in it
    raw = b'{"redeem_code": "' + value.encode() + b'"}'
    refused = signed.post(TPM_STATUS, raw=raw, as_=LP)
    assert refusal(refused) == "ERRPLT40001"  # a raw control character is not JSON
    entry = signed.client.get("/_sandbox/requests?limit=1").get_json()["data"]["items"][0]
    assert entry["request_id"] == refused.headers["X-Request-Id"]
    assert entry["request_body"] == raw.decode().replace("\x00", "\\u0000")

    segment = quote(value.replace("/", ""), safe="")
    unknown = signed.client.get(f"/api/v1/{segment}")
    entry = signed.client.get("/_sandbox/requests?limit=1").get_json()["data"]["items"][0]
    assert entry["request_id"] == unknown.headers["X-Request-Id"]
    assert entry["path"] == f"/api/v1/{value.replace('/', '')}".replace("\x00", "\\u0000")


@FIXTURES_OK
@given(state=WITH_NUL)
def test_the_verification_page_finds_no_verification_for_a_state_holding_nul(
    signed: SignedClient, state: str
) -> None:
    shown = signed.client.get(VERIFICATION_PAGE, query_string={"state": state})
    pressed = press(signed.client, state)

    for page in (shown, pressed):
        assert (page.status_code, page.mimetype) == (400, "text/html")
    assert "tidak dikenal" in shown.get_data(as_text=True)


def _get_routes(app: flask.Flask) -> list[str]:
    """Every GET route of the app, its path values filled with a plain word."""
    urls = {
        re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "x", rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or set()) and rule.endpoint != "static"
    }
    return sorted(urls)


def test_a_query_holding_nul_is_never_a_server_error_on_any_route(
    app: flask.Flask, signed: SignedClient
) -> None:
    """The class test: the API, the pages, the control API and the dashboard, a NUL in a query name or value."""
    routes = _get_routes(app)
    assert len(routes) > 20
    for url in routes:
        for query in ({"q": "a\x00b", "state": "s\x00", "operation": "\x00"}, {"a\x00": "1"}):
            answer = signed.client.get(url, query_string=query)
            assert answer.status_code < 500, (url, query, answer.get_data(as_text=True)[:300])


def test_a_dashboard_form_field_holding_nul_is_never_a_server_error(signed: SignedClient) -> None:
    """Every field of every dashboard form (each makes the control-API call a test would)."""
    for name, action in ACTIONS.items():
        fields = [*action.fields, *action.path_fields] or ["back"]
        for field in fields:
            answer = signed.client.post(f"/_sandbox/ui/do/{name}", data={field: "1\x00"})
            assert answer.status_code < 500, (name, field, answer.get_data(as_text=True)[:300])
            assert answer.status_code == 303  # back to the page, with the refusal as its notice
