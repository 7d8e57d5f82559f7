"""Fault injection through the control API: latency, errors, lost answers, and their targeting."""

from __future__ import annotations

import time
from typing import Any

from flask.testing import FlaskClient

from .conftest import OTHER_DP, SignedClient
from .kit import AUTHORIZE, SEND_OTP, STATUS, authorize_body, send_otp_body

FAULTS = "/_sandbox/faults"


def _inject(client: FlaskClient, **fault: Any) -> dict[str, Any]:
    response = client.post(FAULTS, json=fault)
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json()["data"])


def _status(signed: SignedClient, **options: Any) -> Any:
    return signed.post(STATUS, {"invoice_code": "testing-1234567"}, **options)


def test_an_error_fault_answers_its_status_and_code(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="error", status=503, code="ERRPLT50301")
    response = _status(signed)
    assert response.status_code == 503
    assert response.get_json()["code"] == "ERRPLT50301"


def test_an_error_fault_stops_after_count_calls(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="error", count=2)
    assert [_status(signed).status_code for _ in range(3)] == [503, 503, 200]


def test_an_error_fault_can_ask_to_retry_after(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="error", code="ERRPLT42901", retry_after=7)
    response = _status(signed)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")


def test_a_star_fault_hits_every_operation_but_not_the_control_api(
    client: FlaskClient, signed: SignedClient
) -> None:
    _inject(client, operation="*", kind="error", status=502)
    assert signed.post(SEND_OTP, send_otp_body()).get_json()["code"] == "ERRPLT50201"
    assert client.get("/_sandbox/partners").status_code == 200


def test_a_latency_fault_delays_the_answer(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="latency", latency_ms=300)
    started = time.perf_counter()
    response = _status(signed)
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_drop_after_commit_loses_the_answer_but_keeps_the_purchase(
    client: FlaskClient, signed: SignedClient
) -> None:
    token = signed.post(SEND_OTP, send_otp_body()).get_json()["data"]["payment_token"]
    _inject(client, operation="payments.authorize", kind="drop_after_commit", count=1)
    lost = signed.post(AUTHORIZE, authorize_body("INV-LOST"), authorization=f"Payment {token}")
    assert (lost.status_code, lost.get_json()["code"]) == (504, "ERRPLT50401")
    status = signed.post(STATUS, {"invoice_code": "INV-LOST"})
    assert status.get_json()["data"]["status"] == "SUCCESS"


def test_a_fault_for_one_partner_spares_the_others(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="error", client_code=OTHER_DP)
    assert _status(signed).status_code == 200
    assert _status(signed, as_=OTHER_DP).status_code == 503


def test_probability_draws_are_repeatable_for_a_seed(client: FlaskClient, signed: SignedClient) -> None:
    def pattern() -> list[int]:
        client.post("/_sandbox/reset", json={})
        _inject(client, operation="payments.status", kind="error", probability=0.5, seed=11)
        return [_status(signed).status_code for _ in range(12)]

    first = pattern()
    assert first == pattern()
    assert set(first) == {200, 503}


def test_faults_are_listed_and_removed_one_by_one(client: FlaskClient, signed: SignedClient) -> None:
    fault = _inject(client, operation="payments.status", kind="error")
    listed = client.get(FAULTS).get_json()["data"]["faults"]
    assert [entry["id"] for entry in listed] == [fault["id"]]
    assert client.delete(f"{FAULTS}/{fault['id']}").status_code == 200
    assert _status(signed).status_code == 200


def test_removing_an_unknown_fault_is_a_coded_404(client: FlaskClient) -> None:
    response = client.delete(f"{FAULTS}/4242")
    assert (response.status_code, response.get_json()["code"]) == (404, "ERRPLT40401")


def test_clearing_faults_by_operation(client: FlaskClient) -> None:
    _inject(client, operation="payments.status", kind="error")
    _inject(client, operation="payments.void", kind="error")
    assert client.delete(f"{FAULTS}?operation=payments.status").get_json()["data"]["removed"] == 1
    assert [f["operation"] for f in client.get(FAULTS).get_json()["data"]["faults"]] == ["payments.void"]


def test_a_fault_on_an_unknown_operation_is_refused(client: FlaskClient) -> None:
    response = client.post(FAULTS, json={"operation": "payments.refund", "kind": "error"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == (
        "ERRPLT40005",
        "operation",
    )


def test_a_fault_with_a_code_outside_the_catalogue_is_refused(client: FlaskClient) -> None:
    response = client.post(FAULTS, json={"kind": "error", "code": "ERRPLT59999"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "code")


def test_a_latency_fault_needs_its_latency(client: FlaskClient) -> None:
    response = client.post(FAULTS, json={"kind": "latency"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == (
        "ERRPLT40003",
        "latency_ms",
    )


def test_a_fault_kind_must_be_known(client: FlaskClient) -> None:
    response = client.post(FAULTS, json={"kind": "explode"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "kind")


def test_reset_removes_faults(client: FlaskClient, signed: SignedClient) -> None:
    _inject(client, operation="payments.status", kind="error")
    client.post("/_sandbox/reset", json={})
    assert _status(signed).status_code == 200
