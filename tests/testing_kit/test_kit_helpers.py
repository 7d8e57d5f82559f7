"""The testing kit's typed helpers: records for courses and schedules, SSO login, faults, clients that
retry without waiting, and Prakerja's answers for respx/MockTransport tests."""

from __future__ import annotations

import typing
import urllib.parse
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prakerja
from prakerja._operations import OPERATIONS, OperationId
from prakerja.contract import load_contract
from prakerja.testing import (
    NO_WAIT_RETRY,
    Course,
    LocalSandbox,
    SandboxError,
    Schedule,
    error_response,
    success_response,
)

LP = "SBX-LP-CIPTAKREASI"
SSO_CALLBACK = "http://127.0.0.1:8000/prakerja/sso/callback"
LOGIN = "http://127.0.0.1:8000/login"


def test_operation_id_names_every_operation_of_the_contract() -> None:
    assert set(typing.get_args(OperationId)) == set(OPERATIONS) == set(load_contract().operations)


def test_created_courses_and_schedules_are_records_the_sdk_can_buy(prakerja_sandbox: LocalSandbox) -> None:
    course = prakerja_sandbox.create_course("KIT-COURSE", type="webinar", price=125000, sold_on=["tokopedia"])
    schedule = prakerja_sandbox.create_schedule(
        "KIT-COURSE-1", course_code=course.code, starts_in=timedelta(days=3), capacity=7
    )

    assert isinstance(course, Course)
    assert (course.code, course.price, course.type, course.sold_on) == (
        "KIT-COURSE",
        125000,
        "webinar",
        ("tokopedia",),
    )
    assert isinstance(schedule, Schedule)
    assert schedule.capacity == 7
    assert schedule.start_at - prakerja_sandbox.now() > timedelta(days=2, hours=23)
    with prakerja_sandbox.client() as dp:
        assert dp.payments.quota(course_code=course.code, schedule_code=schedule.code).quota == 7


def test_kit_clients_retry_without_waiting(
    prakerja_sandbox: LocalSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("prakerja._client.time.sleep", waits.append)
    prakerja_sandbox.inject_fault("payments.quota", kind="error", status=503, code="ERRPLT50301", count=2)

    with prakerja_sandbox.client() as dp:
        raw = dp.payments.with_raw_response.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth")

    assert dp.retry == NO_WAIT_RETRY
    assert raw.attempts == 3
    assert waits == [0.0, 0.0]


def test_an_injected_429_with_retry_after_is_not_waited_for(prakerja_sandbox: LocalSandbox) -> None:
    prakerja_sandbox.inject_fault(
        "payments.quota", kind="error", status=429, code="ERRPLT42901", retry_after=30
    )

    with prakerja_sandbox.client() as dp, pytest.raises(prakerja.errors.RateLimitError):
        dp.payments.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth")


@pytest.mark.parametrize("allow", [True, False])
def test_sso_login_plays_the_user_on_the_consent_page(prakerja_sandbox: LocalSandbox, allow: bool) -> None:
    buyer = prakerja_sandbox.create_participant(name="Rina Wulandari", email="rina@example.id")
    with prakerja_sandbox.client(LP) as lp:
        page = lp.sso.login_url(state="s-1", redirect_uri=SSO_CALLBACK, login_uri=LOGIN)
        back = prakerja_sandbox.sso_login(page.redirect_url, buyer.prakerja_id, allow=allow)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(back).query))
        assert query["state"] == "s-1"
        if not allow:
            assert back.startswith(LOGIN)
            assert query["error"] == "access_denied"
            return
        assert back.startswith(SSO_CALLBACK)
        token = lp.sso.create_token(query["code"])
        profile = lp.sso.profile(token.access_token)

    assert profile.email == "rina@example.id"


def test_sso_login_with_an_unknown_user_says_why(prakerja_sandbox: LocalSandbox) -> None:
    with prakerja_sandbox.client(LP) as lp:
        page = lp.sso.login_url(state="s-2", redirect_uri=SSO_CALLBACK, login_uri=LOGIN)
    with pytest.raises(SandboxError, match="did not redirect"):
        prakerja_sandbox.sso_login(page.redirect_url, "nobody@example.id")


CODES = sorted(load_contract().errors)


@pytest.fixture(scope="module")
def mocked_client() -> typing.Iterator[tuple[prakerja.PrakerjaClient, list[httpx.Response]]]:
    answers: list[httpx.Response] = []
    transport = httpx.MockTransport(lambda request: answers[-1])
    with prakerja.PrakerjaClient(
        client_code="SBX-DP-X", sign_key="k", base_url="local", transport=transport, retry=prakerja.NO_RETRY
    ) as client:
        yield client, answers


@settings(deadline=None, max_examples=60)
@given(code=st.sampled_from(CODES), request_id=st.none() | st.from_regex(r"\A[a-z0-9-]{1,20}\Z"))
def test_error_response_is_the_catalogue_refusal_the_sdk_maps_to_its_class(
    mocked_client: tuple[prakerja.PrakerjaClient, list[httpx.Response]], code: str, request_id: str | None
) -> None:
    client, answers = mocked_client
    entry = load_contract().errors[code]
    answers.append(error_response(code, request_id=request_id))

    with pytest.raises(prakerja.PrakerjaAPIError) as raised:
        client.payments.status("INV-1")

    assert raised.value.code == code
    assert raised.value.status_code == entry.http_status
    assert raised.value.message == entry.message_id
    assert raised.value.request_id == request_id


def test_error_response_refuses_an_unknown_code_unless_told_how_to_answer() -> None:
    with pytest.raises(KeyError, match="not in the error catalogue"):
        error_response("ERRPLT49999")
    response = error_response("ERRPLT49999", message="Baru.", status_code=400)
    assert response.json() == {"success": False, "code": "ERRPLT49999", "message": "Baru."}


def test_success_response_wraps_data_in_the_envelope(
    mocked_client: tuple[prakerja.PrakerjaClient, list[httpx.Response]],
) -> None:
    client, answers = mocked_client
    data: dict[str, Any] = {"course_code": "C", "schedule_code": "S", "quota": 12}
    answers.append(success_response(data, request_id="req-1"))

    raw = client.payments.with_raw_response.quota(course_code="C", schedule_code="S")

    assert raw.parse().quota == 12
    assert raw.request_id == "req-1"
