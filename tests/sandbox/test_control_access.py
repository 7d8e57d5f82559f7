"""Who may use the control API: turned off, or guarded by a token."""

from __future__ import annotations

from collections.abc import Iterator

import flask
import pytest
from flask.testing import FlaskClient

from prakerja_sandbox import create_app
from prakerja_sandbox.context import EXTENSION_KEY

from .conftest import SignedClient
from .kit import QUOTA, TEST_COURSE, TEST_SCHEDULE

TOKEN = "s3cret-sandbox-token"


def _app(**settings: object) -> Iterator[flask.Flask]:
    app = create_app({"database": ":memory:", **settings})
    yield app
    app.extensions[EXTENSION_KEY].close()


@pytest.fixture
def guarded() -> Iterator[FlaskClient]:
    """A sandbox whose control API needs TOKEN."""
    for app in _app(control_token=TOKEN):
        yield app.test_client()


@pytest.fixture
def closed() -> Iterator[flask.Flask]:
    """A sandbox with the control API turned off."""
    yield from _app(control_api=False)


def test_without_the_token_the_control_api_answers_a_coded_401(guarded: FlaskClient) -> None:
    response = guarded.get("/_sandbox/partners")
    assert response.status_code == 401
    assert response.get_json()["code"] == "ERRPLT40108"
    assert "control token" in response.get_json()["debug"]["hint"]


def test_a_wrong_token_is_refused(guarded: FlaskClient) -> None:
    response = guarded.get("/_sandbox/partners", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_a_bearer_token_opens_the_control_api(guarded: FlaskClient) -> None:
    response = guarded.get("/_sandbox/partners", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200


def test_the_x_sandbox_token_header_opens_the_control_api(guarded: FlaskClient) -> None:
    response = guarded.post("/_sandbox/reset", json={}, headers={"X-Sandbox-Token": TOKEN})
    assert response.status_code == 200


def test_the_dashboard_trades_the_token_in_its_query_for_a_cookie_once(guarded: FlaskClient) -> None:
    assert guarded.get("/_sandbox/").status_code == 401
    exchanged = guarded.get(f"/_sandbox/?q=ab&token={TOKEN}")
    assert exchanged.status_code == 303
    assert exchanged.headers["Location"] == "/_sandbox/?q=ab"  # the token leaves the address
    cookie = exchanged.headers["Set-Cookie"]
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/_sandbox"):
        assert attribute in cookie
    page = guarded.get("/_sandbox/?q=ab")  # the test client keeps the cookie, as a browser does
    assert page.status_code == 200
    assert TOKEN not in page.get_data(as_text=True)  # no link or form of the page carries it


def test_the_json_api_does_not_take_the_token_in_its_query(guarded: FlaskClient) -> None:
    assert guarded.get(f"/_sandbox/partners?token={TOKEN}").status_code == 401


def test_the_token_does_not_guard_the_prakerja_api(guarded: FlaskClient) -> None:
    app = guarded.application
    signed = SignedClient(guarded, app.extensions[EXTENSION_KEY])
    assert signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}).status_code == 200


def test_a_turned_off_control_api_answers_a_coded_404(closed: flask.Flask) -> None:
    client = closed.test_client()
    for response in (
        client.get("/_sandbox/partners"),
        client.post("/_sandbox/reset", json={}),
        client.get("/_sandbox/"),
    ):
        assert response.status_code == 404
        assert response.get_json()["code"] == "ERRPLT40401"


def test_a_turned_off_control_api_leaves_the_prakerja_api_working(closed: flask.Flask) -> None:
    signed = SignedClient(closed.test_client(), closed.extensions[EXTENSION_KEY])
    assert signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}).status_code == 200


def test_health_answers_without_the_token(guarded: FlaskClient) -> None:
    response = guarded.get("/_sandbox/health")
    assert response.status_code == 200
    assert response.get_json()["data"]["status"] == "ok"


@pytest.mark.parametrize("host", ["evil.example", "sandbox.evil.example:5000", "127.0.0.1.evil.example"])
def test_a_host_name_that_is_not_loopback_or_allowed_is_refused_errplt40303(
    client: FlaskClient, host: str
) -> None:
    response = client.get("/_sandbox/partners", headers={"Host": host})

    assert response.status_code == 403
    body = response.get_json()
    assert body["code"] == "ERRPLT40303"
    assert "--allow-host" in body["debug"]["hint"]


def test_a_cross_site_write_is_refused_errplt40304(client: FlaskClient) -> None:
    response = client.post(
        "/_sandbox/clock", json={"advance_seconds": 60}, headers={"Origin": "https://evil.example"}
    )

    assert response.status_code == 403
    assert response.get_json()["code"] == "ERRPLT40304"
