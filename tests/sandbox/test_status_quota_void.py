"""payments.status, payments.quota and payments.void."""

from __future__ import annotations

import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox

from .conftest import LP, SignedClient
from .kit import (
    PARTICIPANT,
    QUOTA,
    SEND_OTP,
    STATUS,
    TEST_COURSE,
    TEST_PRICE,
    TEST_SCHEDULE,
    VOID,
    buy,
    execute,
    scalar,
    send_otp_body,
)


def _code(response: TestResponse) -> str:
    return str(response.get_json()["code"])


def _void(
    signed: SignedClient, invoice_code: str, transaction_code: str, as_: str = "tokopedia"
) -> TestResponse:
    return signed.post(VOID, {"invoice_code": invoice_code, "transaction_code": transaction_code}, as_=as_)


# status


def test_status_of_a_seeded_example_invoice(signed: SignedClient) -> None:
    data = signed.post(STATUS, {"invoice_code": "testing-1234567"}).get_json()["data"]
    assert data["invoice_code"] == "testing-1234567"
    assert data["status"] == "SUCCESS"
    assert data["created_at"] == "2023-10-24T10:54:45Z"


def test_status_of_an_unknown_invoice_answers_errplt40032(signed: SignedClient) -> None:
    assert _code(signed.post(STATUS, {"invoice_code": "never-issued"})) == "ERRPLT40032"


def test_status_is_scoped_to_the_calling_platform(signed: SignedClient) -> None:
    buy(signed, invoice_code="MINE-1")
    assert _code(signed.post(STATUS, {"invoice_code": "MINE-1"}, as_="bukalapak")) == "ERRPLT40032"


def test_status_after_void_is_void(signed: SignedClient) -> None:
    data = buy(signed, invoice_code="INV-V")
    assert _void(signed, "INV-V", data["transaction_code"]).status_code == 200
    assert signed.post(STATUS, {"invoice_code": "INV-V"}).get_json()["data"]["status"] == "VOID"


def test_status_by_a_training_institution_answers_errplt40301(signed: SignedClient) -> None:
    assert _code(signed.post(STATUS, {"invoice_code": "testing-1234567"}, as_=LP)) == "ERRPLT40301"


# quota


def test_quota_counts_seats_left(signed: SignedClient, sandbox: Sandbox) -> None:
    before = signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}).get_json()[
        "data"
    ]
    buy(signed)
    after = signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}).get_json()[
        "data"
    ]
    assert after == {**before, "quota": before["quota"] - 1}
    capacity = scalar(sandbox, "SELECT capacity FROM schedules WHERE code = ?", (TEST_SCHEDULE,))
    sold = scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,))
    assert after["quota"] == capacity - sold


@pytest.mark.parametrize(
    "body",
    [
        {"course_code": TEST_COURSE},
        {"schedule_code": TEST_SCHEDULE},
        {"course_code": "", "schedule_code": TEST_SCHEDULE},
        {"course_code": TEST_COURSE, "schedule_code": ""},
        {"course_code": None, "schedule_code": TEST_SCHEDULE},
        {},
    ],
)
def test_quota_with_empty_codes_answers_documented_errplt40036(
    signed: SignedClient, body: dict[str, object]
) -> None:
    response = signed.post(QUOTA, body)
    assert response.status_code == 400
    assert _code(response) == "ERRPLT40036"


def test_quota_of_an_unknown_course_answers_errplt40018(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, {"course_code": "nope", "schedule_code": TEST_SCHEDULE})) == "ERRPLT40018"


def test_quota_of_an_unknown_schedule_answers_errplt40010(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": "nope"})) == "ERRPLT40010"


def test_quota_of_another_course_schedule_answers_errplt40011(signed: SignedClient) -> None:
    body = {"course_code": TEST_COURSE, "schedule_code": "prakerjaoauth-webinar"}
    assert _code(signed.post(QUOTA, body)) == "ERRPLT40011"


def test_quota_never_goes_negative(signed: SignedClient, sandbox: Sandbox) -> None:
    execute(sandbox, "UPDATE schedules SET sold = capacity WHERE code = ?", (TEST_SCHEDULE,))
    data = signed.post(QUOTA, {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}).get_json()["data"]
    assert data["quota"] == 0


# void


def test_void_restores_balance_and_seat_and_cancels_the_code(signed: SignedClient, sandbox: Sandbox) -> None:
    balance = scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    sold = scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,))
    data = buy(signed, prakerja_id=PARTICIPANT)
    response = _void(signed, "INV-0001", data["transaction_code"])
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "message": "Transaksi berhasil dibatalkan."}
    assert (
        scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,)) == balance
    )
    assert scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,)) == sold
    code_status = scalar(
        sandbox, "SELECT status FROM redeem_codes WHERE transaction_code = ?", (data["transaction_code"],)
    )
    assert code_status == 2


def test_voided_purchase_can_be_bought_again(signed: SignedClient) -> None:
    data = buy(signed, prakerja_id=PARTICIPANT)
    _void(signed, "INV-0001", data["transaction_code"])
    assert signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT)).status_code == 200


def test_void_of_an_unknown_transaction_answers_errvod40001(signed: SignedClient) -> None:
    assert _code(_void(signed, "INV-0001", "AAAAAAAAAAAAAAAA")) == "ERRVOD40001"


def test_void_of_another_platform_transaction_answers_errvod40001(signed: SignedClient) -> None:
    data = buy(signed)
    assert _code(_void(signed, "INV-0001", data["transaction_code"], as_="bukalapak")) == "ERRVOD40001"


def test_void_twice_answers_errplt40028(signed: SignedClient) -> None:
    data = buy(signed)
    assert _void(signed, "INV-0001", data["transaction_code"]).status_code == 200
    assert _code(_void(signed, "INV-0001", data["transaction_code"])) == "ERRPLT40028"


def test_void_with_another_purchase_invoice_answers_errvod40002(signed: SignedClient) -> None:
    first = buy(signed, invoice_code="INV-A")
    buy(signed, invoice_code="INV-B")
    assert _code(_void(signed, "INV-B", first["transaction_code"])) == "ERRVOD40002"


def test_void_with_an_unknown_invoice_answers_errplt40032(signed: SignedClient) -> None:
    data = buy(signed)
    assert _code(_void(signed, "INV-UNKNOWN", data["transaction_code"])) == "ERRPLT40032"


def test_void_after_the_code_was_redeemed_answers_errvod40003(signed: SignedClient, sandbox: Sandbox) -> None:
    data = buy(signed)
    execute(
        sandbox, "UPDATE redeem_codes SET status = 1 WHERE transaction_code = ?", (data["transaction_code"],)
    )
    assert _code(_void(signed, "INV-0001", data["transaction_code"])) == "ERRVOD40003"
    assert signed.post(STATUS, {"invoice_code": "INV-0001"}).get_json()["data"]["status"] == "SUCCESS"


def test_void_of_the_seeded_redeemed_example_answers_errvod40003(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    transaction_code = scalar(
        sandbox, "SELECT transaction_code FROM transactions WHERE invoice_code = 'testing-1234567'"
    )
    assert _code(_void(signed, "testing-1234567", transaction_code)) == "ERRVOD40003"


def test_void_amount_matches_what_was_paid(signed: SignedClient, sandbox: Sandbox) -> None:
    data = buy(signed, prakerja_id=PARTICIPANT)
    assert data["amount"] == TEST_PRICE
    paid = scalar(
        sandbox, "SELECT amount FROM transactions WHERE transaction_code = ?", (data["transaction_code"],)
    )
    assert paid == TEST_PRICE


def test_void_after_a_failed_verification_succeeds(signed: SignedClient, sandbox: Sandbox) -> None:
    data = buy(signed)
    redeem_code = scalar(
        sandbox,
        "SELECT redeem_code FROM transactions WHERE transaction_code = ?",
        (data["transaction_code"],),
    )
    execute(
        sandbox,
        "INSERT INTO attendance (redeem_code, sequence, status) VALUES (?, 1, 2)",
        (redeem_code,),
    )
    response = _void(signed, "INV-0001", data["transaction_code"])
    assert response.status_code == 200, response.get_json()
    assert signed.post(STATUS, {"invoice_code": "INV-0001"}).get_json()["data"]["status"] == "VOID"
