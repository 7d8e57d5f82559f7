"""The attendance desk against a local Prakerja sandbox, with Prakerja's documented PRAT- test codes."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from attendance_desk import PARTICIPANT_MESSAGES, AttendanceDesk, Outcome, make_app

import prakerja
from prakerja.testing import LocalSandbox

CALLBACK = "http://127.0.0.1:8000/prakerja/attendance/callback"
LP = "SBX-LP-CIPTAKREASI"


@pytest.fixture
def desk(prakerja_sandbox: LocalSandbox) -> Iterator[AttendanceDesk]:
    with prakerja_sandbox.client(LP) as client:
        client.attendance.reset("PRAT-TC1001")  # the positive test case starts fresh
        yield AttendanceDesk(client, callback_url=CALLBACK)


def test_a_verified_participant_is_recorded(desk: AttendanceDesk, prakerja_sandbox: LocalSandbox) -> None:
    page = desk.start("PRAT-TC1001", email="peserta@example.id")
    assert isinstance(page, str)

    callback = prakerja_sandbox.verify_attendance(page)
    outcome = desk.callback(_query(callback))

    assert outcome == Outcome(recorded=True, message="Kehadiran sesi 1 tercatat. Selamat belajar!")
    assert desk.attended == {"PRAT-TC1001": {1}}


def test_a_failed_verification_records_nothing(desk: AttendanceDesk, prakerja_sandbox: LocalSandbox) -> None:
    page = desk.start("PRAT-TC1001", email="peserta@example.id")
    assert isinstance(page, str)

    outcome = desk.callback(_query(prakerja_sandbox.verify_attendance(page, attended=False)))

    assert not outcome.recorded
    assert desk.attended == {}


def test_a_forged_callback_is_refused(desk: AttendanceDesk) -> None:
    outcome = desk.callback(
        {"state": "made-up", "redeem_code": "PRAT-TC1001", "sequence": "1", "status": "verified"}
    )

    assert not outcome.recorded
    assert desk.attended == {}


@pytest.mark.parametrize(
    ("redeem_code", "code"),
    [
        ("PRAT-N1A001", "ERRRDM40004"),  # the purchase was voided
        ("PRAT-N3A001", "ERRRDM40003"),  # an offline course
        ("PRAT-N2A001", "ERRRDM40006"),  # a webinar starting tomorrow
        ("PRAT-NOTFND", "ERRRDM40001"),  # no such code
    ],
)
def test_refused_codes_are_explained(desk: AttendanceDesk, redeem_code: str, code: str) -> None:
    outcome = desk.start(redeem_code, email="peserta@example.id")

    assert outcome == Outcome(recorded=False, message=PARTICIPANT_MESSAGES[code])


def test_the_post_test_needs_the_session_first(desk: AttendanceDesk) -> None:
    outcome = desk.start("PRAT-TC1001", email="peserta@example.id", sequence=999)

    assert outcome == Outcome(recorded=False, message=PARTICIPANT_MESSAGES["ERRRDM40007"])


def test_the_web_pages_over_a_real_socket(prakerja_sandbox_server: LocalSandbox) -> None:
    with prakerja_sandbox_server.client(LP) as client:
        client.attendance.reset("PRAT-TC1001")
        web = make_app(AttendanceDesk(client, callback_url=CALLBACK)).test_client()

        started = web.post(
            "/prakerja/attendance/start", data={"redeem_code": "PRAT-TC1001", "email": "a@example.id"}
        )
        assert started.status_code == 302
        callback = prakerja_sandbox_server.verify_attendance(started.headers["Location"])
        done = web.get("/prakerja/attendance/callback?" + callback.split("?", 1)[1])

        assert done.status_code == 200
        assert client.attendance.status("PRAT-TC1001").status is prakerja.RedeemCodeState.REDEEMED


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))
