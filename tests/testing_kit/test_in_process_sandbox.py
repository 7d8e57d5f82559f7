"""The ``prakerja_sandbox`` fixture and its helpers, used the way a partner's tests use them."""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime

import pytest

import prakerja
from prakerja.errors import OtpExpiredError
from prakerja.testing import IN_PROCESS_URL, LocalSandbox

CALLBACK = "http://127.0.0.1:8000/prakerja/attendance/callback"


def _buy(sandbox: LocalSandbox, prakerja_id: str, invoice_code: str = "INV-KIT-1") -> str:
    with sandbox.client("SBX-DP-TOKOPEDIA") as dp:
        sent = dp.payments.send_otp(
            user_platform_id=f"user-{prakerja_id}",
            prakerja_id=prakerja_id,
            course_code="prakerjaoauth1",
            schedule_code="prakerjaoauth",
            amount=20000,
        )
        paid = dp.payments.authorize(
            sent.payment_token,
            otp=sandbox.otp(prakerja_id),
            invoice_code=invoice_code,
            invoice_url=f"https://dp.example/invoice/{invoice_code}",
        )
    return paid.transaction_code


def test_the_sdk_reaches_the_in_process_sandbox_without_a_socket(prakerja_sandbox: LocalSandbox) -> None:
    assert prakerja_sandbox.base_url == IN_PROCESS_URL
    assert prakerja_sandbox.transport is not None
    with prakerja_sandbox.client("SBX-DP-TOKOPEDIA") as client:
        quota = client.payments.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth")

    assert quota.quota > 0


def test_a_created_participant_can_buy_with_the_otp_read_from_the_inbox(
    prakerja_sandbox: LocalSandbox,
) -> None:
    buyer = prakerja_sandbox.create_participant(name="Siti Rahayu", balance=50000)

    transaction_code = _buy(prakerja_sandbox, buyer.prakerja_id)

    assert len(transaction_code) == 16
    assert prakerja_sandbox.sms(buyer.prakerja_id)[0].kind == "redeem_code"
    assert prakerja_sandbox.redeem_code(buyer.prakerja_id)


@pytest.mark.prakerja_sandbox(otp_mode="random")
def test_the_marker_configures_the_sandbox(prakerja_sandbox: LocalSandbox) -> None:
    buyer = prakerja_sandbox.create_participant()

    transaction_code = _buy(prakerja_sandbox, buyer.prakerja_id)

    assert prakerja_sandbox.app.extensions["prakerja_sandbox"].config.otp_mode == "random"
    assert transaction_code


def test_advancing_the_clock_expires_the_otp(prakerja_sandbox: LocalSandbox) -> None:
    buyer = prakerja_sandbox.create_participant()
    with prakerja_sandbox.client("SBX-DP-TOKOPEDIA") as dp:
        sent = dp.payments.send_otp(
            user_platform_id="u-clock",
            prakerja_id=buyer.prakerja_id,
            course_code="prakerjaoauth1",
            schedule_code="prakerjaoauth",
            amount=20000,
        )
        before = prakerja_sandbox.now()
        after = prakerja_sandbox.advance_clock(minutes=6)

        with pytest.raises(OtpExpiredError, match="ERRPLT40024"):
            dp.payments.authorize(
                sent.payment_token,
                otp=prakerja_sandbox.otp(buyer.prakerja_id),
                invoice_code="I-1",
                invoice_url="https://d.example/1",
            )
    assert (after - before).total_seconds() >= 360


def test_verifying_attendance_returns_the_lp_callback_with_the_outcome(
    prakerja_sandbox: LocalSandbox,
) -> None:
    buyer = prakerja_sandbox.create_participant(email="rahayu@example.id")
    _buy(prakerja_sandbox, buyer.prakerja_id)
    redeem_code = prakerja_sandbox.redeem_code(buyer.prakerja_id)
    with prakerja_sandbox.client("SBX-LP-CIPTAKREASI") as lp:
        page = lp.attendance.generate_url(
            redeem_code, redirect_uri=CALLBACK, email="rahayu@example.id", sequence=1
        )
        callback = prakerja_sandbox.verify_attendance(page.url)
        status = lp.attendance.status(redeem_code, sequence=1)

    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))
    assert callback.startswith(CALLBACK)
    assert query == {"state": page.state, "redeem_code": redeem_code, "sequence": "1", "status": "verified"}
    assert status.attendance_status == prakerja.AttendanceState.ATTENDED


def test_an_injected_fault_reaches_the_sdk_as_a_coded_error(prakerja_sandbox: LocalSandbox) -> None:
    prakerja_sandbox.inject_fault("payments.quota", kind="error", status=503, code="ERRPLT50301")

    with (
        prakerja_sandbox.client(retry=prakerja.NO_RETRY) as client,
        pytest.raises(prakerja.PrakerjaAPIError) as raised,
    ):
        client.payments.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth")

    assert raised.value.code == "ERRPLT50301"
    prakerja_sandbox.clear_faults()
    with prakerja_sandbox.client() as client:
        assert client.payments.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth").quota > 0


def test_reset_forgets_what_the_test_created(prakerja_sandbox: LocalSandbox) -> None:
    buyer = prakerja_sandbox.create_participant()
    _buy(prakerja_sandbox, buyer.prakerja_id)

    prakerja_sandbox.reset()

    assert prakerja_sandbox.sms(buyer.prakerja_id) == []
    with pytest.raises(LookupError, match="no OTP was sent"):
        prakerja_sandbox.otp(buyer.prakerja_id)


def test_coverage_lists_the_codes_the_test_met(prakerja_sandbox: LocalSandbox) -> None:
    with prakerja_sandbox.client() as client, pytest.raises(prakerja.PrakerjaAPIError):
        client.payments.status("INV-NEVER-USED")

    emitted = {row["code"] for row in prakerja_sandbox.coverage()["emitted"]}
    assert emitted == {"ERRPLT40032"}


def test_each_test_gets_its_own_sandbox() -> None:
    with LocalSandbox.in_process() as first, LocalSandbox.in_process() as second:
        first.create_participant(name="Hanya Di Sini", prakerja_id="1234567890123456")

        assert first.app is not second.app
        second.create_participant(name="Juga Di Sini", prakerja_id="1234567890123456")


def test_partners_are_listed_with_their_sandbox_credentials(prakerja_sandbox: LocalSandbox) -> None:
    dps = prakerja_sandbox.partners("DP")

    assert "SBX-DP-TOKOPEDIA" in {p.client_code for p in dps}
    assert prakerja_sandbox.partner("tokopedia").client_code == "SBX-DP-TOKOPEDIA"
    with pytest.raises(LookupError, match="no partner 'nobody'"):
        prakerja_sandbox.partner("nobody")


def test_coverage_survives_a_reset(prakerja_sandbox: LocalSandbox) -> None:
    with prakerja_sandbox.client() as client, pytest.raises(prakerja.PrakerjaAPIError):
        client.payments.status("INV-BEFORE-RESET")

    prakerja_sandbox.reset()

    assert {row["code"] for row in prakerja_sandbox.coverage()["emitted"]} == {"ERRPLT40032"}


def test_the_clock_can_be_set_to_a_moment(prakerja_sandbox: LocalSandbox) -> None:
    moment = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    assert prakerja_sandbox.set_clock(moment) == moment
    assert abs((prakerja_sandbox.now() - moment).total_seconds()) < 5


def test_the_contract_checks_run_against_the_fixture(prakerja_sandbox: LocalSandbox) -> None:
    report = prakerja_sandbox.check_contract(
        kinds=["valid"], operations=["payments.quota"], max_examples=5, seed=1
    )

    assert report.ok, report.summary()
    assert report.info.in_process
