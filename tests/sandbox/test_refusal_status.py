"""The HTTP status of refusals: 400 for every refusal of a partner call by default (as Prakerja documents every
error), each code's catalogue status with ``refusal_status="catalogue"``; the error code is the same."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import flask
import pytest
from werkzeug.test import TestResponse

from prakerja.contract import REFUSALS_ANSWERED_400, load_contract
from prakerja_sandbox import create_app
from prakerja_sandbox.context import EXTENSION_KEY

from .conftest import SignedClient
from .kit import QUOTA, SEND_OTP, TEST_COURSE, TEST_SCHEDULE, send_otp_body
from .lp_kit import LP, SSO_PROFILE

BODY = {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}


@pytest.fixture(params=["400", "catalogue"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def app(mode: str) -> Iterator[flask.Flask]:
    application = create_app({"database": ":memory:", "refusal_status": mode, "max_body_bytes": 512})
    yield application
    application.extensions[EXTENSION_KEY].close()


REFUSALS: list[tuple[str, Callable[[SignedClient], TestResponse]]] = [
    ("ERRPLT40104", lambda s: s.post(QUOTA, BODY, signature="0" * 40)),
    ("ERRPLT40102", lambda s: s.post(QUOTA, BODY, headers={"client_code": "NOBODY"})),
    ("ERRPLT40301", lambda s: s.post(SEND_OTP, send_otp_body(), as_=LP)),
    ("ERRPLT41301", lambda s: s.post(QUOTA, raw="{" + " " * 600 + "}")),
    ("ERRPLT41501", lambda s: s.post(QUOTA, BODY, content_type="text/plain")),
    ("ERROAUTH4040", lambda s: s.get(SSO_PROFILE, as_=LP, convention="sso")),
    ("ERRPLT40036", lambda s: s.post(QUOTA, {"course_code": TEST_COURSE})),
]


@pytest.mark.parametrize(("code", "send"), REFUSALS, ids=[code for code, _ in REFUSALS])
def test_a_refusal_answers_400_by_default_and_its_catalogue_status_on_request(
    signed: SignedClient, mode: str, code: str, send: Callable[[SignedClient], TestResponse]
) -> None:
    response = send(signed)
    catalogue = load_contract().error(code).http_status
    assert response.get_json()["code"] == code
    if mode == "catalogue" or catalogue not in REFUSALS_ANSWERED_400:
        assert response.status_code == catalogue
    else:
        assert response.status_code == 400


def test_routing_and_the_control_api_keep_their_status(signed: SignedClient, mode: str) -> None:
    nowhere = signed.client.get("/api/v1/nowhere")
    assert nowhere.status_code == 404
    assert len(nowhere.headers["X-Request-Id"]) == 32  # every answer carries one, refusals included
    assert signed.client.get(QUOTA).status_code == 405
    guarded = create_app({"database": ":memory:", "refusal_status": mode, "control_token": "t0k"})
    try:
        assert guarded.test_client().get("/_sandbox/partners").status_code == 401
    finally:
        guarded.extensions[EXTENSION_KEY].close()


def test_only_the_documented_gap_statuses_are_folded() -> None:
    statuses = {entry.http_status for entry in load_contract().errors.values()}
    assert statuses >= REFUSALS_ANSWERED_400
    assert not REFUSALS_ANSWERED_400 & {400, 404, 405, 429, 500, 502, 503, 504}
