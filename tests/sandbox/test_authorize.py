"""payments.authorize: the OTP, the payment token and the purchase it executes."""

from __future__ import annotations

import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox

from .conftest import LP, SignedClient
from .kit import (
    AUTHORIZE,
    PARTICIPANT,
    STATUS,
    TEST_PRICE,
    TEST_SCHEDULE,
    add_course,
    authorize_body,
    execute,
    payment_token,
    scalar,
)


def _authorize(
    signed: SignedClient,
    token: str,
    *,
    invoice_code: str = "INV-0001",
    otp: str = "123456",
    as_: str = "tokopedia",
) -> TestResponse:
    return signed.post(
        AUTHORIZE, authorize_body(invoice_code, otp=otp), as_=as_, authorization=f"Payment {token}"
    )


def _code(response: TestResponse) -> str:
    return str(response.get_json()["code"])


def test_success_returns_the_documented_transaction(signed: SignedClient) -> None:
    token = payment_token(signed, prakerja_id=PARTICIPANT)
    response = _authorize(signed, token)
    body = response.get_json()
    assert response.status_code == 200
    assert body["message"] == "Pelatihan berhasil dibeli."
    data = body["data"]
    assert set(data) == {"invoice_code", "transaction_code", "amount", "status", "prakerja_name"}
    assert data["invoice_code"] == "INV-0001"
    assert data["amount"] == TEST_PRICE
    assert data["status"] == "SUCCESS"
    assert data["prakerja_name"] == "Syarifah Ibrahim"
    assert len(data["transaction_code"]) == 16
    assert data["transaction_code"].isalnum()
    assert data["transaction_code"].upper() == data["transaction_code"]


def test_success_debits_the_balance_and_takes_a_seat(signed: SignedClient, sandbox: Sandbox) -> None:
    balance = scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    sold = scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,))
    _authorize(signed, payment_token(signed, prakerja_id=PARTICIPANT))
    assert scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,)) == (
        balance - TEST_PRICE
    )
    assert scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,)) == sold + 1


def test_success_issues_a_redeem_code_owned_by_the_course_lp(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "kopi", lp_code="lp-kopi-nusantara")
    token = payment_token(
        signed, prakerja_id=PARTICIPANT, course_code="kopi", schedule_code=schedule, amount=500000
    )
    data = _authorize(signed, token).get_json()["data"]
    with sandbox.store.read() as tx:
        code = tx.one("SELECT * FROM redeem_codes WHERE transaction_code = ?", (data["transaction_code"],))
    assert code is not None
    assert len(code["code"]) == 12
    assert code["code"].isalnum()
    assert (code["lp_code"], code["course_code"], code["schedule_code"], code["status"]) == (
        "lp-kopi-nusantara",
        "kopi",
        schedule,
        0,
    )
    assert (code["dp_code"], code["invoice_code"], code["prakerja_id"]) == (
        "tokopedia",
        "INV-0001",
        PARTICIPANT,
    )


def test_success_texts_the_redeem_code(signed: SignedClient, sandbox: Sandbox) -> None:
    data = _authorize(signed, payment_token(signed, prakerja_id=PARTICIPANT)).get_json()["data"]
    with sandbox.store.read() as tx:
        code = tx.scalar(
            "SELECT code FROM redeem_codes WHERE transaction_code = ?", (data["transaction_code"],)
        )
        message = tx.one("SELECT * FROM inbox WHERE kind = 'redeem_code' ORDER BY id DESC LIMIT 1")
    assert message is not None
    assert message["redeem_code"] == code
    assert code in message["text"]
    assert message["prakerja_id"] == PARTICIPANT


def test_missing_authorization_header_answers_errplt40107(signed: SignedClient) -> None:
    response = signed.post(AUTHORIZE, authorize_body())
    assert response.status_code == 400
    assert _code(response) == "ERRPLT40107"


@pytest.mark.parametrize("header", ["Bearer abc", "Payment", "Payment   ", "abc"])
def test_malformed_authorization_header_answers_errplt40107(signed: SignedClient, header: str) -> None:
    assert _code(signed.post(AUTHORIZE, authorize_body(), authorization=header)) == "ERRPLT40107"


def test_payment_scheme_is_case_insensitive(signed: SignedClient) -> None:
    token = payment_token(signed)
    response = signed.post(AUTHORIZE, authorize_body(), authorization=f"payment {token}")
    assert response.status_code == 200


def test_unknown_token_answers_errplt40026(signed: SignedClient) -> None:
    assert _code(_authorize(signed, "0" * 32)) == "ERRPLT40026"


def test_token_of_another_platform_answers_errplt40026(signed: SignedClient) -> None:
    token = payment_token(signed)
    assert _code(_authorize(signed, token, as_="bukalapak")) == "ERRPLT40026"


def test_used_token_answers_errplt40027(signed: SignedClient) -> None:
    token = payment_token(signed)
    assert _authorize(signed, token).status_code == 200
    assert _code(_authorize(signed, token, invoice_code="INV-0002")) == "ERRPLT40027"


def test_wrong_otp_answers_errplt40023(signed: SignedClient) -> None:
    assert _code(_authorize(signed, payment_token(signed), otp="654321")) == "ERRPLT40023"


def test_right_otp_after_two_wrong_ones_succeeds(signed: SignedClient) -> None:
    token = payment_token(signed)
    for _ in range(2):
        assert _code(_authorize(signed, token, otp="000000")) == "ERRPLT40023"
    assert _authorize(signed, token).status_code == 200


def test_third_wrong_otp_locks_the_token_with_errplt40025(signed: SignedClient) -> None:
    token = payment_token(signed)
    codes = [_code(_authorize(signed, token, otp="000000")) for _ in range(3)]
    assert codes == ["ERRPLT40023", "ERRPLT40023", "ERRPLT40025"]
    assert _code(_authorize(signed, token)) == "ERRPLT40025"


def test_otp_expires_after_300_seconds_with_errplt40024(signed: SignedClient, sandbox: Sandbox) -> None:
    token = payment_token(signed)
    sandbox.clock.advance(300)
    assert _code(_authorize(signed, token)) == "ERRPLT40024"


def test_otp_is_accepted_just_before_expiry(signed: SignedClient, sandbox: Sandbox) -> None:
    token = payment_token(signed)
    sandbox.clock.advance(298)
    assert _authorize(signed, token).status_code == 200


def test_token_expires_after_900_seconds_with_errplt40029(signed: SignedClient, sandbox: Sandbox) -> None:
    token = payment_token(signed)
    sandbox.clock.advance(900)
    assert _code(_authorize(signed, token)) == "ERRPLT40029"


def test_invoice_code_used_before_answers_errplt40030(signed: SignedClient) -> None:
    assert _authorize(signed, payment_token(signed)).status_code == 200
    assert _code(_authorize(signed, payment_token(signed), invoice_code="INV-0001")) == "ERRPLT40030"


def test_invoice_code_is_unique_per_platform_only(signed: SignedClient) -> None:
    assert _authorize(signed, payment_token(signed)).status_code == 200
    other = payment_token(signed, as_="bukalapak")
    assert _authorize(signed, other, as_="bukalapak").status_code == 200


def test_refused_invoice_leaves_the_token_usable(signed: SignedClient) -> None:
    assert _authorize(signed, payment_token(signed)).status_code == 200
    token = payment_token(signed)
    assert _code(_authorize(signed, token, invoice_code="INV-0001")) == "ERRPLT40030"
    assert _authorize(signed, token, invoice_code="INV-0002").status_code == 200


def test_seat_taken_after_send_otp_answers_errplt40013(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "tiny", capacity=1)
    token = payment_token(signed, course_code="tiny", schedule_code=schedule, amount=500000)
    execute(sandbox, "UPDATE schedules SET sold = 1 WHERE code = ?", (schedule,))
    assert _code(_authorize(signed, token)) == "ERRPLT40013"


def test_balance_spent_after_send_otp_answers_errplt40015(signed: SignedClient, sandbox: Sandbox) -> None:
    token = payment_token(signed, prakerja_id=PARTICIPANT)
    execute(sandbox, "UPDATE participants SET balance = 100 WHERE prakerja_id = ?", (PARTICIPANT,))
    assert _code(_authorize(signed, token)) == "ERRPLT40015"
    assert scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,)) == 100


def test_new_send_otp_supersedes_the_earlier_token_with_errplt40029(signed: SignedClient) -> None:
    first = payment_token(signed, prakerja_id=PARTICIPANT)
    second = payment_token(signed, prakerja_id=PARTICIPANT)
    assert _code(_authorize(signed, first)) == "ERRPLT40029"
    assert _authorize(signed, second, invoice_code="INV-0002").status_code == 200


def test_send_otp_on_another_platform_also_supersedes(signed: SignedClient) -> None:
    first = payment_token(signed, prakerja_id=PARTICIPANT)
    payment_token(signed, prakerja_id=PARTICIPANT, as_="bukalapak")
    assert _code(_authorize(signed, first)) == "ERRPLT40029"


def test_send_otp_for_another_course_keeps_the_earlier_token(signed: SignedClient, sandbox: Sandbox) -> None:
    first = payment_token(signed, prakerja_id=PARTICIPANT)
    schedule = add_course(sandbox, "other")
    payment_token(signed, prakerja_id=PARTICIPANT, course_code="other", schedule_code=schedule, amount=500000)
    assert _authorize(signed, first).status_code == 200


def test_purchase_binds_the_platform_user(signed: SignedClient, sandbox: Sandbox) -> None:
    _authorize(signed, payment_token(signed, prakerja_id=PARTICIPANT, user_platform_id="acct-9"))
    bound = scalar(
        sandbox,
        "SELECT prakerja_id FROM platform_bindings WHERE dp_code = 'tokopedia' AND user_platform_id = 'acct-9'",
    )
    assert bound == PARTICIPANT


def test_training_institution_calling_authorize_answers_errplt40301(signed: SignedClient) -> None:
    response = signed.post(AUTHORIZE, authorize_body(), as_=LP, authorization="Payment x")
    assert _code(response) == "ERRPLT40301"


def test_go_sample_signature_with_the_authorization_slot_is_accepted(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    token = payment_token(signed)
    response = signed.post(
        AUTHORIZE, authorize_body(), authorization=f"Payment {token}", sign_authorization=True
    )
    assert response.status_code == 200
    assert scalar(sandbox, "SELECT signature_variant FROM request_log ORDER BY id DESC LIMIT 1") == (
        "authorization_raw"
    )


def test_status_reports_the_purchase_afterwards(signed: SignedClient) -> None:
    data = _authorize(signed, payment_token(signed, prakerja_id=PARTICIPANT)).get_json()["data"]
    status = signed.post(STATUS, {"invoice_code": "INV-0001"}).get_json()["data"]
    assert status["transaction_code"] == data["transaction_code"]
    assert status["status"] == "SUCCESS"
    assert status["amount"] == TEST_PRICE
