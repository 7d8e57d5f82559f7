"""Two sandbox instances (two ``prakerja-sandbox`` commands, two workers each) on one PostgreSQL database.

Racing requests are spread over both instances, released together: every one-time thing (a payment token, the
last seat, a redeem code, an SSO code) has exactly one winner and nothing is lost. A third instance, in this
process, prepares the state and reads the outcome from the same database. ``kill -9`` of one instance while
purchases stream in loses no purchase it acknowledged, and the other instance goes on serving.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import flask
import pytest

from prakerja_sandbox import Sandbox, create_app

from .cli_process import SandboxProcess, raw_request
from .conftest import SignedClient
from .kit import AUTHORIZE, BUYER, PARTICIPANT, TEST_SCHEDULE, authorize_body, execute, payment_token, scalar
from .lp_kit import LP, REDEEM_COMMIT, auth_code, create_token
from .postgres import schema_url

pytestmark = pytest.mark.slow

RACERS = 12


@attrs.frozen
class _Answer:
    """The part of Flask's test response the helpers read."""

    status_code: int
    headers: Mapping[str, str]
    data: bytes

    def get_json(self) -> Any:
        return json.loads(self.data)


class _HttpClient:
    """The part of Flask's test client :class:`SignedClient` uses, over a real socket to one instance."""

    def __init__(self, port: int) -> None:
        self.port = port

    def open(
        self, url: str, *, method: str, data: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> _Answer:
        raw = raw_request(self.port, method, url, data or b"", headers)
        return _Answer(raw.status, raw.headers, raw.body)


@attrs.frozen
class Shared:
    """The in-process instance and the two served ones, all on one schema."""

    local: SignedClient
    served: tuple[SandboxProcess, SandboxProcess]

    @property
    def sandbox(self) -> Sandbox:
        return self.local.sandbox

    def client(self, index: int) -> SignedClient:
        """A signing client of instance ``index % 2``."""
        return SignedClient(_HttpClient(self.served[index % 2].port), self.sandbox)  # type: ignore[arg-type]


@pytest.fixture
def shared(tmp_path: Path) -> Iterator[Shared]:
    with schema_url() as url:
        app: flask.Flask = create_app({"database": url, "request_log_batch_ms": 0})
        options = ["--workers", "2", "--no-access-log"]
        first = SandboxProcess(url, options=options, log_dir=tmp_path)
        try:
            second = SandboxProcess(url, options=options, log_dir=tmp_path)
            try:
                yield Shared(
                    SignedClient(app.test_client(), app.extensions["prakerja_sandbox"]), (first, second)
                )
            finally:
                second.stop()
        finally:
            first.stop()
            app.extensions["prakerja_sandbox"].close()


def _race(shared: Shared, attempt: Callable[[SignedClient, int], Any]) -> list[Any]:
    """``attempt(client, index)`` in RACERS threads released together, alternating between the instances."""
    barrier = threading.Barrier(RACERS)
    results: list[Any] = [None] * RACERS

    def run(index: int) -> None:
        client = shared.client(index)
        barrier.wait()
        answer = attempt(client, index)
        results[index] = (
            "OK" if answer.status_code == 200 else answer.get_json().get("code", answer.status_code)
        )

    threads = [threading.Thread(target=run, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_one_payment_token_is_spent_once_across_instances(shared: Shared) -> None:
    token = payment_token(shared.local, prakerja_id=PARTICIPANT)
    balance = scalar(shared.sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))

    results = _race(
        shared,
        lambda client, index: client.post(
            AUTHORIZE, authorize_body(f"INV-{index}"), authorization=f"Payment {token}"
        ),
    )

    assert Counter(results) == {"OK": 1, "ERRPLT40027": RACERS - 1}
    assert scalar(shared.sandbox, "SELECT COUNT(*) FROM transactions WHERE payment_token = ?", (token,)) == 1
    after = scalar(shared.sandbox, "SELECT balance FROM participants WHERE prakerja_id = ?", (PARTICIPANT,))
    assert after == balance - 20000


def test_the_last_seat_goes_to_one_buyer_across_instances(shared: Shared) -> None:
    tokens = [payment_token(shared.local, prakerja_id=BUYER, user_platform_id="racer") for _ in range(RACERS)]
    execute(shared.sandbox, "UPDATE schedules SET capacity = sold + 1 WHERE code = ?", (TEST_SCHEDULE,))
    sold = scalar(
        shared.sandbox, "SELECT COUNT(*) FROM transactions WHERE schedule_code = ?", (TEST_SCHEDULE,)
    )

    results = _race(
        shared,
        lambda client, index: client.post(
            AUTHORIZE, authorize_body(f"SEAT-{index}"), authorization=f"Payment {tokens[index]}"
        ),
    )

    assert Counter(results) == {"OK": 1, "ERRPLT40013": RACERS - 1}
    assert (
        scalar(shared.sandbox, "SELECT capacity - sold FROM schedules WHERE code = ?", (TEST_SCHEDULE,)) == 0
    )
    now_sold = scalar(
        shared.sandbox, "SELECT COUNT(*) FROM transactions WHERE schedule_code = ?", (TEST_SCHEDULE,)
    )
    assert now_sold == sold + 1


def test_one_redeem_code_is_redeemed_once_across_instances(shared: Shared) -> None:
    results = _race(
        shared, lambda client, _: client.post(REDEEM_COMMIT, {"redeem_code": "PRAT-TC1001"}, as_=LP)
    )

    assert results.count("OK") == 1
    assert len(set(results) - {"OK"}) == 1  # every loser is refused with the same code
    assert scalar(shared.sandbox, "SELECT status FROM redeem_codes WHERE code = 'PRAT-TC1001'") == 1


def test_one_sso_code_is_exchanged_once_across_instances(shared: Shared) -> None:
    code = auth_code(shared.local.client)

    results = _race(shared, lambda client, _: create_token(client, code))

    assert results.count("OK") == 1
    assert len(set(results) - {"OK"}) == 1
    assert scalar(shared.sandbox, "SELECT COUNT(*) FROM sso_tokens") == 2  # one access and one refresh token


def _purchase(client: SignedClient, index: int) -> str | None:
    """One Send OTP + Authorize for the always-succeeding buyer; the transaction code when acknowledged."""
    from .kit import SEND_OTP, send_otp_body

    try:
        sent = client.post(SEND_OTP, send_otp_body(user_platform_id="stream"))
        if sent.status_code != 200:
            return None
        token = sent.get_json()["data"]["payment_token"]
        paid = client.post(AUTHORIZE, authorize_body(f"KILL-{index}"), authorization=f"Payment {token}")
    except OSError:  # the instance died under this request: nothing was acknowledged
        return None
    if paid.status_code != 200:
        return None
    return str(paid.get_json()["data"]["transaction_code"])


def test_kill_9_of_one_instance_loses_nothing_it_acknowledged(shared: Shared) -> None:
    execute(shared.sandbox, "UPDATE schedules SET capacity = 100000 WHERE code = ?", (TEST_SCHEDULE,))
    acknowledged: list[str] = []
    started = threading.Event()
    stop = threading.Event()

    def stream(instance: int) -> None:
        client = shared.client(instance)
        index = 0
        while not stop.is_set():
            code = _purchase(client, instance * 1_000_000 + index)
            index += 1
            if code is not None:
                acknowledged.append(code)
                if index >= 5:
                    started.set()

    threads = [threading.Thread(target=stream, args=(instance % 2,)) for instance in range(4)]
    for thread in threads:
        thread.start()
    try:
        assert started.wait(60), "no purchases went through"
        shared.served[1].kill()
        survivor = shared.client(0)
        assert _purchase(survivor, 9_999_999) is not None  # the killed instance held no lock the other needs
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    stored = {
        row["transaction_code"]
        for row in _rows(
            shared.sandbox, "SELECT transaction_code FROM transactions WHERE user_platform_id = 'stream'"
        )
    }
    assert acknowledged, "nothing was acknowledged"
    assert set(acknowledged) <= stored
    assert raw_request(shared.served[0].port, "GET", "/_sandbox/health").status == 200


def _rows(sandbox: Sandbox, sql: str) -> list[dict[str, Any]]:
    with sandbox.store.read() as tx:
        return tx.all(sql)
