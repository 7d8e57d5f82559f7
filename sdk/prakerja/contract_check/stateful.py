"""Lifecycle runs: send-otp -> authorize -> status -> redeem -> attendance -> TPM/UK -> void, against a model.

A hypothesis ``RuleBasedStateMachine`` chains the operations in random orders and checks every answer
against :class:`~prakerja.contract_check.model.Model`. Each run starts from a reset sandbox and creates its
own courses, schedules and participants through the control API, so the model knows every price, seat and
balance. A server without a control API cannot support these steps; the report lists each with its reason.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import hypothesis
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from prakerja.contract_check.engine import find_violation
from prakerja.contract_check.lifecycle import SCHEDULES, Lifecycle, LifecycleSetupError, parse_instant
from prakerja.contract_check.model import POST_TEST, Buyer, Expect, Purchase, Token, refusal
from prakerja.contract_check.results import CheckResult, Failure, Outcome
from prakerja.contract_check.stateful_sso import SsoRules
from prakerja.contract_check.stateful_tasks import COURSE_TASKS, TaskRules
from prakerja.contract_check.target import Target

__all__ = ["STEP_NEEDS", "check_lifecycle", "machine_for"]

#: Each lifecycle step and what it needs from the server beyond the contract's operations.
STEP_NEEDS = {
    "send-otp": "a participant and a course the run creates (POST /_sandbox/participants, /_sandbox/courses)",
    "authorize": "the OTP the participant receives by SMS (GET /_sandbox/inbox)",
    "status": "a purchase made by the run (needs authorize)",
    "quota": "a schedule whose capacity the run knows (POST /_sandbox/schedules)",
    "void": "a purchase made by the run (needs authorize)",
    "attendance": "the participant completing Prakerja's verification page (the URL Generate URL answers)",
    "tpm-uk": "a redeemed code (needs attendance)",
    "commit": "a purchase made by the run (needs authorize)",
    "sso": "the participant allowing the sign-in on the consent page the login URL answers (POST, over HTTP)",
    "clock": "moving the server's clock (POST /_sandbox/clock)",
    "reset": "a clean state before each run (POST /_sandbox/reset)",
}
SUCCESS = Expect(why="a call the model expects to succeed")
_UNKNOWN_INVOICE = "CHECK-INV-NEVER-USED"
_OFFERS = st.integers(0, len(SCHEDULES) - 1)


def _often(common: Any, rare: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from([common, common, common, rare])


def machine_for(target: Target, sso_notes: set[str] | None = None) -> type[RuleBasedStateMachine]:
    """A state machine class bound to ``target`` (hypothesis builds a fresh instance per run).

    ``sso_notes`` collects why a run could not sign a participant in (its SSO steps were skipped).
    """
    notes: set[str] = set() if sso_notes is None else sso_notes

    class LifecycleMachine(SsoRules, TaskRules, RuleBasedStateMachine):
        buyers = Bundle("buyers")
        tokens = Bundle("tokens")
        purchases = Bundle("purchases")

        def __init__(self) -> None:
            super().__init__()
            self.life = Lifecycle(target)
            target.scenarios["lifecycle run"] += 1

        def teardown(self) -> None:
            if self.life.sso_unavailable:
                notes.add(self.life.sso_unavailable)

        @initialize(target=buyers)
        def first_buyer(self) -> Buyer:
            return self.life.new_buyer(rich=True)

        @rule(target=buyers, rich=_often(True, False))
        def new_buyer(self, rich: bool) -> Buyer:
            return self.life.new_buyer(rich=rich)

        # payments -------------------------------------------------------------------------------------
        def _send_otp(self, buyer: Buyer, offer: int, variant: str) -> Token | None:
            model = self.life.sync()
            chosen = model.offers[offer]
            amount = chosen.price + 1000 if variant == "wrong amount" else chosen.price
            user_id = buyer.user_platform_id
            if variant == "borrowed user id":
                bound = [uid for uid, owner in model.bindings.items() if owner != buyer.prakerja_id]
                user_id = bound[0] if bound else user_id
            expect = model.send_otp(buyer, chosen, user_platform_id=user_id, amount=amount)
            body = {
                "user_platform_id": user_id,
                "prakerja_id": buyer.prakerja_id,
                "course_code": chosen.course_code,
                "schedule_code": chosen.schedule_code,
                "amount": amount,
            }
            exchange, data = self.life.call(
                "payments.send_otp", body, credentials=self.life.dp, expect=expect
            )
            if data is None:
                return None
            self.life.compare(exchange, "send-otp answer", {"amount": amount}, data)
            token = str(data["payment_token"])
            sms = [m for m in self.life.inbox(buyer.prakerja_id, "otp") if m.get("payment_token") == token]
            if not sms:
                self.life.fail(
                    [f"send-otp answered payment token {token} but no OTP SMS reached the inbox"], exchange
                )
            target.scenarios["send-otp"] += 1
            otp_expires, token_expires = data.get("otp_expires_at"), data.get("token_expires_at")
            issued = Token(
                token=token,
                buyer=buyer,
                offer=chosen,
                amount=amount,
                user_platform_id=user_id,
                otp=str(sms[0].get("otp")),
                otp_expires=parse_instant(otp_expires) if otp_expires else model.now + timedelta(seconds=300),
                token_expires=parse_instant(token_expires)
                if token_expires
                else model.now + timedelta(seconds=900),
            )
            model.issued(issued)
            return issued

        def _authorize(self, token: Token | None, otp: str, invoice: str) -> Purchase | None:
            model = self.life.sync()
            invoice_code = self.life.invoice_code()
            if invoice == "reused" and model.invoices:
                invoice_code = sorted(model.invoices)[0]
            otp_value = (token.otp if token else None) or "123456"
            if otp == "wrong":
                otp_value = "000000" if otp_value != "000000" else "111111"
            expect = model.authorize(token, otp_right=otp == "right", invoice_code=invoice_code)
            body = {
                "otp": otp_value,
                "invoice_url": f"https://dp.example/invoice/{invoice_code}",
                "invoice_code": invoice_code,
            }
            payment_token = token.token if token else "0123456789abcdef0123456789abcdef"
            exchange, data = self.life.call(
                "payments.authorize",
                body,
                credentials=self.life.dp,
                expect=expect,
                headers=[("Authorization", f"Payment {payment_token}")],
            )
            if data is None or token is None:
                if token is not None and otp == "wrong" and exchange.response is not None:
                    model.wrong_otp(token, exchange.response.error_code or "")
                return None
            expected = {
                "invoice_code": invoice_code,
                "amount": token.amount,
                "status": "SUCCESS",
                "prakerja_name": token.buyer.name,
            }
            self.life.compare(exchange, "authorize answer", expected, data)
            codes = [m.get("redeem_code") for m in self.life.inbox(token.buyer.prakerja_id, "redeem_code")]
            if not codes or not codes[0]:
                self.life.fail(["authorize succeeded but no redeem code SMS reached the inbox"], exchange)
            purchase = Purchase(
                invoice_code=invoice_code,
                transaction_code=str(data["transaction_code"]),
                buyer=token.buyer,
                offer=token.offer,
                amount=token.amount,
                redeem_code=str(codes[0]),
                sessions=model.sessions,
                authorize_request=exchange.request,
            )
            model.bought(token, purchase)
            target.scenarios["purchase (send-otp -> authorize)"] += 1
            return purchase

        @rule(
            target=tokens,
            buyer=buyers,
            offer=_OFFERS,
            variant=_often("as priced", "wrong amount") | st.just("borrowed user id"),
        )
        def send_otp(self, buyer: Buyer, offer: int, variant: str) -> Any:
            token = self._send_otp(buyer, offer, variant)
            return multiple() if token is None else token

        @rule(
            target=purchases,
            token=tokens,
            otp=st.sampled_from(["right", "right", "right", "wrong", "wrong", "token never issued"]),
            invoice=_often("fresh", "reused"),
        )
        def authorize(self, token: Token, otp: str, invoice: str) -> Any:
            if otp == "token never issued":
                self._authorize(None, "right", invoice)
                return multiple()
            purchase = self._authorize(token, otp, invoice)
            return multiple() if purchase is None else purchase

        @rule(target=purchases, buyer=buyers, offer=_OFFERS)
        def purchase(self, buyer: Buyer, offer: int) -> Any:
            token = self._send_otp(buyer, offer, "as priced")
            purchase = None if token is None else self._authorize(token, "right", "fresh")
            return multiple() if purchase is None else purchase

        @rule(purchase=purchases)
        def replay_authorize(self, purchase: Purchase) -> None:
            expect = refusal("ERRPLT40027", "ERRPLT40030", "ERRPLT40105", why="an authorize request replayed")
            self.life.resend(purchase.authorize_request, expect=expect)
            target.scenarios["replayed authorize refused"] += 1

        @rule(purchase=purchases, known=_often(True, False))
        def status(self, purchase: Purchase, known: bool) -> None:
            self.life.sync()
            if not known:
                expect = refusal("ERRPLT40032", why="an invoice code never used")
                self.life.call(
                    "payments.status",
                    {"invoice_code": _UNKNOWN_INVOICE},
                    credentials=self.life.dp,
                    expect=expect,
                )
                return
            exchange, data = self.life.call(
                "payments.status",
                {"invoice_code": purchase.invoice_code},
                credentials=self.life.dp,
                expect=SUCCESS,
            )
            expected = {
                "invoice_code": purchase.invoice_code,
                "transaction_code": purchase.transaction_code,
                "amount": purchase.amount,
                "status": purchase.status,
                "prakerja_name": purchase.buyer.name,
            }
            self.life.compare(exchange, "payment status", expected, data or {})
            target.scenarios["status"] += 1

        @rule(offer=_OFFERS)
        def quota(self, offer: int) -> None:
            chosen = self.life.sync().offers[offer]
            body = {"schedule_code": chosen.schedule_code, "course_code": chosen.course_code}
            exchange, data = self.life.call("payments.quota", body, credentials=self.life.dp, expect=SUCCESS)
            self.life.compare(exchange, "quota", {"quota": chosen.seats}, data or {})

        @rule(purchase=purchases, variant=_often("right", "another invoice") | st.just("unknown transaction"))
        def void(self, purchase: Purchase, variant: str) -> None:
            model = self.life.sync()
            invoice_code, transaction_code = purchase.invoice_code, purchase.transaction_code
            if variant == "another invoice":
                others = [p.invoice_code for p in model.purchases if p is not purchase]
                invoice_code = others[0] if others else _UNKNOWN_INVOICE
            elif variant == "unknown transaction":
                transaction_code = "CHECKUNKNOWNTX01"
            expect = model.void(purchase, invoice_code=invoice_code, transaction_code=transaction_code)
            body = {"invoice_code": invoice_code, "transaction_code": transaction_code}
            _exchange, data = self.life.call("payments.void", body, credentials=self.life.dp, expect=expect)
            if data is not None:
                model.voided(purchase)
                target.scenarios["void"] += 1
                self.status(purchase, known=True)  # read back: the payment now shows VOID

        # attendance -----------------------------------------------------------------------------------
        @rule(
            purchase=purchases,
            sequence=st.sampled_from([1, 1, 2, POST_TEST, 3]),
            redirect=_often("registered", "unregistered"),
            email=_often("own", "another buyer's"),
            wait=_often("now", "until the webinar window"),
        )
        def attend(self, purchase: Purchase, sequence: int, redirect: str, email: str, wait: str) -> None:
            model = self.life.sync()
            start = purchase.offer.start
            if wait == "until the webinar window" and purchase.offer.webinar and start is not None:
                ahead = int((start - model.now).total_seconds()) - 600
                if ahead > 0:
                    self.life.advance(ahead)
                    model = self.life.sync()
            address = purchase.buyer.email
            if email == "another buyer's":
                same_course = [
                    p for p in model.purchases if p.offer.course_code == purchase.offer.course_code
                ]
                taken = [p.email for p in same_course if p is not purchase and p.email]
                address = taken[0] if taken else address
            registered = redirect == "registered"
            redirect_uri = (
                self.life.redirect_uris[0] if registered else "https://not-registered.example/callback"
            )
            expect = model.attend(purchase, sequence=sequence, registered=registered, email=address)
            body = {
                "redeem_code": purchase.redeem_code,
                "redirect_uri": redirect_uri,
                "email": address,
                "sequence": sequence,
            }
            _exchange, data = self.life.call(
                "attendance.generate_url", body, credentials=self.life.lp, expect=expect
            )
            if data is None:
                return
            model.url_generated(purchase, address)
            self.life.complete_verification(str(data["url"]), redirect_uri=redirect_uri, sequence=sequence)
            purchase.attended.add(sequence)
            target.scenarios["attendance verified"] += 1
            self.check_redeem_status(purchase, sequence)

        @rule(purchase=purchases)
        def redeem(self, purchase: Purchase) -> None:
            """The usual way: sequence 1, the LP's callback, the participant's own e-mail, in the window."""
            self.attend(purchase, 1, "registered", "own", "until the webinar window")

        @rule(purchase=purchases)
        def commit(self, purchase: Purchase) -> None:
            """The deprecated legacy redeem: verifies sequence 1 with no browser step, answers the status."""
            model = self.life.sync()
            expect = model.commit(purchase)
            exchange, data = self.life.call(
                "attendance.commit",
                {"redeem_code": purchase.redeem_code},
                credentials=self.life.lp,
                expect=expect,
            )
            if data is None:
                return
            purchase.attended.add(1)
            expected = {**purchase.redeem_record(1), "sequence": 1}
            self.life.compare(exchange, "commit answer", expected, data)
            target.scenarios["legacy commit"] += 1
            self.check_redeem_status(purchase, 1)

        @precondition(lambda self: not self.life.model.committed)
        @rule()
        def buy_and_commit(self) -> None:
            """The legacy LP flow: a new participant buys the self-paced course, the LP commits the code.

            Once per lifecycle: it needs no earlier step, so it would otherwise crowd out the rules that do.
            """
            self.life.model.committed = True
            purchase = self.purchase(self.life.new_buyer(rich=True), 0)
            if isinstance(purchase, Purchase):
                self.commit(purchase)

        @rule(purchase=purchases, task=st.sampled_from(COURSE_TASKS))
        def grade(self, purchase: Purchase, task: tuple[str, int]) -> None:
            """An LP's usual order: the code redeemed, the participant's assignment sent, then graded."""
            if 1 not in purchase.attended:
                self.redeem(purchase)
            if not purchase.assignments.get(task):
                self.submit_assignment(purchase, task)
            self.submit_feedback(purchase, task)

        @rule(purchase=purchases, sequence=st.sampled_from([1, 2, POST_TEST]), owner=_often(True, False))
        def redeem_status(self, purchase: Purchase, sequence: int, owner: bool) -> None:
            self.life.sync()
            if owner or self.life.other_lp is None:
                self.check_redeem_status(purchase, sequence)
                return
            self.life.call(
                "attendance.status",
                {"redeem_code": purchase.redeem_code},
                credentials=self.life.other_lp,
                expect=refusal("ERRRDM40002", why="the code belongs to another LP's course"),
            )

        def check_redeem_status(self, purchase: Purchase, sequence: int) -> None:
            body = {"redeem_code": purchase.redeem_code, "sequence": sequence}
            exchange, data = self.life.call(
                "attendance.status", body, credentials=self.life.lp, expect=SUCCESS
            )
            expected = purchase.redeem_record(sequence)
            self.life.compare(exchange, f"redeem-code status (sequence {sequence})", expected, data or {})

        # time -----------------------------------------------------------------------------------------
        @rule(
            moment=st.sampled_from(
                ["a minute", "past the OTP expiry", "past the payment token expiry", "past a webinar"]
            ),
            offer=_OFFERS,
        )
        def advance_clock(self, moment: str, offer: int) -> None:
            model = self.life.sync()
            start = model.offers[offer].start
            seconds = {"a minute": 60, "past the OTP expiry": 330, "past the payment token expiry": 930}.get(
                moment, 0
            )
            if start is not None and moment == "past a webinar":
                seconds = int((start - model.now).total_seconds()) + 2 * 3600
            if seconds > 0:
                self.life.advance(seconds)
                target.scenarios["clock advanced"] += 1

    return LifecycleMachine


def _skipped(reason: str) -> list[CheckResult]:
    return [
        CheckResult(
            check_id=f"stateful/{step}",
            kind="stateful",
            title=f"lifecycle step {step}",
            outcome="skipped",
            reason=f"{reason}; this step needs {need}",
        )
        for step, need in STEP_NEEDS.items()
    ]


def check_lifecycle(target: Target, *, steps: int = 30) -> list[CheckResult]:
    """Run lifecycles against the server: one result, or one skipped result per step it cannot support."""
    if target.control is None:
        return _skipped("the server has no sandbox control API (/_sandbox)")
    if not target.allow_writes:
        return _skipped("writes are not allowed on this run")
    if not target.allow_reset:
        return _skipped(
            "each lifecycle starts from a reset sandbox, and this run may not reset one it did not create "
            "(pass --allow-reset, or allow_reset=True, if this sandbox is yours to wipe)"
        )
    missing = [role for role in ("DP", "LP") if role not in target.roles]
    if missing:
        return _skipped(f"the run has no {' or '.join(missing)} credentials")
    # Shrinking a lifecycle replays it from a reset sandbox hundreds of times (minutes); by default the report
    # shows the failing run's steps as they happened instead.
    settings = target.settings.hypothesis_settings(
        max_examples=target.settings.lifecycles, shrink=target.settings.shrink_lifecycles
    )
    settings = hypothesis.settings(settings, stateful_step_count=steps)
    sso_notes: set[str] = set()
    machine = hypothesis.seed(target.settings.seed)(machine_for(target, sso_notes))
    started = time.monotonic()
    runs_before = target.scenarios["lifecycle run"]
    outcome: Outcome = "passed"
    failure = None
    try:
        run_state_machine_as_test(machine, settings=settings)
    except LifecycleSetupError as exc:
        target.control.observer = None
        return _skipped(f"the run could not set itself up: {exc}")
    except Exception as exc:
        outcome = "failed"
        violation = find_violation(exc)
        failure = (
            Failure(problems=violation.problems, exchange=violation.exchange, steps=violation.steps)
            if violation is not None
            else Failure(problems=(f"the check itself failed: {type(exc).__name__}: {exc}",))
        )
    target.control.observer = None
    skipped = [
        CheckResult(
            check_id="stateful/sso",
            kind="stateful",
            title="lifecycle step sso",
            outcome="skipped",
            reason=f"{note}; the SSO steps need {STEP_NEEDS['sso']}",
        )
        for note in sorted(sso_notes)
    ]
    return [
        *skipped,
        CheckResult(
            check_id="stateful/lifecycle",
            kind="stateful",
            title="purchase-to-attendance lifecycles agree with the reference model",
            outcome=outcome,
            examples=target.scenarios["lifecycle run"] - runs_before,
            duration=time.monotonic() - started,
            failure=failure,
        ),
    ]
