"""Helpers for the training-institution (LP) tests: attendance, TPM/UK and SSO."""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import parse_qs, quote, urlencode, urlsplit

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


class Course(TypedDict):
    """A course and schedule as a purchase names them, with the price paid."""

    course_code: str
    schedule_code: str
    amount: int


#: LP's webinar: 3 sessions, 2 TPM, a UK; this schedule starts 30 minutes after the sandbox is seeded.
WEBINAR: Course = {"course_code": "ckn_2_9caab724", "schedule_code": "1d65595db98a386d", "amount": 650000}
#: Minutes from seeding to the start of :data:`WEBINAR`'s schedule.
WEBINAR_STARTS_IN = 30
#: Another LP's offline course (lp-kopi-nusantara).
OFFLINE: Course = {"course_code": "kna_1_3c8e8a1d", "schedule_code": "f3b11c79fd20e300", "amount": 1500000}


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


# --- SSO --------------------------------------------------------------------------------------------------------

SSO_AUTHORIZE = "/api/v1/oauth/authorize"
SSO_TOKEN = "/api/v1/oauth/token"
SSO_REFRESH = "/api/v1/oauth/token/refresh"
SSO_PROFILE = "/api/v1/resource/user_profile"
CONSENT_PAGE = "/consent-sso"
SSO_CALLBACK = "http://127.0.0.1:8000/prakerja/sso/callback"
SSO_LOGIN = "http://127.0.0.1:8000/login"
SSO_STATE = "STATE-123456"
ALL_SCOPES = "name email prakerjaid notelp"
#: The seeded SSO client name of :data:`LP`.
LP_CLIENT_NAME = "Cipta Kreasi Nusantara"


def login_query(**overrides: str | None) -> str:
    """The query of a login URL for :data:`LP` (an override of ``None`` leaves the parameter out)."""
    params: dict[str, str | None] = {
        "state": SSO_STATE,
        "scope": ALL_SCOPES,
        "client_id": LP,
        "redirect_uri": SSO_CALLBACK,
        "login_uri": SSO_LOGIN,
        **overrides,
    }
    return urlencode({name: value for name, value in params.items() if value is not None}, quote_via=quote)


def consent_url(**overrides: str | None) -> str:
    """A consent page URL as an LP builds it (construct-url), with ``client_name``."""
    return f"{CONSENT_PAGE}?{login_query(**{'client_name': LP_CLIENT_NAME, **overrides})}"


def sign_in(client: FlaskClient, identifier: str = BUYER, **overrides: str | None) -> TestResponse:
    """Type ``identifier`` on the consent page and press Izinkan."""
    return client.post(consent_url(**overrides), data={"identifier": identifier, "decision": "allow"})


def auth_code(client: FlaskClient, identifier: str = BUYER, **overrides: str | None) -> str:
    """The ``code`` an approved sign-in brings back to the LP."""
    response = sign_in(client, identifier, **overrides)
    assert response.status_code == 302, response.get_data(as_text=True)
    return query_of(response.headers["Location"])["code"]


def create_token(signed: SignedClient, code: str, *, as_: str = LP) -> TestResponse:
    """Exchange ``code`` (signed with the SSO headers)."""
    return signed.post(SSO_TOKEN, {"code": code}, as_=as_, convention="sso")


def tokens(signed: SignedClient, identifier: str = BUYER, **overrides: str | None) -> Any:
    """Sign in and exchange the code: the token data."""
    response = create_token(signed, auth_code(signed.client, identifier, **overrides))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]
