"""Rule edges a mutation run showed untested: programme age bounds under a wider course, OTP expiry on both sides
of its whole window, and a signature wrong in a single character anywhere, the last one included."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja.signing import sign
from prakerja_sandbox import Sandbox

from .conftest import SignedClient
from .kit import (
    AUTHORIZE,
    PARTICIPANT,
    SEND_OTP,
    add_course,
    authorize_body,
    execute,
    payment_token,
    scalar,
    send_otp_body,
)

FIXTURES_OK = settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _birthday_years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age(birth: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (birth.month, birth.day)
    return today.year - birth.year - (0 if had_birthday else 1)


def _send_otp_at_birth(
    signed: SignedClient, sandbox: Sandbox, birth: date, course: str, schedule: str
) -> str:
    execute(
        sandbox,
        "UPDATE participants SET birth_date = ? WHERE prakerja_id = ?",
        (birth.isoformat(), PARTICIPANT),
    )
    body = send_otp_body(prakerja_id=PARTICIPANT, course_code=course, schedule_code=schedule, amount=500000)
    answer = signed.post(SEND_OTP, body)
    return "OK" if answer.status_code == 200 else str(answer.get_json()["code"])


@pytest.mark.parametrize(
    ("years", "days_later", "outcome"),
    [
        (18, 1, "ERRPLT40014"),  # turns 18 tomorrow: 17, under the programme's 18 though the course takes 15
        (18, 0, "OK"),  # 18 today
        (65, 1, "OK"),  # turns 65 tomorrow: still 64
        (65, 0, "ERRPLT40014"),  # 65 today: over the programme's 64 though the course takes up to 70
    ],
)
def test_the_programme_bounds_hold_under_a_course_wider_than_the_programme(
    signed: SignedClient, sandbox: Sandbox, years: int, days_later: int, outcome: str
) -> None:
    schedule = add_course(sandbox, "wide-ages", min_age=15, max_age=70)
    birth = _birthday_years_before(sandbox.clock.now().date(), years) + timedelta(days=days_later)

    assert _send_otp_at_birth(signed, sandbox, birth, "wide-ages", schedule) == outcome


@FIXTURES_OK
@given(
    years=st.integers(10, 80),
    days=st.integers(-3, 3),
    bounds=st.sampled_from([(15, 70), (18, 64), (20, 40), (10, 90), (30, 50)]),
)
def test_eligible_ages_are_the_intersection_of_programme_and_course(
    signed: SignedClient, sandbox: Sandbox, years: int, days: int, bounds: tuple[int, int]
) -> None:
    low, high = bounds
    code = f"ages-{low}-{high}"
    existing = scalar(sandbox, "SELECT code FROM schedules WHERE course_code = ?", (code,))
    schedule = existing or add_course(sandbox, code, min_age=low, max_age=high, capacity=1000)
    today = sandbox.clock.now().date()
    birth = _birthday_years_before(today, years) + timedelta(days=days)
    eligible = max(18, low) <= _age(birth, today) <= min(64, high)

    assert _send_otp_at_birth(signed, sandbox, birth, code, schedule) == ("OK" if eligible else "ERRPLT40014")


def _authorize(signed: SignedClient, token: str) -> str:
    answer = signed.post(AUTHORIZE, authorize_body(f"INV-{token[:12]}"), authorization=f"Payment {token}")
    return "OK" if answer.status_code == 200 else str(answer.get_json()["code"])


@FIXTURES_OK
@given(seconds=st.integers(0, 1200))
def test_an_otp_works_for_300_seconds_and_its_token_for_900(
    signed: SignedClient, sandbox: Sandbox, seconds: int
) -> None:
    sandbox.clock.set_offset(0)
    token = payment_token(signed)
    sandbox.clock.advance(seconds)
    expected = "OK" if seconds < 299 else "ERRPLT40024" if 300 <= seconds < 900 else "ERRPLT40029"

    outcome = _authorize(signed, token)

    if seconds == 299:  # the second the request takes may tip it over: either side of the boundary is right
        assert outcome in {"OK", "ERRPLT40024"}
    else:
        assert outcome == expected


QUOTA = "/api/v1/integration/payment/quota-schedule"


@FIXTURES_OK
@given(position=st.integers(0, 39), replacement=st.sampled_from("0123456789abcdef"))
def test_a_signature_wrong_in_one_character_anywhere_is_refused(
    signed: SignedClient, position: int, replacement: str
) -> None:
    client_code, key = signed.credentials("tokopedia")
    body = b'{"course_code":"prakerjaoauth1","schedule_code":"prakerjaoauth"}'
    moment = int(time.time())
    right = sign(
        sign_key=key, client_code=client_code, timestamp=moment, method="POST", path=QUOTA, body=body
    )
    wrong = right[:position] + replacement + right[position + 1 :]

    answer = signed.post(QUOTA, raw=body, timestamp=moment, signature=wrong)

    if wrong == right:
        assert answer.status_code == 200
    else:
        assert (answer.status_code, answer.get_json()["code"]) == (400, "ERRPLT40104")


def test_a_signature_wrong_only_in_its_last_character_is_refused(signed: SignedClient) -> None:
    client_code, key = signed.credentials("tokopedia")
    body = b'{"course_code":"prakerjaoauth1","schedule_code":"prakerjaoauth"}'
    moment = int(time.time())
    right = sign(
        sign_key=key, client_code=client_code, timestamp=moment, method="POST", path=QUOTA, body=body
    )

    answers = {
        last: signed.post(QUOTA, raw=body, timestamp=moment, signature=right[:-1] + last)
        for last in "0123456789abcdef"
        if last != right[-1]
    }

    assert len(answers) == 15
    assert {last: (a.status_code, a.get_json()["code"]) for last, a in answers.items()} == dict.fromkeys(
        answers, (400, "ERRPLT40104")
    )
    assert signed.post(QUOTA, raw=body, timestamp=moment, signature=right).status_code == 200
