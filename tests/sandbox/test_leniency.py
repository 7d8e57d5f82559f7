"""No silent leniency: each lenient path answers with its warning by default and is refused under strict mode.

Every case sends a request that the sandbox accepts only through a less documented reading of the docs
(``contracts/ambiguities.yaml``). By default it is answered as usual, plus ``Prakerja-Sandbox-Warning`` and a
``warnings`` entry in the request log; with ``strict`` it is refused with the catalogue code the register
names, and the hint names the leniency.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from prakerja.contract import load_contract
from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY

from .conftest import SignedClient
from .kit import AUTHORIZE, QUOTA, TEST_COURSE, TEST_SCHEDULE, authorize_body, payment_token
from .lp_kit import (
    LP,
    REDEEM_STATUS,
    SSO_AUTHORIZE,
    SSO_TOKEN,
    auth_code,
    login_query,
    tokens,
)

CONTRACT = load_contract()
WARNING = "Prakerja-Sandbox-Warning"


@pytest.fixture(params=[False, True], ids=["default", "strict"])
def strict(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
def app(strict: bool) -> Iterator[flask.Flask]:
    application = create_app({"database": ":memory:", "strict": strict})
    yield application
    application.extensions[EXTENSION_KEY].close()


def _last_log(sandbox: Sandbox) -> dict[str, Any]:
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        row = tx.one("SELECT warnings, request_id, error_code FROM request_log ORDER BY id DESC LIMIT 1")
    assert row is not None
    return dict(row)


def _compact_signed_spaced(signed: SignedClient) -> TestResponse:
    body = {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}
    return signed.post(QUOTA, raw=json.dumps(body), sign_body=json.dumps(body, separators=(",", ":")))


def _authorization_slot(signed: SignedClient) -> TestResponse:
    token = payment_token(signed)
    return signed.post(AUTHORIZE, authorize_body(), authorization=f"Payment {token}", sign_authorization=True)


def _get_signed_without_query(signed: SignedClient) -> TestResponse:
    return signed.get(SSO_AUTHORIZE, query=login_query(), as_=LP, convention="sso", sign_path=SSO_AUTHORIZE)


def _form_with_json_text(signed: SignedClient) -> TestResponse:
    code = auth_code(signed.client)
    return signed.post(
        SSO_TOKEN, {"code": code}, as_=LP, convention="sso", content_type="application/x-www-form-urlencoded"
    )


def _form_fields(signed: SignedClient) -> TestResponse:
    code = auth_code(signed.client)
    return signed.post(
        SSO_TOKEN,
        raw=f"code={code}",
        as_=LP,
        convention="sso",
        content_type="application/x-www-form-urlencoded",
    )


def _sequence_omitted(signed: SignedClient) -> TestResponse:
    return signed.post(REDEEM_STATUS, {"redeem_code": "PRAT-TC1001"}, as_=LP)


def _refresh_on_token_path(signed: SignedClient) -> TestResponse:
    refresh = tokens(signed)["refresh_token"]
    return signed.post(SSO_TOKEN, {"token": refresh}, as_=LP, convention="sso")


CASES: list[tuple[str, str, Callable[[SignedClient], TestResponse], str]] = [
    ("SBXW001", "ERRPLT40104", _compact_signed_spaced, "compact re-serialisation"),
    ("SBXW002", "ERRPLT40104", _authorization_slot, "Authorization value"),
    ("SBXW003", "ERROAUTH4036", _get_signed_without_query, "without the query"),
    ("SBXW004", "ERRPLT41501", _form_with_json_text, "form-encoded"),
    ("SBXW004", "ERRPLT41501", _form_fields, "form-encoded"),
    ("SBXW005", "ERRPLT40003", _sequence_omitted, "omitted"),
    ("SBXW006", "ERROAUTH4038", _refresh_on_token_path, "/api/v1/oauth/token/refresh"),
]


@pytest.mark.parametrize(
    ("code", "refusal", "send", "named"), CASES, ids=[f"{c[0]}-{c[2].__name__.strip('_')}" for c in CASES]
)
def test_a_lenient_request_warns_by_default_and_is_refused_when_strict(
    signed: SignedClient,
    sandbox: Sandbox,
    strict: bool,
    code: str,
    refusal: str,
    send: Callable[[SignedClient], TestResponse],
    named: str,
) -> None:
    response = send(signed)
    body = response.get_json()
    logged = _last_log(sandbox)
    assert logged["request_id"] == response.headers["X-Request-Id"]
    if not strict:
        assert response.status_code == 200, body
        assert body["success"] is True
        assert response.headers.getlist(WARNING) == [CONTRACT.sandbox_warning(code).header]
        assert json.loads(logged["warnings"]) == [{"code": code, "text": CONTRACT.sandbox_warning(code).text}]
        return
    assert (body["success"], body["code"]) == (False, refusal)
    assert refusal in CONTRACT.sandbox_warning(code).strict_codes
    assert body["debug"]["leniency"] == code
    assert body["debug"]["hint"].startswith("strict mode: ")
    assert named in body["debug"]["hint"]
    assert WARNING not in response.headers
    assert logged["warnings"] is None
    assert logged["error_code"] == refusal


def test_documented_requests_carry_no_warning_in_either_mode(signed: SignedClient, sandbox: Sandbox) -> None:
    answers = [
        signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}),
        signed.post(REDEEM_STATUS, {"redeem_code": "PRAT-TC1001", "sequence": 1}, as_=LP),
        signed.get(SSO_AUTHORIZE, query=login_query(), as_=LP, convention="sso"),
        signed.post(SSO_TOKEN, {"code": auth_code(signed.client)}, as_=LP, convention="sso"),
    ]
    for response in answers:
        assert response.status_code == 200, response.get_json()
        assert WARNING not in response.headers
        assert len(response.headers["X-Request-Id"]) == 32
    assert len({response.headers["X-Request-Id"] for response in answers}) == len(answers)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    indent=st.one_of(st.none(), st.integers(min_value=0, max_value=4)),
    item=st.sampled_from([", ", " ,", ",\n"]),
    key=st.sampled_from([": ", " :", ":\t"]),
    reverse=st.booleans(),
)
def test_any_spacing_signed_compact_is_the_compact_leniency(
    signed: SignedClient, strict: bool, indent: int | None, item: str, key: str, reverse: bool
) -> None:
    fields = [("course_code", TEST_COURSE), ("schedule_code", TEST_SCHEDULE)]
    body = dict(reversed(fields) if reverse else fields)
    sent = json.dumps(body, indent=indent, separators=(item.rstrip("\n") if indent else item, key))
    compact = json.dumps(body, separators=(",", ":"))
    raw_signed = signed.post(QUOTA, raw=sent)
    assert raw_signed.status_code == 200
    assert WARNING not in raw_signed.headers
    response = signed.post(QUOTA, raw=sent, sign_body=compact)
    if sent == compact:
        assert WARNING not in response.headers
    elif strict:
        assert response.get_json()["code"] == "ERRPLT40104"
    else:
        assert response.headers[WARNING].startswith('SBXW001 "')


def test_every_warning_of_the_register_is_exercised_here() -> None:
    assert {case[0] for case in CASES} == set(CONTRACT.sandbox_warnings)


def test_the_request_log_filter_and_the_dashboard_show_the_warnings(
    signed: SignedClient, strict: bool
) -> None:
    signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE})
    _sequence_omitted(signed)
    warned = signed.client.get("/_sandbox/requests?warned=1").get_json()["data"]
    everything = signed.client.get("/_sandbox/requests").get_json()["data"]
    dashboard = signed.client.get("/_sandbox/").get_data(as_text=True)
    assert everything["total"] == 2
    if strict:
        assert warned["total"] == 0
        assert '<span class="pill warn" title=' not in dashboard
        return
    assert warned["total"] == 1
    assert [w["code"] for w in warned["items"][0]["warnings"]] == ["SBXW005"]
    assert '<span class="pill warn" title="sequence was omitted and read as 1' in dashboard
