"""The dashboard's pages and forms, through Flask's test client (tests/browser renders them in Chromium).

Every form is the control API call it names, dispatched in-process: the properties below check that a form and
the JSON call agree on any input, and that no input makes a form answer anything but a page with a notice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import flask
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.control.dashboard import wib
from prakerja_sandbox.faults import FAULT_KINDS

from .conftest import LP


def _notice(response: Any) -> tuple[str, bool]:
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return query["notice"][0], query.get("failed") == ["1"]


def test_the_dashboard_lists_partners_with_their_curating_platform(client: FlaskClient) -> None:
    response = client.get("/_sandbox/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "LPK Cipta Kreasi Nusantara" in page
    assert "SBX-DP-TOKOPEDIA" in page


def test_the_participants_pager_moves_on(client: FlaskClient) -> None:
    first = client.get("/_sandbox/").get_data(as_text=True)
    second = client.get("/_sandbox/?participants_offset=20").get_data(as_text=True)
    assert "1&ndash;20 of" in first
    assert "21&ndash;40 of" in second


@pytest.mark.parametrize("seconds", [86_400, -3600, 7 * 86_400])
def test_the_clock_form_moves_the_clock_either_way(
    client: FlaskClient, sandbox: Sandbox, seconds: int
) -> None:
    response = client.post(
        "/_sandbox/ui/do/clock", data={"advance_seconds": str(seconds), "back": "/_sandbox/"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/_sandbox/?notice=")
    assert abs(sandbox.clock.offset_seconds() - seconds) < 2


def test_the_clock_form_sets_a_given_time(client: FlaskClient, sandbox: Sandbox) -> None:
    client.post("/_sandbox/ui/do/clock", data={"set": "2024-05-01T09:00:00Z"})
    assert sandbox.clock.now_text().startswith("2024-05-01T09:00")


def test_a_refused_fault_form_names_the_code_and_the_field(client: FlaskClient) -> None:
    response = client.post("/_sandbox/ui/do/fault-add", data={"operation": "*", "kind": "latency"})
    notice, failed = _notice(response)
    assert failed
    assert notice.startswith("Fault refused: ERRPLT40003 on “latency_ms”: ")


def test_the_fault_form_takes_every_setting_the_control_api_takes(client: FlaskClient) -> None:
    client.post(
        "/_sandbox/ui/do/fault-add",
        data={"operation": "payments.authorize", "kind": "drop_after_commit", "mode": "close", "probability": "0.5",
              "client_code": "SBX-DP-TOKOPEDIA", "retry_after": "7", "seed": "3", "count": "2"},
    )  # fmt: skip
    (fault,) = client.get("/_sandbox/faults").get_json()["data"]["faults"]
    assert {k: fault[k] for k in ("operation", "kind", "mode", "probability", "client_code", "retry_after", "seed", "count")} == {
        "operation": "payments.authorize", "kind": "drop_after_commit", "mode": "close", "probability": 0.5,
        "client_code": "SBX-DP-TOKOPEDIA", "retry_after": 7, "seed": 3, "count": 2,
    }  # fmt: skip


def test_faults_are_removed_one_at_a_time(client: FlaskClient) -> None:
    for operation in ("payments.status", "payments.quota"):
        client.post("/_sandbox/faults", json={"operation": operation, "kind": "latency", "latency_ms": 5})
    first, second = client.get("/_sandbox/faults").get_json()["data"]["faults"]
    client.post("/_sandbox/ui/do/fault-delete", data={"fault_id": str(first["id"])})
    assert [f["id"] for f in client.get("/_sandbox/faults").get_json()["data"]["faults"]] == [second["id"]]


def test_a_form_post_from_another_site_is_refused(client: FlaskClient, sandbox: Sandbox) -> None:
    response = client.post(
        "/_sandbox/ui/do/clock",
        data={"advance_seconds": "604800"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert abs(sandbox.clock.offset_seconds()) < 1


def test_the_notice_goes_back_only_to_a_dashboard_page(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/_sandbox/", "/api/v1/x"):
        response = client.post("/_sandbox/ui/do/faults-clear", data={"back": target})
        assert urlsplit(response.headers["Location"]).path == "/_sandbox/"
        assert not urlsplit(response.headers["Location"]).netloc


def test_the_actions_verify_grade_reset_and_add(client: FlaskClient) -> None:
    verified, _ = _notice(
        client.post("/_sandbox/ui/do/verify", data={"redeem_code": "PRAT-TC1001", "sequence": "1"})
    )
    code = client.get("/_sandbox/redeem-codes/PRAT-TC1001").get_json()["data"]
    assert verified.startswith("Attendance recorded.")
    assert [a["status"] for a in code["attendance"] if a["sequence"] == 1] == [1]
    reset, failed = _notice(client.post("/_sandbox/ui/do/reset-code", data={"redeem_code": "PRAT-TC1001"}))
    assert (reset, failed) == ("Redeem code reset.", False)
    added, _ = _notice(client.post("/_sandbox/ui/do/participant", data={"name": "Budi Santoso"}))
    number = added.rsplit(" ", 1)[-1].rstrip(".")
    assert client.get(f"/_sandbox/ui/participants/{number}").status_code == 200


def test_the_request_log_pages_filters_and_opens_one_request(client: FlaskClient, signed: Any) -> None:
    for _ in range(3):
        signed.post("/api/v1/integration/payment/status", {"invoice_code": "INV-NOPE"})
    page = client.get("/_sandbox/ui/requests?failed_only=1&operation=payments.status").get_data(as_text=True)
    assert "3 requests match" in page
    entry = client.get("/_sandbox/requests?limit=1").get_json()["data"]["items"][0]
    detail = client.get(f"/_sandbox/ui/requests/{entry['id']}").get_data(as_text=True)
    assert "INV-NOPE" in detail
    assert "Response body" in detail


def test_coverage_lists_unmet_codes_with_the_must_handle_ones_first(
    client: FlaskClient, sandbox: Sandbox
) -> None:
    page = client.get("/_sandbox/ui/coverage").get_data(as_text=True)
    must = [code for code, entry in sandbox.contract.errors.items() if entry.dp_must_handle]
    others = [code for code, entry in sandbox.contract.errors.items() if not entry.dp_must_handle]
    assert max(page.index(f"<code>{code}</code>") for code in must) < min(
        page.index(f"<code>{code}</code>") for code in others
    )


def test_a_browser_asking_for_the_root_goes_to_the_dashboard_and_an_api_client_gets_a_404(
    client: FlaskClient,
) -> None:
    browser = client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    api = client.get("/", headers={"Accept": "application/json"})
    bare = client.get("/")
    assert (browser.status_code, browser.headers["Location"]) == (302, "/_sandbox/")
    assert [api.status_code, bare.status_code] == [404, 404]
    assert api.get_json()["code"] == bare.get_json()["code"] == "ERRPLT40401"


def test_the_root_stays_a_404_when_the_control_api_is_off() -> None:
    app = create_app({"database": ":memory:", "control_api": False})
    response = app.test_client().get("/", headers={"Accept": "text/html"})
    app.extensions[EXTENSION_KEY].close()
    assert response.status_code == 404


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
_fault_forms = st.fixed_dictionaries(
    {},
    optional={
        "operation": st.sampled_from(["*", "payments.status", "nope.op"]) | _text,
        "kind": st.sampled_from([*FAULT_KINDS, "boom"]),
        "latency_ms": st.integers(-5, 200_000).map(str) | _text,
        "status": st.integers(300, 650).map(str),
        "code": st.sampled_from(["ERRPLT50301", "ERRPLT40104", "BAD"]),
        "count": st.integers(-1, 3).map(str),
        "probability": st.floats(-0.5, 1.5, allow_nan=False).map(str) | _text,
        "mode": st.sampled_from(["", "close", "gateway_timeout", "other"]),
        "retry_after": st.integers(-1, 4000).map(str),
        "seed": st.integers(-1, 9).map(str),
    },
)


@pytest.fixture(scope="module")
def fresh_app() -> Any:
    app = create_app({"database": ":memory:"})
    yield app
    app.extensions[EXTENSION_KEY].close()


def _as_json(form: dict[str, str]) -> dict[str, Any]:
    """What the form's typed fields send: numbers where they parse, text otherwise."""
    body: dict[str, Any] = {}
    for name, text in form.items():
        text = text.strip()
        if not text:
            continue
        if name in ("latency_ms", "status", "count", "retry_after", "seed"):
            try:
                body[name] = int(text)
            except ValueError:
                return {}
        elif name == "probability":
            try:
                body[name] = float(text.replace(",", "."))
            except ValueError:
                return {}
        else:
            body[name] = text
    return body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=_fault_forms)
def test_the_fault_form_and_the_json_call_agree_on_any_input(
    fresh_app: flask.Flask, form: dict[str, str]
) -> None:
    client = fresh_app.test_client()
    client.delete("/_sandbox/faults")
    response = client.post("/_sandbox/ui/do/fault-add", data=form)
    assert response.status_code == 303
    notice, failed = _notice(response)
    added = client.get("/_sandbox/faults").get_json()["data"]["faults"]
    body = _as_json(form)
    if not body and form and any(form.values()):
        assert failed
        assert "ERRPLT40004" in notice or not added
        return
    client.delete("/_sandbox/faults")
    direct = client.post("/_sandbox/faults", json=body)
    assert failed == (direct.status_code >= 400), notice
    if failed:
        assert notice.startswith(f"Fault refused: {direct.get_json()['code']}")
    else:
        assert len(added) == 1


def test_the_forms_work_behind_the_control_token_once_the_dashboard_was_opened_with_it() -> None:
    app = create_app({"database": ":memory:", "control_token": "s3cret-token"})
    browser = app.test_client()
    refused = browser.post("/_sandbox/ui/do/fault-add", data={"kind": "latency", "latency_ms": "5"})
    browser.get("/_sandbox/?token=s3cret-token")  # the token moves into a cookie
    accepted = browser.post("/_sandbox/ui/do/fault-add", data={"kind": "latency", "latency_ms": "5"})
    faults = app.test_client().get("/_sandbox/faults", headers={"X-Sandbox-Token": "s3cret-token"}).get_json()
    app.extensions[EXTENSION_KEY].close()
    assert refused.status_code == 401
    assert _notice(accepted) == ("Fault #1 injected: latency on *.", False)
    assert len(faults["data"]["faults"]) == 1


@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_wib_is_seven_hours_ahead_of_utc(moment: datetime) -> None:
    shown = wib(moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
    local = moment + timedelta(hours=7)
    assert shown.endswith(f"{local:%H:%M:%S} WIB")
    assert (local.date() != moment.date()) == shown.startswith(f"{local:%d %b}")


def test_wib_leaves_what_is_not_a_time_blank() -> None:
    assert [wib(None), wib(""), wib("not a time")] == ["", "", ""]


def test_the_request_log_keeps_only_warned_requests_when_asked(client: FlaskClient, signed: Any) -> None:
    signed.post("/api/v1/integration/payment/redeem-code/status", {"redeem_code": "PRAT-TC1001"}, as_=LP)
    signed.post(
        "/api/v1/integration/payment/redeem-code/status",
        {"redeem_code": "PRAT-TC1001", "sequence": 1},
        as_=LP,
    )
    every = client.get("/_sandbox/ui/requests").get_data(as_text=True)
    warned = client.get("/_sandbox/ui/requests?warned_only=1").get_data(as_text=True)
    assert "2 requests match" in every
    assert "1 request match" in warned
    assert "SBXW005" in warned
