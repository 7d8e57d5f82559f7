"""The attendance verification page: what it shows, what its buttons record and where they redirect."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient

from prakerja_sandbox import Sandbox
from prakerja_sandbox.domain.verification import mask_name

from .conftest import SignedClient
from .lp_kit import (
    CALLBACK,
    VERIFICATION_PAGE,
    buy_code,
    generate,
    open_state,
    press,
    query_of,
    redeem_status,
)


def _page(client: FlaskClient, state: str) -> str:
    response = client.get(f"{VERIFICATION_PAGE}?state={state}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_page_url_from_url_generate_opens_the_page(signed: SignedClient) -> None:
    url = generate(signed, "PRAT-TC1001").get_json()["data"]["url"]
    response = signed.client.get(url.removeprefix("http://localhost"))
    assert response.status_code == 200
    assert "Verifikasi Kehadiran" in response.get_data(as_text=True)


def test_page_shows_the_masked_participant_course_and_sequence(signed: SignedClient) -> None:
    code = buy_code(signed)
    page = _page(signed.client, open_state(signed, code))
    assert "P****** U** S*****" in page  # Peserta Uji Sukses
    assert "Peserta Uji Sukses" not in page
    assert "Menjadi Content Creator Media Sosial untuk Pemula" in page
    assert "Sesi 1" in page
    assert code in page


def test_page_names_the_post_test(signed: SignedClient) -> None:
    page = _page(signed.client, open_state(signed, "PRAT-TC1999", sequence=999))
    assert "Post-test (999)" in page


def test_page_has_both_buttons_and_carries_the_state(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    page = _page(signed.client, state)
    assert re.search(r'<button[^>]*value="verified"[^>]*>\s*Verifikasi wajah berhasil', page)
    assert re.search(r'<button[^>]*value="failed"[^>]*>\s*Gagal', page)
    assert f'name="state" value="{state}"' in page
    assert 'method="post"' in page


def test_page_is_indonesian_mobile_friendly_and_self_contained(signed: SignedClient) -> None:
    page = _page(signed.client, open_state(signed, "PRAT-TC1001"))
    assert '<html lang="id">' in page
    assert 'name="viewport"' in page
    assert 'lang="en"' in page  # English subtitles
    assert not re.search(r'(src|href)="(https?:)?//', page)  # no external asset


def test_stylesheet_is_served_by_the_sandbox(client: FlaskClient) -> None:
    response = client.get("/static/pages/pages.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"


def test_page_is_not_cached(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    assert signed.client.get(f"{VERIFICATION_PAGE}?state={state}").headers["Cache-Control"] == "no-store"


def test_verified_redirects_to_the_callback_with_the_outcome(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    response = press(signed.client, state, "verified")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(f"{CALLBACK}?")
    assert query_of(location) == {
        "state": state,
        "redeem_code": "PRAT-TC1001",
        "sequence": "1",
        "status": "verified",
    }


def test_failed_redirects_with_status_failed(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    location = press(signed.client, state, "failed").headers["Location"]
    assert query_of(location)["status"] == "failed"


def test_verifying_sequence_1_redeems_the_code(signed: SignedClient, sandbox: Sandbox) -> None:
    press(signed.client, open_state(signed, "PRAT-TC1001"))
    data = redeem_status(signed, "PRAT-TC1001", 1)
    assert (data["status"], data["attendance_status"], data["redeem_at"]) == (1, 1, sandbox.clock.now_text())


def test_failed_verification_leaves_the_code_unused(signed: SignedClient) -> None:
    press(signed.client, open_state(signed, "PRAT-TC1001"), "failed")
    data = redeem_status(signed, "PRAT-TC1001", 1)
    assert (data["status"], data["attendance_status"], data["redeem_at"]) == (0, 2, None)


def test_failed_verification_can_be_retried_with_a_new_url(signed: SignedClient) -> None:
    press(signed.client, open_state(signed, "PRAT-TC1001"), "failed")
    press(signed.client, open_state(signed, "PRAT-TC1001"), "verified")
    assert redeem_status(signed, "PRAT-TC1001", 1)["attendance_status"] == 1


def test_later_session_keeps_the_first_redeem_time(signed: SignedClient, sandbox: Sandbox) -> None:
    code = buy_code(signed)
    press(signed.client, open_state(signed, code, sequence=1))
    redeemed_at = redeem_status(signed, code)["redeem_at"]
    sandbox.clock.advance(timedelta(days=1).total_seconds())
    press(signed.client, open_state(signed, code, sequence=2))
    data = redeem_status(signed, code, 2)
    assert (data["attendance_status"], data["redeem_at"]) == (1, redeemed_at)


def test_used_state_gets_an_error_page(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    press(signed.client, state)
    response = press(signed.client, state)
    assert response.status_code == 400
    assert "sudah digunakan" in response.get_data(as_text=True)


def test_used_state_cannot_be_opened_again(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    press(signed.client, state)
    assert signed.client.get(f"{VERIFICATION_PAGE}?state={state}").status_code == 400


def test_unknown_state_gets_an_html_error_page(client: FlaskClient) -> None:
    response = client.get(f"{VERIFICATION_PAGE}?state=tidak-ada")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "tidak dikenal" in response.get_data(as_text=True)


def test_unknown_state_posted_gets_an_html_error_page(client: FlaskClient) -> None:
    response = press(client, "tidak-ada")
    assert (response.status_code, response.mimetype) == (400, "text/html")


def test_missing_state_gets_an_html_error_page(client: FlaskClient) -> None:
    response = client.get(VERIFICATION_PAGE)
    assert (response.status_code, response.mimetype) == (400, "text/html")
    assert "tidak lengkap" in response.get_data(as_text=True)


def test_expired_state_gets_an_error_page(signed: SignedClient, sandbox: Sandbox) -> None:
    state = open_state(signed, "PRAT-TC1001")
    sandbox.clock.advance(timedelta(hours=1, seconds=1).total_seconds())
    response = signed.client.get(f"{VERIFICATION_PAGE}?state={state}")
    assert response.status_code == 400
    assert "kedaluwarsa" in response.get_data(as_text=True)


def test_unknown_outcome_gets_an_error_page_and_records_nothing(signed: SignedClient) -> None:
    state = open_state(signed, "PRAT-TC1001")
    response = press(signed.client, state, "maybe")
    assert response.status_code == 400
    assert redeem_status(signed, "PRAT-TC1001", 1)["attendance_status"] == 0


def test_second_url_of_a_verified_sequence_is_refused_with_errrdm40005(signed: SignedClient) -> None:
    first, second = open_state(signed, "PRAT-TC1001"), open_state(signed, "PRAT-TC1001")
    press(signed.client, first)
    response = press(signed.client, second)
    assert response.status_code == 400
    assert "ERRRDM40005" in response.get_data(as_text=True)


def test_code_cancelled_after_url_generate_is_refused_with_errrdm40004(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    code = buy_code(signed, invoice_code="INV-CANCEL")
    state = open_state(signed, code)
    with sandbox.store.read() as tx:
        transaction = tx.scalar("SELECT transaction_code FROM redeem_codes WHERE code = ?", (code,))
    signed.post(
        "/api/v1/integration/payment/void", {"invoice_code": "INV-CANCEL", "transaction_code": transaction}
    )
    response = press(signed.client, state)
    assert response.status_code == 400
    assert "ERRRDM40004" in response.get_data(as_text=True)
    assert redeem_status(signed, code)["attendance_status"] == 0


def test_redirect_keeps_the_query_of_the_registered_callback(signed: SignedClient, sandbox: Sandbox) -> None:
    callback = "https://ciptakreasi.example/prakerja/callback?lang=id"
    with sandbox.store.transaction() as tx:
        tx.execute(
            "UPDATE partners SET redirect_uris = ? WHERE code = 'lp-cipta-kreasi-nusantara'",
            (f'["{callback}"]',),
        )
    state = open_state(signed, "PRAT-TC1001", redirect_uri=callback)
    location = press(signed.client, state).headers["Location"]
    assert location.startswith("https://ciptakreasi.example/prakerja/callback?lang=id&state=")


def test_mask_name_keeps_initials_only() -> None:
    assert mask_name("Budi  Santoso") == "B*** S******"
