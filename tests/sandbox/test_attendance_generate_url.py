"""attendance.generate_url: the verification page URL and every rule checked before it is opened."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY

from .conftest import SignedClient
from .lp_kit import (
    CALLBACK,
    EMAIL,
    LP,
    OFFLINE,
    OTHER_LP,
    SECOND_BUYER,
    WEBINAR_STARTS_IN,
    attend,
    buy_code,
    generate,
    open_state,
    refusal,
)


def _email_of(sandbox: Sandbox, code: str) -> str | None:
    with sandbox.store.read() as tx:
        value = tx.scalar("SELECT email FROM redeem_codes WHERE code = ?", (code,))
    return None if value is None else str(value)


def test_answers_the_page_url_state_and_course(signed: SignedClient) -> None:
    response = generate(signed, "PRAT-TC2001", sequence=1)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["success"], body["message"]) == (True, "OK")
    data = body["data"]
    assert data["course"] == {"type": 2, "learning_method": "online"}
    assert data["url"] == f"http://localhost/oauth/verification?state={data['state']}"


def test_self_paced_course_reports_type_1(signed: SignedClient) -> None:
    response = generate(signed, "PRAT-TC1001")
    assert response.get_json()["data"]["course"] == {"type": 1, "learning_method": "online"}


def test_each_call_opens_a_new_state(signed: SignedClient) -> None:
    assert open_state(signed, "PRAT-TC1001") != open_state(signed, "PRAT-TC1001")


def test_omitted_sequence_opens_sequence_1(signed: SignedClient, sandbox: Sandbox) -> None:
    state = open_state(signed, "PRAT-TC1001")
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT sequence FROM verifications WHERE state = ?", (state,)) == 1


def test_page_url_uses_the_configured_public_base_url() -> None:
    app = create_app({"public_base_url": "https://sandbox.lembaga.example/"})
    signed = SignedClient(app.test_client(), app.extensions[EXTENSION_KEY])
    url = generate(signed, "PRAT-TC1001").get_json()["data"]["url"]
    assert urlsplit(url)[:3] == ("https", "sandbox.lembaga.example", "/oauth/verification")


def test_email_is_bound_to_the_code_in_lower_case(signed: SignedClient, sandbox: Sandbox) -> None:
    open_state(signed, "PRAT-TC1001", email="Peserta.Satu@Example.COM")
    assert _email_of(sandbox, "PRAT-TC1001") == "peserta.satu@example.com"


def test_unknown_code_answers_errrdm40001(signed: SignedClient) -> None:
    response = generate(signed, "PRAT-NOTFND")
    assert (response.status_code, refusal(response)) == (400, "ERRRDM40001")


def test_code_of_another_institution_answers_errrdm40002(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert refusal(generate(signed, code, as_=OTHER_LP)) == "ERRRDM40002"


def test_test_codes_are_shared_by_every_institution(signed: SignedClient) -> None:
    assert generate(signed, "PRAT-TC1001", as_=OTHER_LP).status_code == 200


def test_purchased_code_works_for_its_own_institution(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert generate(signed, code).status_code == 200


def test_offline_course_answers_errrdm40003(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N3A001")) == "ERRRDM40003"


def test_purchased_offline_code_answers_errrdm40003(signed: SignedClient) -> None:
    code = buy_code(signed, **OFFLINE)
    assert refusal(generate(signed, code, as_=OTHER_LP)) == "ERRRDM40003"


def test_cancelled_test_code_answers_errrdm40004(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N1A001")) == "ERRRDM40004"


def test_voided_purchase_answers_errrdm40004(signed: SignedClient, sandbox: Sandbox) -> None:
    code = buy_code(signed, invoice_code="INV-VOID-1")
    with sandbox.store.read() as tx:
        transaction = tx.scalar("SELECT transaction_code FROM redeem_codes WHERE code = ?", (code,))
    voided = signed.post(
        "/api/v1/integration/payment/void", {"invoice_code": "INV-VOID-1", "transaction_code": transaction}
    )
    assert voided.status_code == 200
    assert refusal(generate(signed, code)) == "ERRRDM40004"


def test_unregistered_redirect_uri_answers_errrdm40010(signed: SignedClient) -> None:
    response = generate(signed, "PRAT-TC1001", redirect_uri="https://evil.example/callback")
    assert refusal(response) == "ERRRDM40010"
    assert response.get_json()["debug"]["field"] == "redirect_uri"


def test_redirect_uri_of_another_institution_answers_errrdm40010(signed: SignedClient) -> None:
    response = generate(signed, "PRAT-TC1001", redirect_uri="https://kopinusantara.example/prakerja/callback")
    assert refusal(response) == "ERRRDM40010"


def test_verified_sequence_answers_errrdm40005(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N1B001", sequence=1)) == "ERRRDM40005"


def test_sequence_verified_through_the_page_answers_errrdm40005(signed: SignedClient) -> None:
    attend(signed, "PRAT-TC1001", 1)
    assert refusal(generate(signed, "PRAT-TC1001", sequence=1)) == "ERRRDM40005"


def test_post_test_before_the_sessions_answers_errrdm40007(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N1C999", sequence=999)) == "ERRRDM40007"


def test_session_2_before_session_1_answers_errrdm40007(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert refusal(generate(signed, code, sequence=2)) == "ERRRDM40007"


def test_skipped_session_answers_errrdm40007(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    assert refusal(generate(signed, code, sequence=3)) == "ERRRDM40007"


def test_sessions_in_order_are_accepted(signed: SignedClient) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    attend(signed, code, 2)
    assert generate(signed, code, sequence=3).status_code == 200


def test_post_test_needs_every_session(signed: SignedClient) -> None:
    code = buy_code(signed)
    for sequence in (1, 2):
        attend(signed, code, sequence)
    assert refusal(generate(signed, code, sequence=999)) == "ERRRDM40007"


def test_post_test_after_every_session_is_accepted(signed: SignedClient) -> None:
    code = buy_code(signed)
    for sequence in (1, 2, 3):
        attend(signed, code, sequence)
    assert generate(signed, code, sequence=999).status_code == 200


def test_post_test_of_the_positive_case_is_accepted(signed: SignedClient) -> None:
    assert generate(signed, "PRAT-TC1999", sequence=999).status_code == 200


def test_sequence_beyond_the_sessions_answers_errrdm40008(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N1D005", sequence=5)) == "ERRRDM40008"


def test_session_4_of_a_3_session_course_answers_errrdm40008(signed: SignedClient) -> None:
    code = buy_code(signed)
    assert refusal(generate(signed, code, sequence=4)) == "ERRRDM40008"


def test_webinar_starting_tomorrow_answers_errrdm40006(signed: SignedClient) -> None:
    assert refusal(generate(signed, "PRAT-N2A001")) == "ERRRDM40006"


def test_webinar_more_than_an_hour_after_its_start_answers_errrdm40006(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    code = buy_code(signed)
    sandbox.clock.advance(timedelta(minutes=WEBINAR_STARTS_IN + 61).total_seconds())
    assert refusal(generate(signed, code)) == "ERRRDM40006"


def test_webinar_within_the_hour_after_its_start_is_accepted(signed: SignedClient, sandbox: Sandbox) -> None:
    code = buy_code(signed)
    sandbox.clock.advance(timedelta(minutes=WEBINAR_STARTS_IN + 59).total_seconds())
    assert generate(signed, code).status_code == 200


def test_webinar_more_than_an_hour_before_its_start_answers_errrdm40006(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    code = buy_code(signed)
    sandbox.clock.advance(timedelta(minutes=WEBINAR_STARTS_IN - 61).total_seconds())
    assert refusal(generate(signed, code)) == "ERRRDM40006"


def test_floating_test_webinar_is_inside_the_window_whatever_the_clock(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    sandbox.clock.advance(timedelta(days=40).total_seconds())
    assert generate(signed, "PRAT-TC2001").status_code == 200


def test_window_applies_to_sequence_1_only(signed: SignedClient, sandbox: Sandbox) -> None:
    code = buy_code(signed)
    attend(signed, code, 1)
    sandbox.clock.advance(timedelta(days=1).total_seconds())
    assert generate(signed, code, sequence=2).status_code == 200


def test_self_paced_course_has_no_window(signed: SignedClient, sandbox: Sandbox) -> None:
    sandbox.clock.advance(timedelta(days=400).total_seconds())
    assert generate(signed, "PRAT-TC1001").status_code == 200


def test_email_of_another_code_of_the_course_answers_errrdm40011(signed: SignedClient) -> None:
    open_state(signed, "PRAT-TC1001", email=EMAIL)
    response = generate(signed, "PRAT-TC1999", sequence=999, email=EMAIL.upper())
    assert refusal(response) == "ERRRDM40011"


def test_email_is_checked_between_purchased_codes(signed: SignedClient) -> None:
    first = buy_code(signed, invoice_code="INV-A")
    second = buy_code(signed, buyer=SECOND_BUYER, invoice_code="INV-B")
    open_state(signed, first, email="sama@example.com")
    assert refusal(generate(signed, second, email="sama@example.com")) == "ERRRDM40011"


def test_same_email_on_another_course_is_accepted(signed: SignedClient) -> None:
    open_state(signed, "PRAT-TC1001", email=EMAIL)
    assert generate(signed, "PRAT-TC2001", email=EMAIL).status_code == 200


def test_same_email_again_on_the_same_code_is_accepted(signed: SignedClient) -> None:
    open_state(signed, "PRAT-TC1001", email=EMAIL)
    assert generate(signed, "PRAT-TC1001", email=EMAIL).status_code == 200


def test_refused_call_binds_no_email(signed: SignedClient, sandbox: Sandbox) -> None:
    generate(signed, "PRAT-TC1001", redirect_uri="https://evil.example/cb")
    assert _email_of(sandbox, "PRAT-TC1001") is None


def test_digital_platform_answers_errplt40301(signed: SignedClient) -> None:
    response = signed.post(
        "/api/v1/integration/oauth/url-generate",
        {"redeem_code": "PRAT-TC1001", "redirect_uri": CALLBACK, "email": EMAIL},
    )
    assert refusal(response) == "ERRPLT40301"


@pytest.mark.parametrize("sequence", [0, 11, 998])
def test_sequence_outside_the_enum_answers_errplt40005(signed: SignedClient, sequence: int) -> None:
    assert refusal(generate(signed, "PRAT-TC1001", sequence=sequence)) == "ERRPLT40005"


def test_missing_email_answers_errplt40003(signed: SignedClient) -> None:
    response = signed.post(
        "/api/v1/integration/oauth/url-generate",
        {"redeem_code": "PRAT-TC1001", "redirect_uri": CALLBACK},
        as_=LP,
    )
    assert refusal(response) == "ERRPLT40003"


def test_the_callback_catcher_counts_under_the_sandboxs_own_address(signed: SignedClient) -> None:
    # partners.yaml registers the catcher at http://127.0.0.1:5000; this sandbox answers at http://localhost
    own = generate(signed, "PRAT-TC1001", redirect_uri="http://localhost/_sandbox/callback/attendance")
    assert own.status_code == 200


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:5001/_sandbox/callback/attendance",  # a catcher, but not this sandbox's address
        "https://localhost/_sandbox/callback/attendance",  # another scheme
        "http://localhost/_sandbox/callback/sso",  # the catcher of another kind of callback
        "http://localhost/_sandbox/callback/attendance/x",
        "http://localhost/x/_sandbox/callback/attendance",
    ],
)
def test_only_the_sandboxs_own_catcher_address_is_matched(signed: SignedClient, redirect_uri: str) -> None:
    assert refusal(generate(signed, "PRAT-TC1001", redirect_uri=redirect_uri)) == "ERRRDM40010"
