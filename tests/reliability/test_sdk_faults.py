"""The SDK against the served sandbox's fault injection: retries where they are safe, reconciliation where
they are not.

Reads (attendance status, payment status, quota) meet injected 5xx answers, latency past the client's
timeout and answers lost after the server committed; the SDK retries them and they succeed. An
``authorize`` whose answer is lost after the purchase committed is never sent twice by the SDK; the partner
follows the documented reconciliation (``payments.reconcile`` with the same invoice code) and the
participant is charged exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import prakerja
from prakerja import PrakerjaClient, ReconcileOutcome, RetryPolicy

from .conftest import read_rows
from .served import ServedSandbox, partner

pytestmark = pytest.mark.slow

BUYER = "9990000000000200"
QUICK_RETRIES = RetryPolicy(max_retries=3, initial_delay=0.05, max_delay=0.2)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """A sandbox served by two workers (faults live in the database, so both apply them)."""
    sandbox = ServedSandbox(tmp_path_factory.mktemp("faults") / "faults.sqlite3", workers=2)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture(autouse=True)
def _no_faults_left(faulty: ServedSandbox) -> Iterator[None]:
    yield
    faulty.http.delete("/_sandbox/faults")


def _client(sandbox: ServedSandbox, code: str, *, timeout: float = 10.0) -> PrakerjaClient:
    who = partner(code)
    return PrakerjaClient(
        client_code=who.client_code,
        sign_key=who.sign_key,
        base_url=sandbox.base_url,
        retry=QUICK_RETRIES,
        timeout=httpx.Timeout(timeout),
    )


def _inject(sandbox: ServedSandbox, **fault: Any) -> None:
    answer = sandbox.http.post("/_sandbox/faults", json=fault)
    assert answer.status_code == 201, answer.text


def _calls(sandbox: ServedSandbox, operation: str) -> list[int]:
    """Statuses the request log recorded for ``operation``, oldest first."""
    page = sandbox.http.get("/_sandbox/requests", params={"operation": operation, "limit": 1000}).json()[
        "data"
    ]
    return [int(item["status"]) for item in reversed(page["items"])]


def test_a_read_is_retried_through_injected_server_errors(faulty: ServedSandbox) -> None:
    before = len(_calls(faulty, "attendance.status"))
    _inject(faulty, operation="attendance.status", kind="error", status=503, code="ERRPLT50301", count=2)

    with _client(faulty, "lp-cipta-kreasi-nusantara") as client:
        state = client.attendance.status("GHOPNYXUVMT0", sequence=1)

    assert state.redeem_code == "GHOPNYXUVMT0"
    assert _calls(faulty, "attendance.status")[before:] == [503, 503, 200]


def test_a_read_is_retried_when_its_answer_is_lost(faulty: ServedSandbox) -> None:
    _inject(faulty, operation="payments.quota", kind="drop_after_commit", mode="close", count=1)

    with _client(faulty, "tokopedia") as client:
        quota = client.payments.quota(course_code="prakerjaoauth1", schedule_code="prakerjaoauth")

    assert quota.quota > 0


def test_a_read_slower_than_the_client_timeout_is_retried(faulty: ServedSandbox) -> None:
    _inject(faulty, operation="payments.status", kind="latency", latency_ms=1500, count=1)

    with _client(faulty, "tokopedia", timeout=0.5) as client:
        record = client.payments.status("testing-1234567")

    assert record.invoice_code == "testing-1234567"


def _paid_transactions(sandbox: ServedSandbox, invoice: str) -> list[tuple[Any, ...]]:
    return read_rows(
        sandbox.database,
        "SELECT transaction_code, amount FROM transactions WHERE invoice_code = ? AND status = 'SUCCESS'",
        (invoice,),
    )


def _balance(sandbox: ServedSandbox) -> int:
    [(balance,)] = read_rows(
        sandbox.database, "SELECT balance FROM participants WHERE prakerja_id = ?", (BUYER,)
    )
    return int(balance)


@pytest.mark.parametrize(
    ("mode", "raised"),
    [("close", prakerja.PrakerjaTransportError), ("gateway_timeout", prakerja.PrakerjaAPIError)],
)
def test_an_authorize_whose_answer_is_lost_is_paid_once_after_reconciliation(
    faulty: ServedSandbox, mode: str, raised: type[Exception]
) -> None:
    invoice = f"LOST-{mode}"
    with _client(faulty, "tokopedia") as client:
        sent = _send_otp(client)
        balance = _balance(faulty)
        authorizations = len(_calls(faulty, "payments.authorize"))
        _inject(faulty, operation="payments.authorize", kind="drop_after_commit", mode=mode, count=1)

        with pytest.raises(raised):
            client.payments.authorize(
                sent.payment_token,
                otp="123456",
                invoice_code=invoice,
                invoice_url="https://dp.example/i/lost",
            )
        reconciled = client.payments.reconcile(invoice)

    assert len(_calls(faulty, "payments.authorize")) == authorizations + 1  # the SDK did not send it again
    assert reconciled.outcome is ReconcileOutcome.PAID
    assert reconciled.payment is not None
    assert _paid_transactions(faulty, invoice) == [(reconciled.payment.transaction_code, 20000)]
    assert _balance(faulty) == balance - 20000


def _send_otp(client: PrakerjaClient) -> prakerja.OtpSent:
    return client.payments.send_otp(
        user_platform_id="fault-buyer", prakerja_id=BUYER, course_code="prakerjaoauth1",
        schedule_code="prakerjaoauth", amount=20000,
    )  # fmt: skip


def test_an_authorize_refused_with_a_server_error_is_not_paid_and_can_be_bought_again(
    faulty: ServedSandbox,
) -> None:
    invoice = "REFUSED-503"
    with _client(faulty, "tokopedia") as client:
        first = _send_otp(client)
        _inject(faulty, operation="payments.authorize", kind="error", status=503, code="ERRPLT50301", count=1)
        with pytest.raises(prakerja.PrakerjaAPIError, match="ERRPLT50301"):
            client.payments.authorize(
                first.payment_token, otp="123456", invoice_code=invoice, invoice_url="https://dp.example/i/r"
            )
        assert client.payments.reconcile(invoice).outcome is ReconcileOutcome.NOT_PAID

        second = _send_otp(client)
        paid = client.payments.authorize(
            second.payment_token, otp="123456", invoice_code=invoice, invoice_url="https://dp.example/i/r"
        )

    assert _paid_transactions(faulty, invoice) == [(paid.transaction_code, 20000)]
