"""Workspaces: isolated seeded worlds under ``/_workspaces/<name>``, each with its own control token."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja_sandbox import Sandbox
from prakerja_sandbox.workspaces import NAME

from .conftest import SignedClient
from .kit import AUTHORIZE, PARTICIPANT, authorize_body, send_otp_body

SEND_OTP = "/api/v1/integration/payment/send-otp"


def _create(client: FlaskClient, name: str | None = None) -> dict[str, Any]:
    response = client.post("/_sandbox/workspaces", json={} if name is None else {"name": name})
    assert response.status_code == 201, response.get_json()
    data: dict[str, Any] = response.get_json()["data"]
    return data


def _buy(signed: SignedClient, prefix: str, invoice: str) -> str:
    sent = signed.post(prefix + SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))
    assert sent.status_code == 200, sent.get_json()
    token = sent.get_json()["data"]["payment_token"]
    paid = signed.post(prefix + AUTHORIZE, authorize_body(invoice), authorization=f"Payment {token}")
    assert paid.status_code == 200, paid.get_json()
    return str(paid.get_json()["data"]["transaction_code"])


def _control(client: FlaskClient, method: str, path: str, token: str | None, **options: Any) -> Any:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return client.open(path, method=method, headers=headers, **options)


def _transactions(client: FlaskClient, prefix: str, token: str | None) -> set[str]:
    answer = _control(client, "GET", f"{prefix}/_sandbox/transactions", token)
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()["data"]
    rows = data["items"] if isinstance(data, dict) else data
    return {row["transaction_code"] for row in rows}


def test_a_workspace_is_a_separate_seeded_world(client: FlaskClient, signed: SignedClient) -> None:
    made = _create(client, "team-a")
    assert made["path"] == "/_workspaces/team-a"
    assert made["base_url"].endswith("/_workspaces/team-a")
    prefix, token = made["path"], made["control_token"]
    seeded = _transactions(client, prefix, token)
    assert seeded == _transactions(client, "", None)  # the same seed

    in_workspace = _buy(signed, prefix, "INV-WS")
    in_default = _buy(signed, "", "INV-WS")  # the same invoice code: the worlds do not share invoices either

    assert _transactions(client, prefix, token) == seeded | {in_workspace}
    assert in_workspace not in _transactions(client, "", None)
    assert in_default in _transactions(client, "", None)


def test_a_workspace_needs_its_own_control_token(client: FlaskClient) -> None:
    made = _create(client)
    prefix = made["path"]

    refused = _control(client, "GET", f"{prefix}/_sandbox/inbox", None)
    wrong = _control(client, "GET", f"{prefix}/_sandbox/inbox", "not-the-token")
    allowed = _control(client, "GET", f"{prefix}/_sandbox/inbox", made["control_token"])

    assert (refused.status_code, refused.get_json()["code"]) == (401, "ERRPLT40108")
    assert wrong.status_code == 401
    assert allowed.status_code == 200


def test_a_reset_and_the_clock_stay_in_their_workspace(
    client: FlaskClient, signed: SignedClient, sandbox: Sandbox
) -> None:
    made = _create(client, "team-b")
    prefix, token = made["path"], made["control_token"]
    seeded = _transactions(client, prefix, token)
    kept = _buy(signed, "", "INV-KEEP")
    _buy(signed, prefix, "INV-GONE")
    before = sandbox.clock.now()

    moved = _control(client, "POST", f"{prefix}/_sandbox/clock", token, json={"advance_seconds": 86400})
    reset = _control(client, "POST", f"{prefix}/_sandbox/reset", token, json={})

    assert moved.status_code == 200, moved.get_json()
    assert reset.status_code == 200, reset.get_json()
    assert _transactions(client, prefix, token) == seeded
    assert kept in _transactions(client, "", None)
    assert (sandbox.clock.now() - before).total_seconds() < 3600


def test_a_deleted_workspace_answers_404_and_its_state_is_gone(
    client: FlaskClient, signed: SignedClient
) -> None:
    made = _create(client, "short-lived")
    prefix, token = made["path"], made["control_token"]
    seeded = _transactions(client, prefix, token)
    _buy(signed, prefix, "INV-1")

    deleted = _control(client, "DELETE", f"{prefix}/_sandbox/workspaces/short-lived", token)
    after = signed.post(prefix + SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))
    again = _create(client, "short-lived")  # the name is free again, with a fresh world

    assert deleted.status_code == 200
    assert (after.status_code, after.get_json()["code"]) == (404, "ERRPLT40401")
    assert _transactions(client, again["path"], again["control_token"]) == seeded
    listed = client.get("/_sandbox/workspaces").get_json()["data"]
    assert [row["name"] for row in listed] == ["short-lived"]


def test_a_workspace_may_not_delete_another_or_make_workspaces(client: FlaskClient) -> None:
    first, second = _create(client, "one"), _create(client, "two")

    other = _control(client, "DELETE", f"{first['path']}/_sandbox/workspaces/two", first["control_token"])
    nested = _control(client, "POST", f"{first['path']}/_sandbox/workspaces", first["control_token"], json={})

    assert other.status_code == 404
    assert nested.status_code == 404
    assert (
        _control(client, "GET", f"{second['path']}/_sandbox/inbox", second["control_token"]).status_code
        == 200
    )


def test_an_unknown_workspace_answers_404(client: FlaskClient) -> None:
    answer = client.get("/_workspaces/nobody/_sandbox/inbox")
    assert (answer.status_code, answer.get_json()["code"]) == (404, "ERRPLT40401")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=50).filter(lambda text: NAME.fullmatch(text) is None))
def test_a_name_outside_the_pattern_is_refused_with_a_code(client: FlaskClient, name: str) -> None:
    answer = client.post("/_sandbox/workspaces", json={"name": name})
    assert answer.status_code == 400
    assert answer.get_json()["code"] in {"ERRPLT40004", "ERRPLT40005"}


@pytest.mark.parametrize("store_kind", ["sqlite"], indirect=True)
def test_a_file_sandbox_keeps_a_workspace_in_a_file_of_its_own(tmp_path: Any, store_kind: str) -> None:
    from prakerja_sandbox import create_app

    app = create_app({"database": str(tmp_path / "team.sqlite3")})
    try:
        made = _create(app.test_client(), "files")
        assert (tmp_path / "team.ws-files.sqlite3").is_file()
        deleted = _control(
            app.test_client(), "DELETE", f"{made['path']}/_sandbox/workspaces/files", made["control_token"]
        )
        assert deleted.status_code == 200
        assert not (tmp_path / "team.ws-files.sqlite3").exists()
    finally:
        app.extensions["prakerja_sandbox"].close()


def test_the_pages_a_workspace_hands_out_stay_in_it(client: FlaskClient, signed: SignedClient) -> None:
    from .lp_kit import CALLBACK, EMAIL, LP, URL_GENERATE, VERIFICATION_PAGE

    made = _create(client, "pages")
    body = {"redeem_code": "PRAT-TC1001", "redirect_uri": CALLBACK, "email": EMAIL, "sequence": 1}
    answer = signed.post(made["path"] + URL_GENERATE, body, as_=LP)
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()["data"]
    page_path = "/" + data["url"].split("/", 3)[3]  # the URL's path and query, as a browser would follow it

    assert page_path.startswith(f"/_workspaces/pages{VERIFICATION_PAGE}")
    assert client.get(page_path).status_code == 200
    pressed = {"state": data["state"], "outcome": "verified"}
    # the state belongs to the workspace: the default workspace does not know it, the workspace verifies it
    assert client.post(VERIFICATION_PAGE, data=pressed).status_code == 400
    assert client.post(f"{made['path']}{VERIFICATION_PAGE}", data=pressed).status_code == 302


def test_a_workspace_dashboard_keeps_its_token_under_its_prefix(client: FlaskClient) -> None:
    made = _create(client, "board")
    dashboard = f"{made['path']}/_sandbox/"

    exchanged = client.get(f"{dashboard}?token={made['control_token']}")

    assert exchanged.status_code == 303
    assert exchanged.headers["Location"].endswith(dashboard)
    assert f"Path={made['path']}/_sandbox" in exchanged.headers["Set-Cookie"]
    assert client.get(dashboard).status_code == 200  # the cookie is sent back to this workspace's dashboard
