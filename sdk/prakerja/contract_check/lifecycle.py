"""One lifecycle run's world: the sandbox set up for it, the model, and calls checked against both.

:class:`Lifecycle` resets the sandbox, creates a course of the run's LP sold on the run's DP (two sessions,
two TPM tasks and a UK), two schedules and the participants it needs, then sends each call, checks the
answer against the contract and the model's :class:`~prakerja.contract_check.model.Expect`, and raises a
:class:`~prakerja.contract_check.results.ContractViolation` with the steps that led to a mismatch.
"""

from __future__ import annotations

import itertools
import urllib.parse
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from prakerja.contract_check.conformance import conformance_problems
from prakerja.contract_check.control import ControlApi, ControlApiError
from prakerja.contract_check.exchange import Exchange, SentRequest
from prakerja.contract_check.model import Buyer, Expect, Model, Offer
from prakerja.contract_check.requests import Draft
from prakerja.contract_check.results import ContractViolation
from prakerja.contract_check.target import Target
from prakerja.contract_check.wire import Credentials

__all__ = ["COURSES", "SCHEDULES", "Lifecycle", "LifecycleSetupError", "parse_instant"]

PRICE = 150_000
SESSIONS = 2
TPM_COUNT = 2
#: The run's two courses, one self-paced and one webinar (only a webinar has a redeem window).
COURSES = {"CHECK-SELF-PACED": "self_paced", "CHECK-WEBINAR": "webinar"}
#: Schedules the run sells (course, code, start in minutes, seats): roomy ones in three days, and a webinar
#: with a single seat starting in two hours.
SCHEDULES = (
    ("CHECK-SELF-PACED", "CHECK-SP-ROOMY", 3 * 24 * 60, 50),
    ("CHECK-WEBINAR", "CHECK-WB-ROOMY", 3 * 24 * 60, 50),
    ("CHECK-WEBINAR", "CHECK-WB-LAST-SEAT", 120, 1),
)
_HISTORY = 60


class LifecycleSetupError(RuntimeError):
    """The sandbox refused to set up a lifecycle run (an incomplete control API)."""


def parse_instant(text: str) -> datetime:
    """An RFC 3339 instant as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Lifecycle:
    """The server, the model and the history of one lifecycle run."""

    def __init__(self, target: Target) -> None:
        if target.control is None:
            raise LifecycleSetupError("no control API")
        self.target = target
        self.control: ControlApi = target.control
        self.dp = target.roles["DP"]
        self.lp = target.roles["LP"]
        self.history: list[Exchange] = []
        self.control.observer = self.history.append
        self._serial = itertools.count(1)
        try:
            self._set_up()
        except ControlApiError as exc:
            raise LifecycleSetupError(str(exc)) from exc

    def _set_up(self) -> None:
        self.control.reset()
        partners = self.control.partners()
        dp = next(p for p in partners if p.get("client_code") == self.dp.client_code)
        lp = next(p for p in partners if p.get("client_code") == self.lp.client_code)
        self.redirect_uris: list[str] = list(lp.get("redirect_uris") or [])
        if not self.redirect_uris:
            raise LifecycleSetupError(f"{self.lp.client_code} has no registered redirect_uri")
        #: The LP's SSO registration (client name, redirect and login URIs), and why SSO steps cannot run.
        self.sso: dict[str, Any] = dict(lp.get("sso") or {})
        self.sso_unavailable = ""
        if not self.sso.get("redirect_uris") or not self.sso.get("login_uris"):
            self.sso_unavailable = f"{self.lp.client_code} has no SSO redirect_uri and login_uri registered"
        self.other_lp = next(
            (
                Credentials(client_code=p["client_code"], sign_key=p["sign_key"])
                for p in partners
                if (p.get("role") or p.get("kind")) == "LP"
                and p.get("status") == "validated"
                and p.get("client_code") != self.lp.client_code
            ),
            None,
        )
        self.offset = timedelta(seconds=float(self.control.clock().get("offset_seconds", 0)))
        for course_code, course_type in COURSES.items():
            self.control.create_course(
                code=course_code,
                lp=lp["code"],
                type=course_type,
                price=PRICE,
                sessions=SESSIONS,
                tpm_count=TPM_COUNT,
                has_uk=True,
                sold_on=[dp["code"]],
            )
        self.model = Model(now=self.now(), sessions=SESSIONS, tpm_count=TPM_COUNT, has_uk=True)
        for course_code, code, minutes, capacity in SCHEDULES:
            created = self.control.create_schedule(
                code=code, course_code=course_code, start_offset_minutes=minutes, capacity=capacity
            )
            start = created.get("start_at")
            self.model.offers.append(
                Offer(
                    schedule_code=code,
                    course_code=course_code,
                    price=PRICE,
                    capacity=capacity,
                    start=parse_instant(start) if start else None,
                    webinar=COURSES[course_code] == "webinar",
                )
            )
        self.history.clear()  # the report shows the run's steps, not its set-up

    # time ---------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """The sandbox's time: real UTC time plus its clock offset."""
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: int) -> None:
        """Move the sandbox clock forward."""
        self.control.advance_clock(seconds)
        self.offset += timedelta(seconds=seconds)

    def sync(self) -> Model:
        """The model with its clock brought up to the sandbox's."""
        self.model.now = self.now()
        return self.model

    # participants ------------------------------------------------------------------------------------
    def new_buyer(self, *, rich: bool) -> Buyer:
        """A participant created for the run, with a balance above or just below the price."""
        serial = next(self._serial)
        balance = PRICE * 4 if rich else PRICE - 1
        name = f"Peserta Uji Kontrak {serial}"
        email = f"peserta.kontrak{serial}@example.id"
        row = self.control.create_participant(
            name=name, birth_date="1994-05-17", education="S1", email=email, balance=balance
        )
        buyer = Buyer(
            prakerja_id=str(row["prakerja_id"]),
            name=name,
            email=email,
            user_platform_id=f"contract-user-{serial}",
            balance=balance,
        )
        self.model.buyers.append(buyer)
        return buyer

    def invoice_code(self) -> str:
        """A fresh invoice code."""
        return f"CHECK-INV-{next(self._serial):05d}"

    # calls --------------------------------------------------------------------------------------------
    def call(
        self,
        operation_id: str,
        body: dict[str, Any],
        *,
        credentials: Credentials,
        expect: Expect,
        headers: Iterable[tuple[str, str]] = (),
    ) -> tuple[Exchange, Mapping[str, Any] | None]:
        """Send one call; returns the exchange and ``data`` of a success (``None`` for a refusal)."""
        draft = Draft(operation_id=operation_id, body=body, headers=tuple(headers))
        return self.resend(draft.build(self.target, credentials), expect=expect)

    def resend(self, request: Any, *, expect: Expect) -> tuple[Exchange, Mapping[str, Any] | None]:
        """Send ``request`` as it is and check the answer (a replay when it was sent before)."""
        exchange = self.target.wire.send(request)
        self.history.append(exchange)
        operation_id = request.operation_id or ""
        problems = conformance_problems(self.target.contract, self.target.schemas_of(operation_id), exchange)
        response = exchange.response
        data: Mapping[str, Any] | None = None
        if response is not None:
            code = response.error_code
            if response.status_code >= 500:
                problems.append(
                    f"HTTP {response.status_code} ({code or 'no code'}) in the middle of a lifecycle"
                )
            elif not expect.allows(code if response.status_code >= 400 else None):
                got = code or f"success (HTTP {response.status_code})"
                problems.append(f"the model expected {expect.describe()}; the server answered {got}")
            payload = response.json_or_none()
            if response.status_code < 400 and isinstance(payload, Mapping):
                data = payload.get("data") if isinstance(payload.get("data"), Mapping) else {}
        if problems:
            self.fail(problems, exchange)
        return exchange, data

    def fail(self, problems: list[str], exchange: Exchange | None = None) -> None:
        """Stop the run with ``problems``, keeping the steps that led here."""
        before = self.history[-_HISTORY - 1 : -1] if exchange is not None else self.history[-_HISTORY:]
        raise ContractViolation(problems, exchange, steps=tuple(before))

    def compare(
        self, exchange: Exchange, what: str, expected: Mapping[str, Any], data: Mapping[str, Any]
    ) -> None:
        """Fail when ``data`` differs from the model's ``expected`` fields."""
        wrong = [
            f"{key} is {data.get(key)!r}, the model says {value!r}"
            for key, value in expected.items()
            if data.get(key) != value
        ]
        if wrong:
            self.fail([f"{what}: " + "; ".join(wrong)], exchange)

    def inbox(self, prakerja_id: str, kind: str) -> list[dict[str, Any]]:
        """SMS messages of ``kind`` sent to the participant, newest first."""
        return self.control.inbox(prakerja_id=prakerja_id, kind=kind)

    def post_form(self, url: str, fields: Mapping[str, str], operation_id: str | None = None) -> Exchange:
        """Submit a page's form as a participant's browser does (``operation_id`` ``None``: a page outside
        the contract); the exchange joins the history."""
        request = SentRequest(
            method="POST",
            url=url,
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=urllib.parse.urlencode(fields).encode(),
            operation_id=operation_id,
        )
        exchange = self.target.wire.send(request)
        self.history.append(exchange)
        return exchange

    def complete_verification(self, url: str, *, redirect_uri: str, sequence: int) -> None:
        """Play the participant on Prakerja's verification page (press "verified") and check the redirect.

        The page answers with a redirect to the LP's ``redirect_uri`` carrying ``state``, ``redeem_code``,
        ``sequence`` and ``status`` (decision attendance-callback).
        """
        parts = urllib.parse.urlsplit(url)
        state = urllib.parse.parse_qs(parts.query).get("state", [""])[0]
        exchange = self.post_form(url, {"state": state, "outcome": "verified"})
        response = exchange.response
        if response is None or response.status_code not in (302, 303):
            status = None if response is None else response.status_code
            raise LifecycleSetupError(f"the verification page {parts.path} did not redirect (HTTP {status})")
        location = response.header("location") or ""
        target = urllib.parse.urlsplit(location)
        query = dict(urllib.parse.parse_qsl(target.query))
        wanted = {"state": state, "sequence": str(sequence), "status": "verified"}
        wrong = [
            f"{key}={query.get(key)!r} (expected {value!r})"
            for key, value in wanted.items()
            if query.get(key) != value
        ]
        if not location.startswith(redirect_uri) or "redeem_code" not in query:
            wrong.append(f"the browser goes to {location!r}, not to {redirect_uri} with a redeem_code")
        if wrong:
            self.fail(
                ["the verification page's redirect breaks decision attendance-callback: " + "; ".join(wrong)],
                exchange,
            )
