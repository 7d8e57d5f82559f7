"""Racing requests on a file database: one payment token, one invoice code, one seat -> exactly one winner."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import pytest
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox, create_app

from .conftest import SignedClient
from .kit import AUTHORIZE, BUYER, PARTICIPANT, TEST_SCHEDULE, authorize_body, execute, payment_token, scalar

RACERS = 16


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[flask.Flask]:
    app = create_app({"database": str(tmp_path / "race.sqlite3")})
    yield app
    app.extensions["prakerja_sandbox"].close()


@pytest.fixture
def file_sandbox(file_app: flask.Flask) -> Sandbox:
    sandbox = file_app.extensions["prakerja_sandbox"]
    assert isinstance(sandbox, Sandbox)
    return sandbox


def _race(
    app: flask.Flask, sandbox: Sandbox, attempt: Callable[[SignedClient, int], TestResponse]
) -> list[str]:
    """Run ``attempt`` in RACERS threads released together; the answer codes ("OK" for success)."""
    barrier = threading.Barrier(RACERS)
    results: list[str] = [""] * RACERS

    def run(index: int) -> None:
        signed = SignedClient(app.test_client(), sandbox)
        barrier.wait()
        response = attempt(signed, index)
        body = response.get_json()
        results[index] = "OK" if response.status_code == 200 else str(body["code"])

    threads = [threading.Thread(target=run, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_one_payment_token_is_spent_once(file_app: flask.Flask, file_sandbox: Sandbox) -> None:
    token = payment_token(SignedClient(file_app.test_client(), file_sandbox), prakerja_id=PARTICIPANT)
    balance = scalar(file_sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))

    def attempt(signed: SignedClient, index: int) -> TestResponse:
        return signed.post(AUTHORIZE, authorize_body(f"INV-{index}"), authorization=f"Payment {token}")

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"OK": 1, "ERRPLT40027": RACERS - 1}
    assert scalar(file_sandbox, "SELECT COUNT(*) FROM transactions WHERE payment_token = ?", (token,)) == 1
    after = scalar(file_sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    assert after == balance - 20000


def test_the_last_seat_goes_to_one_buyer(file_app: flask.Flask, file_sandbox: Sandbox) -> None:
    signed = SignedClient(file_app.test_client(), file_sandbox)
    tokens = [payment_token(signed, prakerja_id=BUYER, user_platform_id="racer") for _ in range(RACERS)]
    execute(file_sandbox, "UPDATE schedules SET capacity = sold + 1 WHERE code = ?", (TEST_SCHEDULE,))

    def attempt(client: SignedClient, index: int) -> TestResponse:
        return client.post(
            AUTHORIZE, authorize_body(f"SEAT-{index}"), authorization=f"Payment {tokens[index]}"
        )

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"OK": 1, "ERRPLT40013": RACERS - 1}
    assert scalar(file_sandbox, "SELECT capacity - sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,)) == 0


def test_one_invoice_code_is_used_once(file_app: flask.Flask, file_sandbox: Sandbox) -> None:
    signed = SignedClient(file_app.test_client(), file_sandbox)
    tokens = [payment_token(signed, prakerja_id=BUYER, user_platform_id="racer") for _ in range(RACERS)]

    def attempt(client: SignedClient, index: int) -> TestResponse:
        return client.post(
            AUTHORIZE, authorize_body("SAME-INVOICE"), authorization=f"Payment {tokens[index]}"
        )

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"OK": 1, "ERRPLT40030": RACERS - 1}


def test_racing_wrong_otps_lock_the_token_after_exactly_three(
    file_app: flask.Flask, file_sandbox: Sandbox
) -> None:
    token = payment_token(SignedClient(file_app.test_client(), file_sandbox))

    def attempt(signed: SignedClient, index: int) -> TestResponse:
        body = authorize_body(f"OTP-{index}", otp="000000")
        return signed.post(AUTHORIZE, body, authorization=f"Payment {token}")

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"ERRPLT40023": 2, "ERRPLT40025": RACERS - 2}
    assert scalar(file_sandbox, "SELECT attempts FROM payment_tokens WHERE token = ?", (token,)) == 3


def test_one_void_restores_the_balance_once(file_app: flask.Flask, file_sandbox: Sandbox) -> None:
    from .kit import VOID, buy

    signed = SignedClient(file_app.test_client(), file_sandbox)
    before = scalar(file_sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    data = buy(signed, prakerja_id=PARTICIPANT)

    def attempt(client: SignedClient, index: int) -> TestResponse:
        return client.post(VOID, {"invoice_code": "INV-0001", "transaction_code": data["transaction_code"]})

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"OK": 1, "ERRPLT40028": RACERS - 1}
    assert (
        scalar(file_sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
        == before
    )


def test_racing_send_otps_leave_one_purchasable_token(file_app: flask.Flask, file_sandbox: Sandbox) -> None:
    from .kit import SEND_OTP, send_otp_body

    tokens: list[str] = [""] * RACERS

    def request_otp(signed: SignedClient, index: int) -> TestResponse:
        response = signed.post(SEND_OTP, send_otp_body(prakerja_id=PARTICIPANT))
        tokens[index] = response.get_json()["data"]["payment_token"]
        return response

    assert Counter(_race(file_app, file_sandbox, request_otp)) == {"OK": RACERS}

    def attempt(signed: SignedClient, index: int) -> TestResponse:
        return signed.post(
            AUTHORIZE, authorize_body(f"INV-{index}"), authorization=f"Payment {tokens[index]}"
        )

    results = Counter(_race(file_app, file_sandbox, attempt))
    assert results == {"OK": 1, "ERRPLT40029": RACERS - 1}
    bought = scalar(file_sandbox, "SELECT COUNT(*) FROM transactions WHERE prakerja_id = ?", (PARTICIPANT,))
    assert bought == 1
