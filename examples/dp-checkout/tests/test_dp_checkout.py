"""The checkout against a local Prakerja sandbox (the ``prakerja_sandbox`` fixture of ``prakerja.testing``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import TypedDict

import pytest
from checkout import BUYER_MESSAGES, TRY_LATER, Checkout, OrderState

import prakerja
from prakerja.contract import load_contract
from prakerja.testing import LocalSandbox, Participant


class Course(TypedDict):
    """What ``Checkout.start`` needs to know of the course bought."""

    course_code: str
    schedule_code: str
    amount: int


COURSE: Course = {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth", "amount": 20000}
#: The sandbox's magic participants (contracts/scenarios.yaml): each makes send-otp or authorize answer one code.
MAGIC = [
    participant
    for participant in load_contract().scenarios["magic_participants"]["participants"]
    if participant["code"] in BUYER_MESSAGES
]


@pytest.fixture
def checkout(prakerja_sandbox: LocalSandbox) -> Iterator[Checkout]:
    with prakerja_sandbox.client("SBX-DP-TOKOPEDIA", retry=prakerja.NO_RETRY) as client:
        yield Checkout(client)


@pytest.fixture
def buyer(prakerja_sandbox: LocalSandbox) -> Participant:
    return prakerja_sandbox.create_participant(name="Siti Rahayu")


def test_a_buyer_pays_with_the_otp_from_the_sms(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)
    assert order.state is OrderState.AWAITING_OTP

    order = checkout.confirm(order, prakerja_sandbox.otp(buyer.prakerja_id))

    assert order.state is OrderState.PAID
    assert order.transaction_code
    assert prakerja_sandbox.redeem_code(buyer.prakerja_id)


def test_a_wrong_otp_can_be_typed_again(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)

    order = checkout.confirm(order, "000000")
    assert order.state is OrderState.AWAITING_OTP
    assert order.message == BUYER_MESSAGES["ERRPLT40023"]

    assert checkout.confirm(order, prakerja_sandbox.otp(buyer.prakerja_id)).state is OrderState.PAID


def test_an_otp_typed_too_late_asks_for_a_new_one(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)
    prakerja_sandbox.advance_clock(minutes=6)

    order = checkout.confirm(order, prakerja_sandbox.otp(buyer.prakerja_id))

    assert order.state is OrderState.REFUSED
    assert order.message == BUYER_MESSAGES["ERRPLT40024"]


def test_a_small_balance_is_explained(checkout: Checkout, prakerja_sandbox: LocalSandbox) -> None:
    poor = prakerja_sandbox.create_participant(name="Budi", balance=10000)

    order = checkout.start(user_id="budi", prakerja_id=poor.prakerja_id, **COURSE)

    assert order.state is OrderState.REFUSED
    assert order.message == BUYER_MESSAGES["ERRPLT40015"]


def test_a_full_schedule_is_explained(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    prakerja_sandbox.create_course(
        "CHECKOUT-FULL", lp="SBX-LP-CIPTAKREASI", price=150000, sold_on=["tokopedia"]
    )
    prakerja_sandbox.create_schedule(
        "CHECKOUT-FULL-1", course_code="CHECKOUT-FULL", starts_in=timedelta(days=2), capacity=0
    )

    order = checkout.start(
        user_id="siti",
        prakerja_id=buyer.prakerja_id,
        course_code="CHECKOUT-FULL",
        schedule_code="CHECKOUT-FULL-1",
        amount=150000,
    )

    assert order.message == BUYER_MESSAGES["ERRPLT40013"]


def test_an_unknown_card_number_is_explained(checkout: Checkout) -> None:
    order = checkout.start(user_id="x", prakerja_id="9990000000040016", **COURSE)

    assert order.message == BUYER_MESSAGES["ERRPLT40016"]


def test_a_busy_prakerja_asks_the_buyer_to_try_later(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    prakerja_sandbox.inject_fault("payments.send_otp", kind="error", status=503, code="ERRPLT50301", count=1)

    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)

    assert order.state is OrderState.REFUSED
    assert order.message == TRY_LATER


def test_a_lost_authorize_answer_is_reconciled_not_paid_twice(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)
    prakerja_sandbox.inject_fault("payments.authorize", kind="drop_after_commit", count=1)

    order = checkout.confirm(order, prakerja_sandbox.otp(buyer.prakerja_id))

    assert order.state is OrderState.PAID
    assert order.transaction_code
    assert len(prakerja_sandbox.sms(buyer.prakerja_id, kind="redeem_code")) == 1


def test_a_paid_order_can_be_cancelled(
    checkout: Checkout, buyer: Participant, prakerja_sandbox: LocalSandbox
) -> None:
    order = checkout.start(user_id="siti", prakerja_id=buyer.prakerja_id, **COURSE)
    order = checkout.confirm(order, prakerja_sandbox.otp(buyer.prakerja_id))

    order = checkout.cancel(order)

    assert order.state is OrderState.CANCELLED
    assert checkout.client.payments.status(order.invoice_code or "").status == prakerja.PaymentStatus.VOID


@pytest.mark.parametrize("magic", MAGIC, ids=[f"{m['code']}-at-{m['step'].split('.')[1]}" for m in MAGIC])
def test_every_refusal_a_dp_must_handle_reaches_the_buyer_as_a_message(
    checkout: Checkout, prakerja_sandbox: LocalSandbox, magic: dict[str, str]
) -> None:
    order = checkout.start(user_id=f"user-{magic['prakerja_id']}", prakerja_id=magic["prakerja_id"], **COURSE)
    if magic["step"] == "payments.authorize":
        order = checkout.confirm(order, prakerja_sandbox.otp(magic["prakerja_id"]))

    assert order.message == BUYER_MESSAGES[magic["code"]]
