"""Helpers for the training-institution (LP) tests: attendance, TPM/UK and SSO."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .conftest import SignedClient

URL_GENERATE = "/api/v1/integration/oauth/url-generate"
REDEEM_STATUS = "/api/v1/integration/payment/redeem-code/status"
REDEEM_RESET = "/api/v1/integration/payment/redeem-code/reset"
REDEEM_COMMIT = "/api/v1/integration/payment/redeem-code/commit"
TPM_SUBMISSION = "/api/v1/integration/tpm/submission"
TPM_FEEDBACK = "/api/v1/integration/tpm/feedback/submission"
TPM_STATUS = "/api/v1/integration/tpm/submission/status"
VERIFICATION_PAGE = "/oauth/verification"

#: A validated training institution and another one (both seeded with the same callback URLs).
LP = "SBX-LP-CIPTAKREASI"
OTHER_LP = "SBX-LP-KOPINUSANTARA"
CALLBACK = "http://127.0.0.1:8000/prakerja/attendance/callback"
EMAIL = "peserta@example.com"
#: The scenarios' participant whose purchases always succeed, and a seeded participant born 1993 (S1).
BUYER = "9990000000000200"
SECOND_BUYER = "6656703190011217"
#: LP's webinar: 3 sessions, 2 TPM, a UK; this schedule starts 30 minutes after the sandbox is seeded.
WEBINAR = {"course_code": "ckn_2_9caab724", "schedule_code": "1d65595db98a386d", "amount": 650000}
#: Minutes from seeding to the start of :data:`WEBINAR`'s schedule.
WEBINAR_STARTS_IN = 30
#: Another LP's offline course (lp-kopi-nusantara).
OFFLINE = {"course_code": "kna_1_3c8e8a1d", "schedule_code": "f3b11c79fd20e300", "amount": 1500000}


def buy_code(
    signed: SignedClient, *, buyer: str = BUYER, invoice_code: str = "INV-LP-0001", **course: Any
) -> str:
    """Buy a course on Tokopedia (default: :data:`WEBINAR`) and return the redeem code issued."""
    body = {"user_platform_id": f"user-{buyer}", "prakerja_id": buyer, **(course or WEBINAR)}
    otp = signed.post("/api/v1/integration/payment/send-otp", body)
    assert otp.status_code == 200, otp.get_json()
    token = otp.get_json()["data"]["payment_token"]
    authorized = signed.post(
        "/api/v1/integration/payment/authorize",
        {"otp": "123456", "invoice_url": f"https://dp.example/{invoice_code}", "invoice_code": invoice_code},
        authorization=f"Payment {token}",
    )
    assert authorized.status_code == 200, authorized.get_json()
    transaction = authorized.get_json()["data"]["transaction_code"]
    with signed.sandbox.store.read() as tx:
        code = tx.scalar("SELECT redeem_code FROM transactions WHERE transaction_code = ?", (transaction,))
    return str(code)


def generate(
    signed: SignedClient,
    redeem_code: str,
    *,
    sequence: int | None = None,
    email: str = EMAIL,
    redirect_uri: str = CALLBACK,
    as_: str = LP,
) -> TestResponse:
    """Call url-generate (``sequence`` left out when ``None``)."""
    body: dict[str, Any] = {"redeem_code": redeem_code, "redirect_uri": redirect_uri, "email": email}
    if sequence is not None:
        body["sequence"] = sequence
    return signed.post(URL_GENERATE, body, as_=as_)


def open_state(signed: SignedClient, redeem_code: str, **options: Any) -> str:
    """The ``state`` of a successful url-generate."""
    response = generate(signed, redeem_code, **options)
    assert response.status_code == 200, response.get_json()
    return str(response.get_json()["data"]["state"])


def press(client: FlaskClient, state: str, outcome: str = "verified") -> TestResponse:
    """Press a button of the verification page."""
    return client.post(VERIFICATION_PAGE, data={"state": state, "outcome": outcome})


def attend(signed: SignedClient, redeem_code: str, sequence: int, *, email: str = EMAIL) -> None:
    """Verify ``sequence`` of ``redeem_code`` through url-generate and the page."""
    state = open_state(signed, redeem_code, sequence=sequence, email=email)
    assert press(signed.client, state).status_code == 302


def redeem_status(signed: SignedClient, redeem_code: str, sequence: int | None = None, as_: str = LP) -> Any:
    """The data of redeem-code Status."""
    body: dict[str, Any] = {"redeem_code": redeem_code}
    if sequence is not None:
        body["sequence"] = sequence
    response = signed.post(REDEEM_STATUS, body, as_=as_)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def refusal(response: TestResponse) -> str:
    """The error code of a refused call (asserts the refusal envelope)."""
    body = response.get_json()
    assert body["success"] is False, body
    return str(body["code"])


def query_of(location: str) -> dict[str, str]:
    """The query parameters of a redirect target, one value each."""
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
