"""The reference model of a lifecycle run: what the contract says each call must answer, given the past.

The model holds what the run created (buyers, offers, payment tokens, purchases, attendance, TPM/UK tasks)
and predicts each answer as an :class:`Expect`: the refusal codes that may come and whether a success may.
Where the contract does not order two rules (a purchase that is both sold out and too expensive) every
applicable code is accepted; where time is within a few seconds of an expiry, both outcomes are.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

__all__ = ["POST_TEST", "Buyer", "Expect", "Model", "Offer", "Purchase", "Token", "refusal"]

POST_TEST = 999
#: Seconds around an expiry or window edge where either outcome is accepted (clock drift, whole seconds).
SLACK = timedelta(seconds=5)
REDEEM_WINDOW = timedelta(hours=1)


@attrs.frozen
class Expect:
    """The answers the contract allows: these refusal codes, and a success when ``success`` is true."""

    codes: frozenset[str] = frozenset()
    success: bool = True
    why: str = ""

    def allows(self, code: str | None) -> bool:
        """Whether an answer with ``code`` (``None`` = success) is allowed."""
        return self.success if code is None else code in self.codes

    def describe(self) -> str:
        """``success``, ``ERRPLT40013 or ERRPLT40015`` ... for messages."""
        parts = sorted(self.codes) + (["success"] if self.success else [])
        return " or ".join(parts) + (f" ({self.why})" if self.why else "")


def refusal(*codes: str, why: str = "") -> Expect:
    """An answer that must be one of ``codes``."""
    return Expect(codes=frozenset(codes), success=False, why=why)


class _Rules:
    """Collects the rules that apply: certain ones forbid a success, borderline ones only allow a code."""

    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.certain: list[str] = []

    def add(self, code: str, applies: bool, why: str, *, borderline: bool = False) -> None:
        if borderline:
            self.codes.add(code)
        elif applies:
            self.codes.add(code)
            self.certain.append(why)

    def expect(self) -> Expect:
        return Expect(codes=frozenset(self.codes), success=not self.certain, why="; ".join(self.certain))


@attrs.define(eq=False)
class Offer:
    """A schedule of the run's course."""

    schedule_code: str
    course_code: str
    price: int
    capacity: int
    start: datetime | None
    webinar: bool
    sold: int = 0

    @property
    def seats(self) -> int:
        """Seats left."""
        return self.capacity - self.sold


@attrs.define(eq=False)
class Buyer:
    """A participant the run created, with the platform user id the DP knows them by."""

    prakerja_id: str
    name: str
    email: str
    user_platform_id: str
    balance: int
    courses: set[str] = attrs.field(factory=set)


@attrs.define(eq=False)
class Token:
    """A payment token from Send OTP."""

    token: str
    buyer: Buyer
    offer: Offer
    amount: int
    user_platform_id: str
    otp: str | None
    otp_expires: datetime
    token_expires: datetime
    attempts: int = 0
    locked: bool = False
    used: bool = False
    superseded: bool = False


@attrs.define(eq=False)
class Purchase:
    """A successful Authorize: the transaction, its redeem code and what happened to it since."""

    invoice_code: str
    transaction_code: str
    buyer: Buyer
    offer: Offer
    amount: int
    redeem_code: str | None
    sessions: int
    status: str = "SUCCESS"
    attended: set[int] = attrs.field(factory=set)
    email: str | None = None
    assignments: dict[tuple[str, int], int] = attrs.field(factory=dict)
    feedback: dict[tuple[str, int], int] = attrs.field(factory=dict)
    authorize_request: object | None = None

    @property
    def redeem_status(self) -> int:
        """0 UNUSED, 1 REDEEMED, 2 CANCELLED."""
        if self.status == "VOID":
            return 2
        return 1 if 1 in self.attended else 0

    def redeem_record(self, sequence: int) -> dict[str, Any]:
        """What a redeem-code answer for ``sequence`` should say of this purchase (status, commit)."""
        return {
            "redeem_code": self.redeem_code,
            "course_code": self.offer.course_code,
            "schedule_code": self.offer.schedule_code,
            "invoice_code": self.invoice_code,
            "status": self.redeem_status,
            "attendance_status": 1 if sequence in self.attended else 0,
        }


def _near(moment: datetime, edge: datetime) -> bool:
    return abs(moment - edge) <= SLACK


class Model:
    """The state the contract implies; ``now`` is the sandbox time as the run knows it."""

    def __init__(self, *, now: datetime, sessions: int, tpm_count: int, has_uk: bool) -> None:
        self.now = now
        self.sessions = sessions
        self.tpm_count = tpm_count
        self.has_uk = has_uk
        self.offers: list[Offer] = []
        self.buyers: list[Buyer] = []
        self.purchases: list[Purchase] = []
        self.tokens: list[Token] = []
        self.bindings: dict[str, str] = {}
        self.invoices: set[str] = set()
        #: (course code, e-mail) -> the redeem code the e-mail is bound to (ERRRDM40011 is per course)
        self.emails: dict[tuple[str, str], str] = {}
        #: Whether the run has bought a code only to commit it (the legacy flow runs once per lifecycle).
        self.committed = False

    # payments -----------------------------------------------------------------------------------------
    def send_otp(self, buyer: Buyer, offer: Offer, *, user_platform_id: str, amount: int) -> Expect:
        """Send OTP of ``offer`` for ``buyer`` under ``user_platform_id``."""
        rules = _Rules()
        if offer.start is not None:
            started = offer.start <= self.now
            rules.add("ERRPLT40012", started, "the schedule started", borderline=_near(offer.start, self.now))
        rules.add("ERRPLT40013", offer.seats <= 0, "no seat left")
        rules.add("ERRPLT40017", amount != offer.price, f"the price is {offer.price}")
        bound = self.bindings.get(user_platform_id)
        rules.add(
            "ERRPLT40020", bound is not None and bound != buyer.prakerja_id, "the user id is another buyer's"
        )
        rules.add("ERRPLT40021", offer.course_code in buyer.courses, "the buyer owns the course")
        rules.add("ERRPLT40015", buyer.balance < offer.price, "the balance is too low")
        return rules.expect()

    def authorize(self, token: Token | None, *, otp_right: bool, invoice_code: str) -> Expect:
        """Authorize ``token`` (``None``: a token the server never issued)."""
        if token is None:
            return refusal("ERRPLT40026", why="unknown payment token")
        rules = _Rules()
        rules.add("ERRPLT40027", token.used, "the token was used")
        rules.add(
            "ERRPLT40029",
            token.token_expires <= self.now,
            "the token expired",
            borderline=_near(token.token_expires, self.now),
        )
        # A newer Send OTP for the same course may retire this token early; the contract neither requires
        # nor forbids it, so it is accepted as an expiry.
        rules.add("ERRPLT40029", False, "", borderline=token.superseded)
        rules.add("ERRPLT40025", token.locked, "the token is locked")
        rules.add(
            "ERRPLT40024",
            token.otp_expires <= self.now,
            "the OTP expired",
            borderline=_near(token.otp_expires, self.now),
        )
        if not otp_right:
            rules.add("ERRPLT40023", True, "wrong OTP")
            rules.codes.add("ERRPLT40025")  # the attempt that reaches the limit locks the token
        rules.add("ERRPLT40030", invoice_code in self.invoices, "the invoice code was used")
        rules.add("ERRPLT40021", token.offer.course_code in token.buyer.courses, "the buyer owns the course")
        rules.add("ERRPLT40013", token.offer.seats <= 0, "no seat left")
        rules.add("ERRPLT40015", token.buyer.balance < token.amount, "the balance is too low")
        return rules.expect()

    def issued(self, token: Token) -> None:
        """Record a payment token from Send OTP (older unused ones of the same course may be retired)."""
        for older in self.tokens:
            if (
                older.buyer is token.buyer
                and older.offer.course_code == token.offer.course_code
                and not older.used
            ):
                older.superseded = True
        self.tokens.append(token)

    def bought(self, token: Token, purchase: Purchase) -> None:
        """Record a successful Authorize."""
        token.used = True
        token.offer.sold += 1
        token.buyer.balance -= token.amount
        token.buyer.courses.add(token.offer.course_code)
        self.bindings.setdefault(token.user_platform_id, token.buyer.prakerja_id)
        self.invoices.add(purchase.invoice_code)
        self.purchases.append(purchase)

    def wrong_otp(self, token: Token, code: str) -> None:
        """Record a refused OTP (``code`` is what the server answered)."""
        if code in ("ERRPLT40023", "ERRPLT40025"):
            token.attempts += 1
            token.locked = token.locked or code == "ERRPLT40025"

    def void(self, purchase: Purchase, *, invoice_code: str, transaction_code: str) -> Expect:
        """Void with this pair of codes, aimed at ``purchase``."""
        if transaction_code != purchase.transaction_code:
            return refusal("ERRVOD40001", why="unknown transaction")
        rules = _Rules()
        if invoice_code != purchase.invoice_code:
            rules.add("ERRVOD40002", True, "the invoice is not this transaction's")
            if invoice_code not in self.invoices:
                rules.codes.add("ERRPLT40032")
        rules.add("ERRPLT40028", purchase.status == "VOID", "already voided")
        rules.add("ERRVOD40003", bool(purchase.attended), "the redeem code was used")
        return rules.expect()

    def voided(self, purchase: Purchase) -> None:
        """Record a successful Void: seat and balance back, code cancelled."""
        purchase.status = "VOID"
        purchase.offer.sold -= 1
        purchase.buyer.balance += purchase.amount
        purchase.buyer.courses.discard(purchase.offer.course_code)

    # attendance ---------------------------------------------------------------------------------------
    def attend(self, purchase: Purchase, *, sequence: int, registered: bool, email: str) -> Expect:
        """Generate URL for ``sequence`` of ``purchase``'s redeem code."""
        rules = _Rules()
        rules.add("ERRRDM40004", purchase.status == "VOID", "the code is cancelled")
        rules.add("ERRRDM40010", not registered, "the redirect_uri is not registered")
        beyond = sequence != POST_TEST and sequence > purchase.sessions
        rules.add("ERRRDM40008", beyond, "beyond the course's sessions")
        rules.add("ERRRDM40005", sequence in purchase.attended, "already verified")
        last_before = purchase.sessions if sequence == POST_TEST else sequence - 1
        missing = any(earlier not in purchase.attended for earlier in range(1, last_before + 1))
        rules.add("ERRRDM40007", missing, "an earlier sequence is not verified")
        offer = purchase.offer
        if sequence == 1 and offer.webinar and offer.start is not None:
            opens, closes = offer.start - REDEEM_WINDOW, offer.start + REDEEM_WINDOW
            outside = not opens <= self.now <= closes
            edge = _near(self.now, opens) or _near(self.now, closes)
            rules.add("ERRRDM40006", outside, "outside the webinar's redeem window", borderline=edge)
        owner = self.emails.get((offer.course_code, email.lower()))
        rules.add(
            "ERRRDM40011",
            owner is not None and owner != purchase.redeem_code,
            "the e-mail is another code's for this course",
        )
        return rules.expect()

    def commit(self, purchase: Purchase) -> Expect:
        """The legacy commit of ``purchase``'s code: Generate URL's rules for sequence 1, less the
        redirect_uri and e-mail ones (the legacy call has no such fields; decision for inconsistency 17)."""
        rules = self.attend(purchase, sequence=1, registered=True, email="")
        return Expect(codes=rules.codes - {"ERRRDM40011"}, success=rules.success, why=rules.why)

    def url_generated(self, purchase: Purchase, email: str) -> None:
        """Generate URL succeeded: the e-mail is now bound to the code."""
        course = purchase.offer.course_code
        if purchase.email is not None:
            self.emails.pop((course, purchase.email), None)
        purchase.email = email.lower()
        self.emails[(course, purchase.email)] = purchase.redeem_code or ""

    # TPM / UK -----------------------------------------------------------------------------------------
    def tasks(self) -> list[tuple[str, int]]:
        """Every (scope, sequence) the course has."""
        found = [("tpm", n) for n in range(1, self.tpm_count + 1)]
        return found + ([("uk", POST_TEST)] if self.has_uk else [])

    def task_rules(self, purchase: Purchase, scope: str, sequence: int) -> _Rules:
        """The rules every TPM/UK call shares: a live, redeemed code and a task the course has."""
        rules = _Rules()
        rules.add("ERRRDM40004", purchase.status == "VOID", "the code is cancelled")
        rules.add("ERRTPM40001", purchase.redeem_status != 1, "not redeemed yet")
        mismatch = (scope == "uk") != (sequence == POST_TEST)
        rules.add("ERRTPM40002", mismatch, "scope and sequence do not match")
        unknown = not mismatch and (scope, sequence) not in self.tasks()
        rules.add("ERRTPM40003", unknown, "the course has no such task")
        return rules
