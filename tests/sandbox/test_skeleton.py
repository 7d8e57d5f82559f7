"""The app factory, its blueprints and its JSON answers for requests no route takes."""

from __future__ import annotations

import flask
from flask.testing import FlaskClient

from prakerja_sandbox import Sandbox, SandboxConfig, create_app
from prakerja_sandbox.app import BLUEPRINTS

from .conftest import SignedClient
from .kit import QUOTA, TEST_COURSE, TEST_SCHEDULE


def test_create_app_without_config_is_seeded_in_memory() -> None:
    app = create_app()
    sandbox = app.extensions["prakerja_sandbox"]
    assert sandbox.config.database == ":memory:"
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM partners WHERE kind = 'DP'") == 8


def test_create_app_accepts_a_mapping() -> None:
    app = create_app({"timestamp_tolerance_seconds": 60, "seed": False})
    sandbox = app.extensions["prakerja_sandbox"]
    assert sandbox.config == SandboxConfig(timestamp_tolerance_seconds=60, seed=False)
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM partners") == 0


def test_every_blueprint_is_registered(app: flask.Flask) -> None:
    assert {bp.name for bp in BLUEPRINTS} <= set(app.blueprints)


def test_unknown_path_answers_errplt40401(client: FlaskClient) -> None:
    response = client.post("/api/v1/integration/nothing-here", json={})
    assert response.status_code == 404
    assert response.get_json()["code"] == "ERRPLT40401"
    assert response.get_json()["success"] is False


def test_wrong_method_answers_errplt40501(client: FlaskClient) -> None:
    response = client.get(QUOTA)
    assert response.status_code == 405
    assert response.get_json()["code"] == "ERRPLT40501"
    assert "POST" in response.headers["Allow"]


def test_signed_request_reaches_the_operation(signed: SignedClient) -> None:
    response = signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE})
    assert response.status_code == 200
    assert response.get_json()["data"]["quota"] > 0


def test_requests_are_logged_with_their_operation(signed: SignedClient, sandbox: Sandbox) -> None:
    signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": "nope"})
    with sandbox.store.read() as tx:
        row = tx.one("SELECT * FROM request_log ORDER BY id DESC LIMIT 1")
    assert row is not None
    assert (row["operation_id"], row["error_code"], row["signature_variant"]) == (
        "payments.quota",
        "ERRPLT40010",
        "raw",
    )
