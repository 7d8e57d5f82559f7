"""State for the fuzz run: purchases, and fresh state for the operations that need an earlier step.

:class:`Shop` buys courses over the partner API (a new participant, send-otp, authorize), the way a DP does.
:class:`FreshState` prepares, before each generated case, what the case's operation needs to succeed, and puts
it into the case; every other generated field stays as generated:

* ``attendance.commit`` gets a redeem code bought for the case (not yet used, of a self-paced course);
* ``tpm.submit_assignment`` and ``tpm.submission_status`` get a redeemed code of a course with every TPM task
  (1-998) and a UK; a generated ``uk`` scope gets its only sequence, 999;
* ``tpm.submit_feedback`` gets the same, with the participant's assignment for the generated task sent first
  (a new code once that task has a successful feedback);
* ``sso.create_token`` gets a code from the consent page, signed in and allowed for the case;
* ``sso.refresh_token`` and ``sso.profile`` get a refresh or access token from such a code.

Each sign-in is a new participant; the scope rotates over six values (one to four fields, in varied orders),
the identifier typed on the consent page between the card number and the e-mail, and the access token goes
bare or as ``Bearer``, so success answers of several shapes are checked.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from .served import compact

__all__ = ["FRESH_OPERATIONS", "FreshState", "Shop"]

LP = "lp-cipta-kreasi-nusantara"
SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
COMMIT = "/api/v1/integration/payment/redeem-code/commit"
TPM_SUBMISSION = "/api/v1/integration/tpm/submission"
TPM_FEEDBACK = "/api/v1/integration/tpm/feedback/submission"
TPM_STATUS = "/api/v1/integration/tpm/submission/status"
SSO_TOKEN = "/api/v1/oauth/token"
SSO_REFRESH = "/api/v1/oauth/token/refresh"
SSO_PROFILE = "/api/v1/resource/user_profile"
CONSENT_PAGE = "/consent-sso"
#: The operations whose success needs state made by an earlier step, with the path each is served on.
FRESH_OPERATIONS = {
    "attendance.commit": COMMIT,
    "tpm.submit_assignment": TPM_SUBMISSION,
    "tpm.submit_feedback": TPM_FEEDBACK,
    "tpm.submission_status": TPM_STATUS,
    "sso.create_token": SSO_TOKEN,
    "sso.refresh_token": SSO_REFRESH,
    "sso.profile": SSO_PROFILE,
}
#: A self-paced course of the LP with every TPM task (1-998) and a UK, open to buy: what the TPM cases use.
ORDER = {"course_code": "fuzz-tasks", "schedule_code": "fuzz-tasks-open", "amount": 30_000}
#: SSO scope values of one to four fields, in varied orders.
SCOPES = (
    "name email prakerjaid notelp",
    "name",
    "notelp email",
    "prakerjaid",
    "email name",
    "notelp prakerjaid",
)


class Shop:
    """Control API calls and signed partner calls (``session`` signs them), and purchases of courses."""

    BUYER_BALANCE = 1_000_000_000

    _shops = itertools.count(1)

    def __init__(self, session: requests.Session, base_url: str) -> None:
        self.session = session
        self.base = base_url
        self._invoices = f"FUZZ-{next(self._shops)}-"  # shops sharing a sandbox never reuse an invoice code
        self._serial = 0

    def control(self, path: str, body: dict[str, Any]) -> Any:
        """The data of a control API POST."""
        answer = requests.post(self.base + path, json=body, timeout=60)
        assert answer.status_code in {200, 201}, answer.text
        return answer.json()["data"]

    def call(self, path: str, body: dict[str, Any], **headers: str) -> Any:
        """The data of a signed partner POST of ``body`` as compact JSON (asserts a 200)."""
        answer = self.session.post(self.base + path, data=compact(body), headers={"Content-Type": "application/json", **headers}, timeout=60)  # fmt: skip
        assert answer.status_code == 200, answer.text
        return answer.json()["data"]

    def new_buyer(self, **fields: str) -> dict[str, Any]:
        """A new participant with a large balance (a participant buys a course once) and ``fields``."""
        body = {"name": "Peserta Fuzz", "balance": self.BUYER_BALANCE, **fields}
        return dict(self.control("/_sandbox/participants", body))

    def invoice(self) -> str:
        """A new invoice code."""
        self._serial += 1
        return f"{self._invoices}{self._serial:07d}"

    def token(self, order: dict[str, Any]) -> str:
        """A payment token of a new buyer for ``order`` (course, schedule and amount)."""
        buyer = str(self.new_buyer()["prakerja_id"])  # a platform account is bound to one card number
        sent = self.call(SEND_OTP, {"user_platform_id": f"fuzz-{buyer}", **order, "prakerja_id": buyer})
        return str(sent["payment_token"])

    def purchase(self, order: dict[str, Any]) -> tuple[str, str]:
        """Buy ``order`` as a new buyer: ``(invoice_code, transaction_code)``."""
        invoice = self.invoice()
        body = {"otp": "123456", "invoice_url": f"https://dp.example/i/{invoice}", "invoice_code": invoice}
        paid = self.call(AUTHORIZE, body, Authorization=f"Payment {self.token(order)}")
        return invoice, str(paid["transaction_code"])

    def redeem_code(self, order: dict[str, Any]) -> str:
        """The redeem code of a new purchase of ``order`` (read back through the control API)."""
        _, transaction = self.purchase(order)
        listed = requests.get(self.base + "/_sandbox/transactions", params={"limit": 20}, timeout=60)
        found = [item for item in listed.json()["data"]["items"] if item["transaction_code"] == transaction]
        assert len(found) == 1, listed.text
        return str(found[0]["redeem_code"])


class FreshState:
    """Fills a generated case of a :data:`FRESH_OPERATIONS` operation with state made for it."""

    def __init__(self, shop: Shop) -> None:
        self._shop = shop
        shop.control(
            "/_sandbox/courses",
            {"code": "fuzz-tasks", "lp": LP, "type": "self_paced", "price": ORDER["amount"],
             "tpm_count": 998, "has_uk": True, "sold_on": ["tokopedia"]},
        )  # fmt: skip
        shop.control(
            "/_sandbox/schedules",
            {"code": "fuzz-tasks-open", "course_code": "fuzz-tasks", "capacity": 1_000_000, "start_offset_minutes": 525_000},
        )  # fmt: skip
        partners = requests.get(shop.base + "/_sandbox/partners", timeout=60).json()["data"]["partners"]
        lp = next(found for found in partners if found["code"] == LP)
        self._login = {
            "client_id": str(lp["client_code"]),
            "client_name": str(lp["sso"].get("client_name") or "Fuzz LP"),
            "redirect_uri": str(lp["sso"]["redirect_uris"][0]),
            "login_uri": str(lp["sso"]["login_uris"][0]),
        }
        self._sign_ins = itertools.count()
        self._profiles = itertools.count()
        self._submitting = ""  # the redeemed code of the assignment cases (made when first needed)
        self._grading = ""  # the redeemed code of the feedback and status cases
        self._graded: set[tuple[str, int]] = set()  # tasks of the grading code sent for feedback
        self._fillers: dict[str, Callable[[Any], None]] = {
            COMMIT: lambda case: self._body(case, {"redeem_code": self._shop.redeem_code(ORDER)}),
            TPM_SUBMISSION: lambda case: self._task(case, self._submitting_code()),
            TPM_STATUS: lambda case: self._task(case, self._grading_code()),
            TPM_FEEDBACK: self._feedback,
            SSO_TOKEN: lambda case: self._body(case, {"code": self._sso_code()}),
            SSO_REFRESH: lambda case: self._body(case, {"token": self._tokens()["refresh_token"]}),
            SSO_PROFILE: self._profile,
        }

    def fill(self, case: Any) -> None:
        """Prepare the state ``case``'s operation needs and put it into ``case``."""
        self._fillers[case.path](case)

    @staticmethod
    def _body(case: Any, values: dict[str, Any]) -> None:
        if isinstance(case.body, dict):
            case.body = {**case.body, **values}

    def _new_redeemed(self) -> str:
        """A bought code whose first session is attended (so it is redeemed)."""
        code = self._shop.redeem_code(ORDER)
        self._shop.control("/_sandbox/attendance/verify", {"redeem_code": code, "sequence": 1})
        return code

    def _submitting_code(self) -> str:
        self._submitting = self._submitting or self._new_redeemed()
        return self._submitting

    def _grading_code(self, *, renew: bool = False) -> str:
        if renew or not self._grading:
            self._grading = self._new_redeemed()
            self._graded.clear()
        return self._grading

    def _task(self, case: Any, code: str) -> None:
        """The code, and the UK's one sequence for a generated ``uk`` scope (TPM sequences stay generated)."""
        if isinstance(case.body, dict):
            uk = {"sequence": 999} if case.body.get("scope") == "uk" else {}
            case.body = {**case.body, "redeem_code": code, **uk}

    def _feedback(self, case: Any) -> None:
        self._task(case, self._grading_code())
        if not isinstance(case.body, dict):
            return
        # JSON Schema counts 2.0 as an integer, and the generator sends such values too
        sequence = case.body.get("sequence")
        if (
            isinstance(sequence, bool)
            or not isinstance(sequence, int | float)
            or not float(sequence).is_integer()
        ):
            sequence = 0
        task = (str(case.body.get("scope")), int(sequence))
        if task in self._graded:  # sent for feedback once already: this task's feedback on a new code
            self._task(case, self._grading_code(renew=True))
        code = str(case.body["redeem_code"])
        if task[0] in {"tpm", "uk"} and 1 <= task[1] <= 999 and (task[0] == "uk") == (task[1] == 999):
            url = f"https://lms.fuzz.example/{code}/{task[0]}-{task[1]}.pdf"
            assignment = {"redeem_code": code, "scope": task[0], "sequence": task[1], "url_file": url}
            self._shop.call(TPM_SUBMISSION, assignment)
            self._graded.add(task)  # sent now, so the feedback case is expected to grade it

    def _sso_code(self) -> str:
        """The ``code`` the consent page sends back after a new participant allows the sign-in."""
        turn = next(self._sign_ins)
        participant = self._shop.new_buyer(email=f"fuzz-{secrets.token_hex(6)}@peserta.example")
        identifier = participant["email"] if turn % 2 else participant["prakerja_id"]
        query = {**self._login, "scope": SCOPES[turn % len(SCOPES)], "state": f"fuzz-{turn}"}
        answer = requests.post(
            self._shop.base + CONSENT_PAGE,
            params=query,
            data={"identifier": str(identifier), "decision": "allow"},
            allow_redirects=False,
            timeout=60,
        )
        assert answer.status_code == 302, answer.text
        return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]

    def _tokens(self) -> dict[str, Any]:
        return dict(self._shop.call(SSO_TOKEN, {"code": self._sso_code()}))

    def _profile(self, case: Any) -> None:
        access = str(self._tokens()["access_token"])
        bare = next(self._profiles) % 2 == 0
        case.headers = {**(case.headers or {}), "Authorization": access if bare else f"Bearer {access}"}
