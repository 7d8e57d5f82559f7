"""Arguments that break the contract fail before anything is sent, with an error that names the argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import prakerja

from .conftest import Api

pytestmark = pytest.mark.anyio

Operation = Callable[[Any], Any]

REFUSED: list[tuple[str, Operation, str]] = [
    (
        "sequence given as a string",
        lambda c: c.attendance.status("PRAT-TC1001", sequence="1"),
        "sequence: must be an integer",
    ),
    (
        "sequence outside 1..10 and 999",
        lambda c: c.attendance.status("PRAT-TC1001", sequence=11),
        "sequence: must be 1 to 10",
    ),
    (
        "sequence as a bool",
        lambda c: c.attendance.status("PRAT-TC1001", sequence=True),
        "sequence: must be an integer",
    ),
    ("empty redeem code", lambda c: c.attendance.status(""), "redeem_code: must not be empty"),
    (
        "redeem code with a slash",
        lambda c: c.attendance.reset("PRAT/TC1001"),
        "redeem_code: 'PRAT/TC1001' is not 1 to 64",
    ),
    (
        "redeem code with non-ASCII",
        lambda c: c.attendance.reset("PRAT-TÇ1001"),
        "redeem_code: 'PRAT-TÇ1001' is not",
    ),
    ("redeem code with a quote", lambda c: c.attendance.status('PRAT-"1'), "redeem_code:"),
    ("redeem code with a trailing newline", lambda c: c.attendance.status("PRAT-TC1001\n"), "redeem_code:"),
    ("redeem code too long", lambda c: c.attendance.status("A" * 65), "redeem_code:"),
    ("redeem code not a string", lambda c: c.attendance.status(1001), "redeem_code: must be a string"),
    ("empty invoice code", lambda c: c.payments.status(""), "invoice_code: must not be empty"),
    ("invoice code with a space", lambda c: c.payments.reconcile("INV 1"), "invoice_code:"),
    (
        "amount as a string",
        lambda c: c.payments.send_otp(
            user_platform_id="u",
            prakerja_id="4180123456789012",
            course_code="C",
            schedule_code="S",
            amount="20000",
        ),
        "amount: must be an integer",
    ),
    (
        "amount zero",
        lambda c: c.payments.send_otp(
            user_platform_id="u", prakerja_id="4180123456789012", course_code="C", schedule_code="S", amount=0
        ),
        "amount: must be a price",
    ),
    (
        "prakerja id of 15 digits",
        lambda c: c.payments.send_otp(
            user_platform_id="u", prakerja_id="418012345678901", course_code="C", schedule_code="S", amount=1
        ),
        "prakerja_id:",
    ),
    (
        "user platform id with a newline",
        lambda c: c.payments.send_otp(
            user_platform_id="u\n1",
            prakerja_id="4180123456789012",
            course_code="C",
            schedule_code="S",
            amount=1,
        ),
        "user_platform_id:",
    ),
    (
        "OTP of five digits",
        lambda c: c.payments.authorize(
            "pt_1", otp="12345", invoice_code="I", invoice_url="https://x.example/i"
        ),
        "otp: the value given is not the 6 digits",
    ),
    (
        "payment token with a space",
        lambda c: c.payments.authorize(
            "pt 1", otp="123456", invoice_code="I", invoice_url="https://x.example/i"
        ),
        "payment_token:",
    ),
    (
        "invoice URL without a scheme",
        lambda c: c.payments.authorize("pt_1", otp="123456", invoice_code="I", invoice_url="x.example/i"),
        "invoice_url:",
    ),
    (
        "redirect URI with a space",
        lambda c: c.attendance.generate_url(
            "PRAT-TC1001", redirect_uri="https://lp.example/a b", email="s@example.com"
        ),
        "redirect_uri:",
    ),
    (
        "e-mail without a domain",
        lambda c: c.attendance.generate_url(
            "PRAT-TC1001", redirect_uri="https://lp.example/cb", email="siti"
        ),
        "email:",
    ),
    (
        "unknown TPM scope",
        lambda c: c.tpm.submission_status("PRAT-TC1001", scope="ujian", sequence=1),
        "scope: must be 'tpm' or 'uk'",
    ),
    (
        "TPM sequence 0",
        lambda c: c.tpm.submission_status("PRAT-TC1001", scope="tpm", sequence=0),
        "sequence: must be 1 to 998",
    ),
    (
        "TPM sequence 1000",
        lambda c: c.tpm.submit_assignment(
            "PRAT-TC1001", scope="uk", sequence=1000, url_file="https://lp.example/f.md"
        ),
        "sequence:",
    ),
    (
        "empty feedback notes",
        lambda c: c.tpm.submit_feedback("PRAT-TC1001", scope="tpm", sequence=1, notes=""),
        "notes: must not be empty",
    ),
    (
        "feedback notes too long",
        lambda c: c.tpm.submit_feedback("PRAT-TC1001", scope="tpm", sequence=1, notes="x" * 2001),
        "notes:",
    ),
    (
        "unknown SSO scope",
        lambda c: c.sso.login_url(
            state="S",
            redirect_uri="https://lp.example/cb",
            login_uri="https://lp.example/in",
            scope="name phone",
        ),
        "scope:",
    ),
    (
        "no SSO scope",
        lambda c: c.sso.login_url(
            state="S", redirect_uri="https://lp.example/cb", login_uri="https://lp.example/in", scope=[]
        ),
        "scope: must name at least one",
    ),
    (
        "SSO state with a control character",
        lambda c: c.sso.login_url(
            state="S\x00", redirect_uri="https://lp.example/cb", login_uri="https://lp.example/in"
        ),
        "state:",
    ),
    ("empty SSO code", lambda c: c.sso.create_token(""), "code: must not be empty"),
    ("access token with a newline", lambda c: c.sso.profile("at_1\nX-Evil: 1"), "access_token:"),
]


@pytest.mark.parametrize(("case", "operation", "message"), REFUSED, ids=[case for case, _, _ in REFUSED])
async def test_contract_breaking_arguments_fail_locally(
    api: Api, respx_mock: Any, case: str, operation: Operation, message: str
) -> None:
    with pytest.raises(prakerja.InvalidInputError, match=message.replace("(", r"\(")):
        await api(operation)

    assert not respx_mock.calls  # nothing went out


async def test_the_error_is_a_value_error_naming_the_field(api: Api) -> None:
    with pytest.raises(ValueError, match="sequence") as raised:
        await api(lambda c: c.attendance.status("PRAT-TC1001", sequence="1"))

    assert isinstance(raised.value, prakerja.InvalidInputError)
    assert raised.value.field == "sequence"


async def test_secrets_are_not_echoed_in_validation_errors(api: Api) -> None:
    with pytest.raises(prakerja.InvalidInputError) as raised:
        await api(
            lambda c: c.payments.authorize(
                "pt_1", otp="98765x", invoice_code="I", invoice_url="https://x.example"
            )
        )

    assert "98765x" not in str(raised.value)
    with pytest.raises(prakerja.InvalidInputError, match=r"otp: must be a string .*, got int$") as raised:
        await api(
            lambda c: c.payments.authorize(
                "pt_1", otp=987654, invoice_code="I", invoice_url="https://x.example"
            )
        )
    assert "987654" not in str(raised.value)


async def test_methods_validate_when_called_not_when_awaited(api: Api) -> None:
    with pytest.raises(prakerja.InvalidInputError):
        api.client.attendance.status("")  # no await: the argument is refused at once


@pytest.mark.parametrize(
    "consent",
    [
        {"client_name": "Bad\x07Name"},
        {"redirect_uri": "ftp://lp.example/cb"},
        {"state": ""},
    ],
)
async def test_the_consent_url_validates_its_parts(api: Api, consent: dict[str, str]) -> None:
    arguments = {
        "state": "STATE-1",
        "redirect_uri": "https://lp.example/cb",
        "login_uri": "https://lp.example/in",
        "client_name": "LP",
        **consent,
    }

    with pytest.raises(prakerja.InvalidInputError):
        api.client.sso.consent_url(**arguments)
