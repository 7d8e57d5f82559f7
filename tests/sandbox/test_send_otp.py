"""payments.send_otp: every rule and every code it can answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox

from .conftest import LP, SignedClient
from .kit import (
    BUYER,
    PARTICIPANT,
    SEND_OTP,
    TEST_COURSE,
    TEST_SCHEDULE,
    add_course,
    buy,
    execute,
    scalar,
    send_otp_body,
)


def _code(response: TestResponse) -> str:
    body = response.get_json()
    return str(body["code"])


def test_success_returns_a_payment_token_and_expiries(signed: SignedClient) -> None:
    response = signed.post(SEND_OTP, send_otp_body())
    body = response.get_json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["message"] == "OTP berhasil dikirim."
    data = body["data"]
    assert len(data["payment_token"]) == 32
    assert data["amount"] == 20000
    assert data["otp_sent_to"] == "0899****0200"
    assert data["otp_expires_at"] < data["token_expires_at"]


def test_expiries_are_300_and_900_seconds_after_sandbox_now(signed: SignedClient, sandbox: Sandbox) -> None:
    from prakerja_sandbox.clock import parse_time

    before = sandbox.clock.now()
    data = signed.post(SEND_OTP, send_otp_body()).get_json()["data"]
    assert (parse_time(data["otp_expires_at"]) - before).total_seconds() in range(300, 302)
    assert (parse_time(data["token_expires_at"]) - before).total_seconds() in range(900, 902)


def test_the_otp_goes_to_the_sms_inbox_and_not_the_response(signed: SignedClient, sandbox: Sandbox) -> None:
    response = signed.post(SEND_OTP, send_otp_body())
    assert "123456" not in response.get_data(as_text=True)
    with sandbox.store.read() as tx:
        message = tx.one("SELECT * FROM inbox ORDER BY id DESC LIMIT 1")
    assert message is not None
    assert message["kind"] == "otp"
    assert message["otp"] == "123456"
    assert "123456" in message["text"]
    assert message["payment_token"] == response.get_json()["data"]["payment_token"]


def test_random_otp_mode_sends_another_six_digit_otp() -> None:
    from prakerja_sandbox import create_app

    app = create_app({"otp_mode": "random"})
    sandbox = app.extensions["prakerja_sandbox"]
    from .conftest import SignedClient as Client

    signed = Client(app.test_client(), sandbox)
    otps = set()
    for index in range(5):
        assert signed.post(SEND_OTP, send_otp_body(user_platform_id=f"u{index}")).status_code == 200
    with sandbox.store.read() as tx:
        otps = {row["otp"] for row in tx.all("SELECT otp FROM inbox")}
    assert all(len(otp) == 6 and otp.isdigit() for otp in otps)
    assert otps != {"123456"}


def test_unknown_course_answers_errplt40018(signed: SignedClient) -> None:
    assert _code(signed.post(SEND_OTP, send_otp_body(course_code="no-such-course"))) == "ERRPLT40018"


def test_course_not_sold_on_this_platform_answers_errplt40019(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "elsewhere", sold_on=("bukalapak",))
    body = send_otp_body(course_code="elsewhere", schedule_code=schedule, amount=500000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40019"
    assert signed.post(SEND_OTP, body, as_="SBX-DP-BUKALAPAK").status_code == 200


@pytest.mark.parametrize("lp_status", ["pending_validation", "suspended"])
def test_course_of_an_lp_not_validated_answers_errplt40022(
    signed: SignedClient, sandbox: Sandbox, lp_status: str
) -> None:
    schedule = add_course(sandbox, "shaky")
    execute(sandbox, "UPDATE partners SET status = ? WHERE code = 'lp-cipta-kreasi-nusantara'", (lp_status,))
    body = send_otp_body(course_code="shaky", schedule_code=schedule, amount=500000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40022"


def test_seeded_course_of_a_pending_lp_cannot_be_sold(signed: SignedClient) -> None:
    body = send_otp_body(course_code="tdi_1_2c752253", schedule_code="f7f8cc6728f4fd5c", amount=700000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40022"


def test_unknown_schedule_answers_errplt40010(signed: SignedClient) -> None:
    assert _code(signed.post(SEND_OTP, send_otp_body(schedule_code="no-such-schedule"))) == "ERRPLT40010"


def test_schedule_of_another_course_answers_errplt40011(signed: SignedClient) -> None:
    body = send_otp_body(schedule_code="prakerjaoauth-webinar")
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40011"


def test_started_course_answers_errplt40012(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "begun", start_in=timedelta(minutes=-1))
    body = send_otp_body(course_code="begun", schedule_code=schedule, amount=500000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40012"


def test_course_starting_later_becomes_unsellable_when_the_clock_passes_its_start(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    schedule = add_course(sandbox, "soon", start_in=timedelta(minutes=10))
    body = send_otp_body(course_code="soon", schedule_code=schedule, amount=500000)
    assert signed.post(SEND_OTP, body).status_code == 200
    sandbox.clock.advance(600)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40012"


def test_floating_start_course_is_always_sellable(signed: SignedClient, sandbox: Sandbox) -> None:
    sandbox.clock.advance(86400 * 30)
    body = send_otp_body(course_code="prakerjaoauth2", schedule_code="prakerjaoauth-webinar")
    assert signed.post(SEND_OTP, body).status_code == 200


def test_full_schedule_answers_errplt40013(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "full", capacity=3)
    execute(sandbox, "UPDATE schedules SET sold = 3 WHERE code = ?", (schedule,))
    body = send_otp_body(course_code="full", schedule_code=schedule, amount=500000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40013"


def test_unknown_participant_answers_errplt40016(signed: SignedClient) -> None:
    assert _code(signed.post(SEND_OTP, send_otp_body(prakerja_id="1234567890123456"))) == "ERRPLT40016"


def test_inactive_participant_answers_errplt40016(signed: SignedClient) -> None:
    assert _code(signed.post(SEND_OTP, send_otp_body(prakerja_id="8971617333849811"))) == "ERRPLT40016"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@pytest.mark.parametrize(
    ("years_ago", "days_later", "allowed"),
    [
        (18, 1, False),  # turns 18 tomorrow: 17
        (18, 0, True),  # 18 today
        (65, 1, True),  # turns 65 tomorrow: 64
        (65, 0, False),  # 65 today
    ],
)
def test_programme_age_is_18_to_64(
    signed: SignedClient, sandbox: Sandbox, years_ago: int, days_later: int, allowed: bool
) -> None:
    birth = _years_before(sandbox.clock.now().date(), years_ago) + timedelta(days=days_later)
    execute(
        sandbox,
        "UPDATE participants SET birth_date = ? WHERE prakerja_id = ?",
        (birth.isoformat(), PARTICIPANT),
    )
    response = signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))
    if allowed:
        assert response.status_code == 200, response.get_json()
    else:
        assert _code(response) == "ERRPLT40014"


def test_course_maximum_age_answers_errplt40014(signed: SignedClient, sandbox: Sandbox) -> None:
    schedule = add_course(sandbox, "young", max_age=30)
    execute(
        sandbox, "UPDATE participants SET birth_date = '1980-01-01' WHERE prakerja_id = ?", (PARTICIPANT,)
    )
    body = send_otp_body(prakerja_id=PARTICIPANT, course_code="young", schedule_code=schedule, amount=500000)
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40014"


@pytest.mark.parametrize(
    ("education", "required", "allowed"),
    [
        ("SMP", "SMA", False),
        ("SMK", "SMA", True),
        ("SMA", "SMK", True),
        ("D3", "D4", False),
        ("S1", "D4", True),
    ],
)
def test_course_education_requirement(
    signed: SignedClient, sandbox: Sandbox, education: str, required: str, allowed: bool
) -> None:
    schedule = add_course(sandbox, "schooled", min_education=required)
    execute(sandbox, "UPDATE participants SET education = ? WHERE prakerja_id = ?", (education, PARTICIPANT))
    body = send_otp_body(
        prakerja_id=PARTICIPANT, course_code="schooled", schedule_code=schedule, amount=500000
    )
    response = signed.post(SEND_OTP, body)
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert _code(response) == "ERRPLT40014"


def test_amount_other_than_the_price_answers_errplt40017(signed: SignedClient) -> None:
    assert _code(signed.post(SEND_OTP, send_otp_body(amount=19999))) == "ERRPLT40017"


def test_platform_user_bound_to_another_card_answers_errplt40020(signed: SignedClient) -> None:
    buy(signed, prakerja_id=PARTICIPANT, user_platform_id="shared-account")
    body = send_otp_body(prakerja_id=BUYER, user_platform_id="shared-account")
    assert _code(signed.post(SEND_OTP, body)) == "ERRPLT40020"


def test_platform_user_binding_is_per_platform(signed: SignedClient) -> None:
    buy(signed, prakerja_id=PARTICIPANT, user_platform_id="shared-account")
    body = send_otp_body(prakerja_id=BUYER, user_platform_id="shared-account")
    assert signed.post(SEND_OTP, body, as_="SBX-DP-BUKALAPAK").status_code == 200


def test_course_bought_before_answers_errplt40021(signed: SignedClient) -> None:
    buy(signed, prakerja_id=PARTICIPANT)
    assert _code(signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))) == "ERRPLT40021"


def test_always_succeeding_test_participant_may_buy_again(signed: SignedClient) -> None:
    buy(signed, prakerja_id=BUYER)
    assert signed.post(SEND_OTP, send_otp_body(prakerja_id=BUYER)).status_code == 200


def test_low_balance_answers_errplt40015(signed: SignedClient, sandbox: Sandbox) -> None:
    execute(sandbox, "UPDATE participants SET balance = 19999 WHERE prakerja_id = ?", (PARTICIPANT,))
    assert _code(signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))) == "ERRPLT40015"


def test_send_otp_changes_no_balance_and_takes_no_seat(signed: SignedClient, sandbox: Sandbox) -> None:
    balance = scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    sold = scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,))
    assert signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT)).status_code == 200
    assert (
        scalar(sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,)) == balance
    )
    assert scalar(sandbox, "SELECT sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,)) == sold


def test_shared_test_course_is_sold_on_every_platform(signed: SignedClient) -> None:
    for dp in ("SBX-DP-BUKALAPAK", "SBX-DP-SISNAKER", "SBX-DP-PINTARIA"):
        assert signed.post(SEND_OTP, send_otp_body(course_code=TEST_COURSE), as_=dp).status_code == 200


def test_training_institution_calling_send_otp_answers_errplt40301(signed: SignedClient) -> None:
    response = signed.post(SEND_OTP, send_otp_body(), as_=LP)
    assert response.status_code == 400
    assert _code(response) == "ERRPLT40301"


def test_suspended_platform_answers_errplt40302(signed: SignedClient, sandbox: Sandbox) -> None:
    execute(sandbox, "UPDATE partners SET status = 'suspended' WHERE code = 'tokopedia'")
    response = signed.post(SEND_OTP, send_otp_body())
    assert response.status_code == 400
    assert _code(response) == "ERRPLT40302"
