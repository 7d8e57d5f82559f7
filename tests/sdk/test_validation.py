"""Arguments that break a documented rule fail before anything is sent, with an error that names the argument;
arguments that break only a rule the contract infers are sent as given, with an InputWarning."""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import prakerja
from prakerja._core import CallContext
from prakerja._requests import DOCUMENTED_CHECKS, RULES
from prakerja.environments import PRODUCTION
from prakerja.errors import InputWarning

from .conftest import Api
from .operations import call_builder

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
    ("redeem code not a string", lambda c: c.attendance.status(1001), "redeem_code: must be a string"),
    ("empty invoice code", lambda c: c.payments.status(""), "invoice_code: must not be empty"),
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
        "no SSO scope",
        lambda c: c.sso.login_url(
            state="S", redirect_uri="https://lp.example/cb", login_uri="https://lp.example/in", scope=[]
        ),
        "scope: must name at least one",
    ),
    ("empty SSO code", lambda c: c.sso.create_token(""), "code: must not be empty"),
    (
        "access token with a newline",
        lambda c: c.sso.profile("at_1\nX-Evil: 1"),
        "access_token: the value given has a control character",
    ),
]

#: Arguments outside a rule the contract infers (not a documented one): sent as given, with an InputWarning
#: naming the argument.
WARNED: list[tuple[str, Operation, str]] = [
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
    ("invoice code with a space", lambda c: c.payments.reconcile("INV 1"), "invoice_code:"),
    (
        "amount zero",
        lambda c: c.payments.send_otp(
            user_platform_id="u", prakerja_id="4180123456789012", course_code="C", schedule_code="S", amount=0
        ),
        "amount: 0 is not a price",
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
        "otp: the value given is not the 4 or 6 digits",
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
        "SSO state with a control character",
        lambda c: c.sso.login_url(
            state="S\x00", redirect_uri="https://lp.example/cb", login_uri="https://lp.example/in"
        ),
        "state:",
    ),
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


async def test_secrets_are_not_echoed_in_warnings_or_errors(api: Api, respx_mock: Any) -> None:
    respx_mock.route().respond(200, json={"success": True, "message": "OK", "data": {}})

    with pytest.warns(InputWarning, match="otp: the value given is not") as caught:
        await api(
            lambda c: c.payments.authorize(
                "pt_1", otp="98765x", invoice_code="I", invoice_url="https://x.example"
            )
        )

    assert all("98765x" not in str(w.message) for w in caught)
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


CONSENT = {
    "state": "STATE-1",
    "redirect_uri": "https://lp.example/cb",
    "login_uri": "https://lp.example/in",
    "client_name": "LP",
}


async def test_the_consent_url_refuses_a_missing_part(api: Api) -> None:
    with pytest.raises(prakerja.InvalidInputError, match="state: must not be empty"):
        api.client.sso.consent_url(**{**CONSENT, "state": ""})


@pytest.mark.parametrize("consent", [{"client_name": "Bad\x07Name"}, {"redirect_uri": "ftp://lp.example/cb"}])
async def test_the_consent_url_warns_about_parts_outside_the_inferred_rules(
    api: Api, consent: dict[str, str]
) -> None:
    with pytest.warns(InputWarning, match=next(iter(consent))):
        url = api.client.sso.consent_url(**{**CONSENT, **consent})

    assert url.startswith("https://oauth.prakerja.go.id/consent-sso?")


@pytest.mark.parametrize(("case", "operation", "message"), WARNED, ids=[case for case, _, _ in WARNED])
async def test_arguments_outside_an_inferred_rule_are_sent_with_a_warning(
    api: Api, respx_mock: Any, case: str, operation: Operation, message: str
) -> None:
    respx_mock.route().respond(200, json={"success": True, "message": "OK", "data": {}})

    async def call() -> None:
        # A read whose empty answer lacks what it asked for raises; the request went out all the same.
        with contextlib.suppress(prakerja.UnexpectedResponseError):
            await api(operation)

    with pytest.warns(InputWarning, match=message.replace("(", r"\(")) as caught:
        await call()

    assert len(respx_mock.calls) == 1
    assert caught[0].filename == __file__  # the warning points at the caller's line


BUILDER = call_builder(CallContext(client_code="SBX-LP-CIPTAKREASI", environment=PRODUCTION))
#: (argument, rule, how to build a call that carries it in its body)
BODY_ARGUMENTS: list[tuple[str, str, Callable[[str], Any]]] = [
    ("redeem_code", "RedeemCode", lambda v: BUILDER.attendance.status(v)),
    ("invoice_code", "InvoiceCode", lambda v: BUILDER.payments.status(v)),
    (
        "otp",
        "Otp",
        lambda v: BUILDER.payments.authorize("pt", otp=v, invoice_code="I", invoice_url="https://d/i"),
    ),
    (
        "prakerja_id",
        "PrakerjaId",
        lambda v: BUILDER.payments.send_otp(
            user_platform_id="u", prakerja_id=v, course_code="C", schedule_code="S", amount=1
        ),
    ),
    ("code", "SsoCode", lambda v: BUILDER.sso.create_token(v)),
    ("token", "SsoRefreshToken", lambda v: BUILDER.sso.refresh_token(v)),
    (
        "notes",
        "Notes",
        lambda v: BUILDER.tpm.submit_feedback("PRAT-TC1001", scope="tpm", sequence=1, notes=v),
    ),
]


@pytest.mark.parametrize(("field", "rule", "build"), BODY_ARGUMENTS, ids=[f for f, _, _ in BODY_ARGUMENTS])
def test_any_non_empty_text_is_sent_as_given_and_warned_only_outside_the_inferred_rule(
    field: str, rule: str, build: Callable[[str], Any]
) -> None:
    @settings(max_examples=80, deadline=None)
    @given(value=st.one_of(st.text(min_size=1), st.from_regex(RULES[rule].pattern or ".+", fullmatch=True)))
    def check(value: str) -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call = build(value)

        assert json.loads(call.content)[field] == value
        warned = [w for w in caught if issubclass(w.category, InputWarning)]
        assert bool(warned) is not RULES[rule].accepts(value)

    check()


@pytest.mark.parametrize("otp", ["1234", "123456"])
def test_a_4_or_6_digit_otp_is_sent_without_a_warning(otp: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        call = BUILDER.payments.authorize("pt", otp=otp, invoice_code="I", invoice_url="https://d/i")

    assert json.loads(call.content)["otp"] == otp


def test_an_integer_invoice_code_is_sent_as_text() -> None:
    call = BUILDER.payments.authorize("pt", otp="123456", invoice_code=20231024, invoice_url="https://d/i")

    assert json.loads(call.content)["invoice_code"] == "20231024"


def test_docs_list_every_documented_check_with_its_source() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "sdk.md").read_text(encoding="utf-8")

    for check in DOCUMENTED_CHECKS:
        assert f"| {check.check} | {check.source} |" in page
