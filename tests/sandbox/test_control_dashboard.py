"""The dashboard page and its forms, through Flask's test client (the browser test renders it for real)."""

from __future__ import annotations

from flask.testing import FlaskClient

from prakerja_sandbox import Sandbox


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


def test_the_clock_form_advances_the_clock_and_comes_back(client: FlaskClient, sandbox: Sandbox) -> None:
    response = client.post("/_sandbox/ui/clock", data={"step": "1d"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/_sandbox/?notice=")
    assert sandbox.clock.offset_seconds() >= 86_400 - 1


def test_a_refused_fault_form_becomes_a_notice(client: FlaskClient) -> None:
    response = client.post(
        "/_sandbox/ui/faults", data={"operation": "*", "kind": "latency"}, follow_redirects=True
    )
    assert "Fault refused: ERRPLT40003 latency_ms" in response.get_data(as_text=True)


def test_the_fault_form_injects_a_fault(client: FlaskClient) -> None:
    client.post(
        "/_sandbox/ui/faults", data={"operation": "payments.status", "kind": "error", "status": "503"}
    )
    faults = client.get("/_sandbox/faults").get_json()["data"]["faults"]
    assert [(f["operation"], f["code"]) for f in faults] == [("payments.status", "ERRPLT50301")]


def test_a_form_post_from_another_site_is_refused(client: FlaskClient, sandbox: Sandbox) -> None:
    response = client.post(
        "/_sandbox/ui/clock", data={"step": "7d"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert abs(sandbox.clock.offset_seconds()) < 1
