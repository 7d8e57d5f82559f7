"""Browserless shortcuts of the control API: attendance verification and TPM/UK grading."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from .conftest import SignedClient
from .lp_kit import LP, REDEEM_STATUS, TPM_STATUS, TPM_SUBMISSION, open_state

VERIFY = "/_sandbox/attendance/verify"
GRADE = "/_sandbox/tpm/grade"


def _verify(client: FlaskClient, **body: Any) -> Any:
    return client.post(VERIFY, json=body)


def test_verifying_the_first_sequence_redeems_the_code(client: FlaskClient, signed: SignedClient) -> None:
    response = _verify(client, redeem_code="PRAT-TC1001", sequence=1)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert (data["status"], data["attendance"][0]["status_label"]) == (1, "ATTENDED")
    status = signed.post(REDEEM_STATUS, {"redeem_code": "PRAT-TC1001"}, as_=LP).get_json()["data"]
    assert (status["status"], status["attendance_status"]) == (1, 1)


def test_a_failed_verification_leaves_the_code_unused(client: FlaskClient) -> None:
    data = _verify(client, redeem_code="PRAT-TC1001", result="failed").get_json()["data"]
    assert (data["status"], data["attendance"][0]["status_label"]) == (0, "FAILED")


def test_an_open_verification_from_url_generate_is_the_one_completed(
    client: FlaskClient, signed: SignedClient
) -> None:
    state = open_state(signed, "PRAT-TC1001")
    data = _verify(client, redeem_code="PRAT-TC1001").get_json()["data"]
    assert (data["state"], data["opened_verification"]) == (state, False)
    assert "status=verified" in data["redirect_url"]


def test_verifying_an_already_verified_sequence_answers_the_partner_code(client: FlaskClient) -> None:
    response = _verify(client, redeem_code="PRAT-N1B001", sequence=1)
    assert (response.status_code, response.get_json()["code"]) == (400, "ERRRDM40005")


def test_verifying_an_unknown_code_is_refused(client: FlaskClient) -> None:
    assert _verify(client, redeem_code="NOPE12345678").get_json()["code"] == "ERRRDM40001"


def test_an_attendance_sequence_outside_the_programme_is_refused(client: FlaskClient) -> None:
    response = _verify(client, redeem_code="PRAT-TC1001", sequence=11)
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "sequence")


def test_a_failed_grade_marks_both_sides_failed(client: FlaskClient, signed: SignedClient) -> None:
    task = {"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 1}
    submitted = signed.post(TPM_SUBMISSION, {**task, "url_file": "https://lp.example/tugas-1.pdf"}, as_=LP)
    assert submitted.status_code == 200, submitted.get_json()
    graded = client.post(GRADE, json={**task, "result": "failed"})
    assert graded.status_code == 200, graded.get_json()
    status = signed.post(TPM_STATUS, task, as_=LP).get_json()["data"]
    assert (status["assignment"]["status"], status["feedback"]["status"]) == (3, 3)


def test_grading_a_task_never_submitted_answers_the_partner_code(client: FlaskClient) -> None:
    response = client.post(GRADE, json={"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 1})
    assert response.get_json()["code"] == "ERRTPM40004"


def test_grading_needs_a_scope(client: FlaskClient) -> None:
    response = client.post(GRADE, json={"redeem_code": "PRAT-UJ0EEQ", "sequence": 1})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40003", "scope")
