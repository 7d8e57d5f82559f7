"""attendance.status, attendance.reset and the legacy attendance.commit."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox

from .conftest import SignedClient
from .lp_kit import (
    LP,
    OFFLINE,
    OTHER_LP,
    REDEEM_COMMIT,
    REDEEM_RESET,
    REDEEM_STATUS,
    TPM_STATUS,
    WEBINAR_STARTS_IN,
    attend,
    buy_code,
    generate,
    open_state,
    press,
    redeem_status,
    refusal,
)

_FIELDS = {
    "redeem_code", "course_code", "invoice_code", "schedule_code", "status", "attendance_status", "redeem_at",
    "dp_platform", "schedule_start_end", "course_type", "course_type_label", "course_learning_method",
    "is_online_attendance", "sequence",
}  # fmt: skip


def _reset(signed: SignedClient, code: str, as_: str = LP) -> TestResponse:
    return signed.post(REDEEM_RESET, {"redeem_code": code}, as_=as_)


def _commit(signed: SignedClient, code: str, as_: str = LP) -> TestResponse:
    return signed.post(REDEEM_COMMIT, {"redeem_code": code}, as_=as_)


# --- status -------------------------------------------------------------------------------------------------


def test_status_answers_every_field_of_the_documented_example(signed: SignedClient) -> None:
    data = redeem_status(signed, "GHOPNYXUVMT0", 1)
    assert set(data) == _FIELDS
    assert {key: data[key] for key in ("redeem_code", "course_code", "invoice_code", "schedule_code")} == {
        "redeem_code": "GHOPNYXUVMT0",
        "course_code": "prakerjaoauth1",
        "invoice_code": "testing-1234567",
        "schedule_code": "prakerjaoauth",
    }
    # as the Status page's example shows it: redeemed (status 1), sequence 1 not attended (attendance_status 0)
    assert (data["status"], data["attendance_status"], data["redeem_at"]) == (1, 0, "2023-10-24T10:54:45Z")
    assert data["dp_platform"] == "Tokopedia"


def test_status_without_sequence_reads_sequence_1(signed: SignedClient) -> None:
    assert redeem_status(signed, "PRAT-TC1001")["sequence"] == 1


def test_status_of_an_unused_code(signed: SignedClient) -> None:
    data = redeem_status(signed, "PRAT-TC1001", 1)
    assert (data["status"], data["attendance_status"], data["redeem_at"]) == (0, 0, None)


def test_status_reports_the_course_type(signed: SignedClient) -> None:
    data = redeem_status(signed, "PRAT-TC2001")
    assert (data["course_type"], data["course_type_label"], data["course_learning_method"]) == (
        2,
        "Webinar",
        "online",
    )
    assert data["is_online_attendance"] is True


def test_status_of_an_offline_code_says_no_online_attendance(signed: SignedClient) -> None:
    data = redeem_status(signed, "PRAT-N3A001")
    assert (data["course_type"], data["course_type_label"], data["is_online_attendance"]) == (
        3,
        "Luring",
        False,
    )
    assert data["course_learning_method"] == "offline"


def test_status_of_a_cancelled_code_is_2(signed: SignedClient) -> None:
    assert redeem_status(signed, "PRAT-N1A001")["status"] == 2


def test_status_of_the_requested_sequence(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    assert redeem_status(signed, code, 1)["attendance_status"] == 1
    assert redeem_status(signed, code, 2)["attendance_status"] == 0


def test_status_after_a_failed_verification_is_2(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    press(signed.client, state, "failed")
    data = redeem_status(signed, "PRAT-TC1001", 1)
    assert (data["status"], data["attendance_status"]) == (0, 2)


def test_status_of_a_purchase_names_its_platform_and_invoice(signed: SignedClient) -> None:
    code = buy_code(signed, invoice_code="TOKPED-42")
    data = redeem_status(signed, code)
    assert (data["dp_platform"], data["invoice_code"], data["status"]) == ("Tokopedia", "TOKPED-42", 0)


def test_status_shows_the_schedule_in_western_indonesian_time(signed: SignedClient, sandbox: Sandbox) -> None:
    code = buy_code(signed)
    data = redeem_status(signed, code)
    with sandbox.store.read() as tx:
        start = tx.scalar("SELECT start_at FROM schedules WHERE code = ?", (data["schedule_code"],))
    hour = (int(start[11:13]) + 7) % 24
    assert data["schedule_start_end"][11:13] == f"{hour:02d}"
    assert " - " in data["schedule_start_end"]


def test_status_of_a_self_paced_code_has_no_schedule_time(signed: SignedClient) -> None:
    assert redeem_status(signed, "PRAT-TC1001")["schedule_start_end"] == "-"


def test_status_of_an_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(signed.post(REDEEM_STATUS, {"redeem_code": "NOPE00000000"}, as_=LP)) == "ERRRDM40001"


def test_status_of_another_institutions_code_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert refusal(signed.post(REDEEM_STATUS, {"redeem_code": code}, as_=OTHER_LP)) == "ERRRDM40002"


def test_status_beyond_the_sessions_answers_errrdm40008(signed: SignedClient) -> None:
    response = signed.post(REDEEM_STATUS, {"redeem_code": "PRAT-TC1001", "sequence": 2}, as_=LP)
    assert refusal(response) == "ERRRDM40008"


def test_status_of_the_post_test(signed: SignedClient) -> None:
    assert redeem_status(signed, "PRAT-TC1999", 999)["attendance_status"] == 0


# --- reset --------------------------------------------------------------------------------------------------


def test_reset_of_a_real_code_answers_errrdm40009(signed: SignedClient) -> None:
    assert refusal(_reset(signed, "GHOPNYXUVMT0")) == "ERRRDM40009"


def test_reset_of_an_unknown_test_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(_reset(signed, "PRAT-NOTFND")) == "ERRRDM40001"


def test_reset_of_a_negative_case_answers_errrdm40012(signed: SignedClient) -> None:
    assert refusal(_reset(signed, "PRAT-N1B001")) == "ERRRDM40012"


def test_reset_brings_a_redeemed_code_back_to_unused(signed: SignedClient) -> None:
    attend(signed, "PRAT-TC1001", 1)
    response = _reset(signed, "PRAT-TC1001")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["status"], data["attendance_status"], data["redeem_at"], data["sequence"]) == (0, 0, None, 1)
    assert generate(signed, "PRAT-TC1001").status_code == 200


def test_reset_restores_the_verified_sessions_of_the_case(signed: SignedClient) -> None:
    attend(signed, "PRAT-TC1999", 999)
    data = _reset(signed, "PRAT-TC1999").get_json()["data"]
    assert (data["sequence"], data["attendance_status"], data["status"]) == (999, 0, 1)
    assert redeem_status(signed, "PRAT-TC1999", 1)["attendance_status"] == 1


def test_reset_unbinds_the_email(signed: SignedClient) -> None:
    open_state(signed, "PRAT-TC1001", email="dipakai@example.com")
    _reset(signed, "PRAT-TC1001")
    assert generate(signed, "PRAT-TC1999", sequence=999, email="dipakai@example.com").status_code == 200


def test_reset_closes_open_verification_pages(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    _reset(signed, "PRAT-TC1001")
    assert press(signed.client, state).status_code == 400


def test_reset_restores_the_documented_tpm_example(signed: SignedClient) -> None:
    body = {"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 2, "notes": "Lulus."}
    assert signed.post("/api/v1/integration/tpm/feedback/submission", body, as_=LP).status_code == 200
    _reset(signed, "PRAT-UJ0EEQ")
    status = signed.post(TPM_STATUS, {"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 2}, as_=LP)
    data = status.get_json()["data"]
    assert (data["assignment"]["status"], data["feedback"]["status"]) == (2, 0)


def test_reset_works_for_every_institution(signed: SignedClient) -> None:
    assert _reset(signed, "PRAT-TC2001", as_=OTHER_LP).status_code == 200


# --- commit (legacy) ----------------------------------------------------------------------------------------


def test_commit_verifies_sequence_1_and_redeems(signed: SignedClient, sandbox: Sandbox) -> None:
    response = _commit(signed, "PRAT-TC1001")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["status"], data["attendance_status"], data["sequence"]) == (1, 1, 1)
    assert data["redeem_at"] == sandbox.clock.now_text()


def test_second_commit_answers_errrdm40005(signed: SignedClient) -> None:
    _commit(signed, "PRAT-TC1001")
    assert refusal(_commit(signed, "PRAT-TC1001")) == "ERRRDM40005"


def test_commit_of_an_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    assert refusal(_commit(signed, "PRAT-NOTFND")) == "ERRRDM40001"


def test_commit_of_another_institutions_code_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert refusal(_commit(signed, code, as_=OTHER_LP)) == "ERRRDM40002"


def test_commit_of_an_offline_code_answers_errrdm40003(signed: SignedClient) -> None:
    code = buy_code(signed, **OFFLINE)
    assert refusal(_commit(signed, code, as_=OTHER_LP)) == "ERRRDM40003"


def test_commit_of_a_cancelled_code_answers_errrdm40004(signed: SignedClient) -> None:
    assert refusal(_commit(signed, "PRAT-N1A001")) == "ERRRDM40004"


def test_commit_outside_the_webinar_window_answers_errrdm40006(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    code = buy_code(signed)
    sandbox.clock.advance(timedelta(minutes=WEBINAR_STARTS_IN + 90).total_seconds())
    assert refusal(_commit(signed, code)) == "ERRRDM40006"


def test_commit_of_a_purchased_webinar_in_its_window(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert _commit(signed, code).get_json()["data"]["status"] == 1
