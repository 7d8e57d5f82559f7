"""TPM/UK: the participant's assignment, the LP's feedback and their status."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import ApiError, Sandbox
from prakerja_sandbox.domain import tpm

from .conftest import SignedClient
from .lp_kit import (
    LP,
    OTHER_LP,
    TPM_FEEDBACK,
    TPM_STATUS,
    TPM_SUBMISSION,
    attend,
    buy_code,
    refusal,
)

FILE = "https://lms.lembaga.example/files/tugas.pdf"
#: A redeemed self-paced test code (3 TPM tasks and a UK); a test code not redeemed yet.
REDEEMED = "PRAT-UJ0EEQ"
UNREDEEMED = "PRAT-TC1001"


def _submit(
    signed: SignedClient, code: str = REDEEMED, scope: str = "tpm", sequence: int = 1, *, url_file: str = FILE
) -> TestResponse:
    body = {"redeem_code": code, "scope": scope, "sequence": sequence, "url_file": url_file}
    return signed.post(TPM_SUBMISSION, body, as_=LP)


def _feedback(
    signed: SignedClient,
    code: str = REDEEMED,
    scope: str = "tpm",
    sequence: int = 1,
    *,
    as_: str = LP,
    **extra: Any,
) -> TestResponse:
    body = {"redeem_code": code, "scope": scope, "sequence": sequence, "notes": "Sesuai rubrik.", **extra}
    return signed.post(TPM_FEEDBACK, body, as_=as_)


def _status(
    signed: SignedClient, code: str = REDEEMED, scope: str = "tpm", sequence: int = 1, *, as_: str = LP
) -> TestResponse:
    return signed.post(TPM_STATUS, {"redeem_code": code, "scope": scope, "sequence": sequence}, as_=as_)


def _sides(
    signed: SignedClient, code: str = REDEEMED, scope: str = "tpm", sequence: int = 1
) -> tuple[int, int]:
    data = _status(signed, code, scope, sequence).get_json()["data"]
    return data["assignment"]["status"], data["feedback"]["status"]


# --- submit_assignment --------------------------------------------------------------------------------------


def test_assignment_is_recorded_as_pending(signed: SignedClient) -> None:
    response = _submit(signed)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert {key: data[key] for key in ("redeem_code", "scope", "sequence", "status", "url_file")} == {
        "redeem_code": REDEEMED, "scope": "tpm", "sequence": 1, "status": 1, "url_file": FILE,
    }  # fmt: skip
    assert isinstance(data["id"], int)
    assert data["id"] >= 1


def test_pending_assignment_shows_in_the_status(signed: SignedClient) -> None:
    _submit(signed)
    assert _sides(signed) == (1, 0)


def test_pending_assignment_can_be_resubmitted_with_the_same_id(signed: SignedClient) -> None:
    first = _submit(signed).get_json()["data"]
    second = _submit(signed, url_file="https://lms.lembaga.example/files/revisi.pdf")
    assert second.status_code == 200
    assert second.get_json()["data"]["id"] == first["id"]


def test_uk_assignment_is_sequence_999(signed: SignedClient) -> None:
    assert _submit(signed, scope="uk", sequence=999).get_json()["data"]["status"] == 1


def test_assignment_of_an_unredeemed_code_answers_errtpm40001(signed: SignedClient) -> None:
    assert refusal(_submit(signed, UNREDEEMED)) == "ERRTPM40001"


def test_assignment_after_redeeming_is_accepted(signed: SignedClient) -> None:
    attend(signed, UNREDEEMED, 1)
    assert _submit(signed, UNREDEEMED).status_code == 200


@pytest.mark.parametrize(("scope", "sequence"), [("tpm", 999), ("uk", 1), ("uk", 998)])
def test_scope_and_sequence_mismatch_answers_errtpm40002(
    signed: SignedClient, scope: str, sequence: int
) -> None:
    assert refusal(_submit(signed, scope=scope, sequence=sequence)) == "ERRTPM40002"


def test_tpm_beyond_the_course_answers_errtpm40003(signed: SignedClient) -> None:
    assert refusal(_submit(signed, sequence=4)) == "ERRTPM40003"


def test_uk_of_a_course_without_uk_answers_errtpm40003(signed: SignedClient, sandbox: Sandbox) -> None:
    with sandbox.store.transaction() as tx:
        tx.execute("UPDATE courses SET has_uk = 0 WHERE code = 'prakerjaoauth1'")
    assert refusal(_submit(signed, scope="uk", sequence=999)) == "ERRTPM40003"


def test_resubmitting_an_accepted_assignment_answers_errtpm40006(signed: SignedClient) -> None:
    assert refusal(_submit(signed, sequence=2)) == "ERRTPM40006"  # the documented example: TPM 2 accepted


def test_resubmitting_after_feedback_answers_errtpm40006(signed: SignedClient) -> None:
    _submit(signed)
    _feedback(signed)
    assert refusal(_submit(signed)) == "ERRTPM40006"


def test_assignment_of_an_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(_submit(signed, "PRAT-NOTFND")) == "ERRRDM40001"


def test_assignment_of_another_institutions_code_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    body = {"redeem_code": code, "scope": "tpm", "sequence": 1, "url_file": FILE}
    assert refusal(signed.post(TPM_SUBMISSION, body, as_=OTHER_LP)) == "ERRRDM40002"


def test_assignment_of_a_cancelled_code_answers_errrdm40004(signed: SignedClient) -> None:
    assert refusal(_submit(signed, "PRAT-N1A001")) == "ERRRDM40004"


def test_assignment_of_a_purchased_course(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    assert _submit(signed, code, sequence=2).status_code == 200
    assert refusal(_submit(signed, code, sequence=3)) == "ERRTPM40003"  # the course has 2 TPM tasks


def test_assignment_without_url_file_answers_errplt40003(signed: SignedClient) -> None:
    body = {"redeem_code": REDEEMED, "scope": "tpm", "sequence": 1}
    assert refusal(signed.post(TPM_SUBMISSION, body, as_=LP)) == "ERRPLT40003"


def test_unknown_scope_answers_errplt40005(signed: SignedClient) -> None:
    assert refusal(_submit(signed, scope="kuis")) == "ERRPLT40005"


# --- submit_feedback ----------------------------------------------------------------------------------------


def test_feedback_accepts_the_task(signed: SignedClient) -> None:
    _submit(signed)
    response = _feedback(signed, url_file="https://lms.lembaga.example/files/umpan-balik.md")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["status"], data["notes"], data["url_file"]) == (
        2,
        "Sesuai rubrik.",
        "https://lms.lembaga.example/files/umpan-balik.md",
    )
    assert _sides(signed) == (2, 2)


def test_feedback_without_a_file_answers_null_url_file(signed: SignedClient) -> None:
    _submit(signed)
    assert _feedback(signed).get_json()["data"]["url_file"] is None


def test_feedback_on_the_documented_accepted_assignment(signed: SignedClient) -> None:
    assert _feedback(signed, sequence=2).status_code == 200
    assert _sides(signed, sequence=2) == (2, 2)


def test_feedback_before_the_assignment_answers_errtpm40004(signed: SignedClient) -> None:
    assert refusal(_feedback(signed)) == "ERRTPM40004"


def test_second_feedback_answers_errtpm40005(signed: SignedClient) -> None:
    _submit(signed)
    _feedback(signed)
    assert refusal(_feedback(signed)) == "ERRTPM40005"


def test_feedback_of_an_unredeemed_code_answers_errtpm40001(signed: SignedClient) -> None:
    assert refusal(_feedback(signed, UNREDEEMED)) == "ERRTPM40001"


def test_feedback_with_mismatched_scope_answers_errtpm40002(signed: SignedClient) -> None:
    assert refusal(_feedback(signed, scope="uk", sequence=3)) == "ERRTPM40002"


def test_feedback_beyond_the_course_answers_errtpm40003(signed: SignedClient) -> None:
    assert refusal(_feedback(signed, sequence=9)) == "ERRTPM40003"


def test_feedback_of_an_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(_feedback(signed, "PRAT-NOTFND")) == "ERRRDM40001"


def test_feedback_of_another_institutions_code_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    assert refusal(_feedback(signed, code, as_=OTHER_LP)) == "ERRRDM40002"


def test_feedback_of_a_cancelled_code_answers_errrdm40004(signed: SignedClient) -> None:
    assert refusal(_feedback(signed, "PRAT-N1A001")) == "ERRRDM40004"


def test_feedback_without_notes_answers_errplt40003(signed: SignedClient) -> None:
    body = {"redeem_code": REDEEMED, "scope": "tpm", "sequence": 2}
    assert refusal(signed.post(TPM_FEEDBACK, body, as_=LP)) == "ERRPLT40003"


# --- submission_status --------------------------------------------------------------------------------------


def test_status_of_the_documented_example(signed: SignedClient) -> None:
    response = _status(signed, sequence=2)
    assert response.status_code == 200
    assert response.get_json()["data"] == {
        "assignment": {"redeem_code": REDEEMED, "scope": "tpm", "sequence": 2, "status": 2},
        "feedback": {"redeem_code": REDEEMED, "scope": "tpm", "sequence": 2, "status": 0},
    }


def test_status_of_a_task_never_sent_is_0_and_0(signed: SignedClient) -> None:
    assert _sides(signed, scope="uk", sequence=999) == (0, 0)


def test_status_of_an_unredeemed_code_answers_errtpm40001(signed: SignedClient) -> None:
    assert refusal(_status(signed, UNREDEEMED)) == "ERRTPM40001"


def test_status_with_mismatched_scope_answers_errtpm40002(signed: SignedClient) -> None:
    assert refusal(_status(signed, scope="tpm", sequence=999)) == "ERRTPM40002"


def test_status_beyond_the_course_answers_errtpm40003(signed: SignedClient) -> None:
    assert refusal(_status(signed, sequence=4)) == "ERRTPM40003"


def test_status_of_an_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(_status(signed, "PRAT-NOTFND")) == "ERRRDM40001"


def test_status_of_another_institutions_code_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    assert refusal(_status(signed, code, as_=OTHER_LP)) == "ERRRDM40002"


def test_status_of_a_cancelled_code_answers_errrdm40004(signed: SignedClient) -> None:
    assert refusal(_status(signed, "PRAT-N1A001")) == "ERRRDM40004"


# --- failing grade (control API helper) ---------------------------------------------------------------------


def test_failed_grade_marks_both_sides_failed(signed: SignedClient, sandbox: Sandbox) -> None:
    _submit(signed)
    data = tpm.grade(
        sandbox.domain(), redeem_code=REDEEMED, scope="tpm", sequence=1, passed=False, notes="Ulang."
    )
    assert (data["assignment"]["status"], data["feedback"]["status"]) == (3, 3)


def test_failed_task_can_be_resubmitted_and_graded_again(signed: SignedClient, sandbox: Sandbox) -> None:
    _submit(signed)
    tpm.grade(sandbox.domain(), redeem_code=REDEEMED, scope="tpm", sequence=1, passed=False, notes="Ulang.")
    assert _submit(signed).get_json()["data"]["status"] == 1
    assert _feedback(signed).status_code == 200
    assert _sides(signed) == (2, 2)


def test_grade_before_the_assignment_answers_errtpm40004(sandbox: Sandbox) -> None:
    with pytest.raises(ApiError, match="ERRTPM40004"):
        tpm.grade(sandbox.domain(), redeem_code=REDEEMED, scope="tpm", sequence=1, passed=False, notes="x")
