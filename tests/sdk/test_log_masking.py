"""Personal data (UU PDP) never reaches the "prakerja" logger unmasked, unless the client opts out.

Each example makes a real client call through ``httpx.MockTransport``: the e-mail travels in the signed
request body, and the answer carries the personal value embedded in arbitrary text both as its error code
(logged in the message and in the record's ``code`` field) and as its ``X-Request-Id`` header (the message and
the ``request_id`` field).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import prakerja
from prakerja._logging import PersonalDataFilter, get_logger, mask_personal_data

from .conftest import NOW, SIGN_KEY, refusal
from .operations import PAYMENT_TOKEN

CARD_NUMBERS = st.from_regex(r"\A[0-9]{16}\Z")
PHONES = st.builds(
    lambda prefix, digits: f"{prefix}8{digits}",
    st.sampled_from(["0", "+62", "62"]),
    st.from_regex(r"\A[0-9]{8,11}\Z"),
)
EMAILS = st.emails()
PERSONAL = st.one_of(CARD_NUMBERS, PHONES, EMAILS)
# arbitrary printable ASCII (a header must be ASCII); the personal value stands apart, as a word does
TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=12)
LOGGING = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _answer(text: str) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=refusal(text), headers={"X-Request-Id": text})

    return handler


def _generate_url(is_async: bool, email: str, text: str, **options: Any) -> None:
    """``attendance.generate_url`` for ``email``, answered with a refusal coded ``text``, sync or async."""
    common: dict[str, Any] = {"client_code": "SBX-LP-CIPTAKREASI", "sign_key": SIGN_KEY, "clock": lambda: NOW}
    arguments: dict[str, Any] = {"redirect_uri": "https://lms.example/cb", "email": email, "sequence": 1}
    if is_async:

        async def call() -> None:
            transport = httpx.MockTransport(_answer(text))
            async with prakerja.AsyncPrakerjaClient(transport=transport, **common, **options) as client:
                await client.attendance.generate_url("GHOPNYXUVMT0", **arguments)

        with pytest.raises(prakerja.PrakerjaAPIError):
            anyio.run(call)
        return
    with (
        prakerja.PrakerjaClient(transport=httpx.MockTransport(_answer(text)), **common, **options) as client,
        pytest.raises(prakerja.PrakerjaAPIError),
    ):
        client.attendance.generate_url("GHOPNYXUVMT0", **arguments)


def _logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every message and every structured field of the captured records, as text."""
    logged = list(caplog.messages)
    for record in caplog.records:
        logged.extend(str(value) for key, value in vars(record).items() if key in {"code", "request_id"})
    return logged


def _field(record: logging.LogRecord, name: str) -> str:
    """A structured field the SDK logged with the record (its ``extra``); every one of them is text."""
    value = vars(record)[name]
    assert isinstance(value, str), value
    return value


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@LOGGING
@given(email=EMAILS, personal=PERSONAL, before=TEXT, after=TEXT)
def test_personal_data_is_masked_in_messages_and_fields(
    caplog: pytest.LogCaptureFixture, is_async: bool, email: str, personal: str, before: str, after: str
) -> None:
    # an address made of masking stars ("*@a.id") is still inside its masked form ("****@a.id"): nothing to find
    assume(email not in mask_personal_data(email) and personal not in mask_personal_data(personal))
    caplog.clear()
    text = f"{before} {personal} {after}"
    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        _generate_url(is_async, email, text)

    logged = _logged(caplog)
    assert len(caplog.messages) == 2  # the signed request and the refused answer
    answer = caplog.records[1]
    for masked in (
        caplog.messages[1],
        _field(answer, "code"),
        _field(answer, "request_id"),
    ):  # where the answer's text was logged
        assert "***" in masked
    for line in logged:
        assert personal not in line
        assert email not in line
    assert f'"email":"{mask_personal_data(email)}"' in caplog.messages[0]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@LOGGING
@given(email=EMAILS, personal=PERSONAL, before=TEXT, after=TEXT)
def test_log_personal_data_keeps_them(
    caplog: pytest.LogCaptureFixture, is_async: bool, email: str, personal: str, before: str, after: str
) -> None:
    caplog.clear()
    text = f"{before} {personal} {after}"
    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        _generate_url(is_async, email, text, log_personal_data=True)

    signed, answered = caplog.messages
    assert f'"email":"{email}"' in signed
    assert text in answered
    assert _field(caplog.records[1], "code") == text
    assert _field(caplog.records[1], "request_id") == text


def test_the_opt_out_is_per_client(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        _generate_url(False, "budi.santoso@example.com", "x", log_personal_data=True)
        _generate_url(False, "budi.santoso@example.com", "x")

    assert "budi.santoso@example.com" in caplog.messages[0]
    assert "b***@example.com" in caplog.messages[2]
    assert "budi.santoso@example.com" not in caplog.messages[2]


@given(
    value=st.one_of(
        st.from_regex(r"\AINV-[A-Z0-9]{1,20}\Z"),  # invoice codes
        st.from_regex(r"\AERR[A-Z]{3}[0-9]{5}\Z"),  # error codes
        st.from_regex(r"\A[A-Z0-9]{12}\Z"),  # redeem codes
        st.from_regex(r"\A[0-9]{6}\Z"),  # OTPs: a secret, kept out elsewhere, not personal data
        st.from_regex(r"\A1[0-9]{9}\Z"),  # Unix timestamps
    )
)
def test_values_that_are_not_personal_data_are_kept(value: str) -> None:
    assert mask_personal_data(f"code={value} done") == f"code={value} done"


@pytest.mark.parametrize(
    ("personal", "masked"),
    [
        ("1234567812345678", "************5678"),
        ("1234-5678-1234-5678", "************5678"),
        ("budi@example.com", "b***@example.com"),
        ("+6281234567890", "+62********890"),
        ("6281234567890", "62********890"),
        ("081234567890", "0********890"),
        ("0812-3456-7890", "0********890"),
    ],
)
def test_each_kind_keeps_a_recognisable_tail(personal: str, masked: str) -> None:
    assert mask_personal_data(f"peserta {personal}, ok") == f"peserta {masked}, ok"


@LOGGING
@given(otp=st.from_regex(r"\A[0-9]{6}\Z"), log_personal_data=st.booleans())
def test_an_otp_never_reaches_the_log_even_with_the_opt_out(
    caplog: pytest.LogCaptureFixture, otp: str, log_personal_data: bool
) -> None:
    caplog.clear()
    transport = httpx.MockTransport(lambda request: httpx.Response(400, json=refusal("ERRPLT40005")))
    client = prakerja.PrakerjaClient(
        client_code="SBX-DP-PLATFORM",
        sign_key=SIGN_KEY,
        clock=lambda: NOW,
        transport=transport,
        log_personal_data=log_personal_data,
    )
    with caplog.at_level(logging.DEBUG, logger="prakerja"), client, pytest.raises(prakerja.PrakerjaAPIError):
        client.payments.authorize(
            PAYMENT_TOKEN, otp=otp, invoice_code="INV-1", invoice_url="https://dp.example/inv/1"
        )

    assert '"otp":"******"' in caplog.messages[0]
    assert all(f'"{otp}"' not in message for message in caplog.messages)


def _package_loggers() -> dict[str, logging.Logger]:
    """Every logger of the prakerja tree that exists once every module of the package is imported."""
    for module in pkgutil.walk_packages(prakerja.__path__, "prakerja."):
        if module.name.rsplit(".", 1)[-1] != "__main__":
            importlib.import_module(module.name)
    return {
        name: found
        for name, found in logging.Logger.manager.loggerDict.items()
        if (name == "prakerja" or name.startswith("prakerja.")) and isinstance(found, logging.Logger)
    }


def test_every_logger_of_the_package_masks_personal_data() -> None:
    loggers = _package_loggers()

    # the package logs through at least these; each one needs its own filter
    assert {"prakerja", "prakerja.contract_check.proxy", "prakerja.testing.server"} <= set(loggers)
    unfiltered = [
        name
        for name, found in loggers.items()
        if not any(isinstance(each, PersonalDataFilter) for each in found.filters)
    ]
    assert unfiltered == []


@LOGGING
@given(personal=PERSONAL, name=st.sampled_from(["prakerja.contract_check.proxy", "prakerja.testing.server"]))
def test_a_child_loggers_records_are_masked(
    caplog: pytest.LogCaptureFixture, personal: str, name: str
) -> None:
    caplog.clear()
    child = get_logger(name)

    with caplog.at_level(logging.DEBUG, logger="prakerja"):
        child.warning("forwarded %s", personal, extra={"peer": personal})

    [record] = caplog.records
    assert record.getMessage() == f"forwarded {mask_personal_data(personal)}"
    assert personal not in record.getMessage()
    assert _field(record, "peer") == mask_personal_data(personal)


def test_get_logger_refuses_a_logger_outside_the_package() -> None:
    with pytest.raises(ValueError, match="not a logger of the prakerja package"):
        get_logger("prakerja_sandbox")
