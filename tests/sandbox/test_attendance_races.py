"""Racing attendance and SSO requests on a file database: each one-time thing is used exactly once."""

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
from .lp_kit import REDEEM_COMMIT, auth_code, create_token, generate, open_state, press

RACERS = 12


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[flask.Flask]:
    app = create_app({"database": str(tmp_path / "race.sqlite3")})
    yield app
    app.extensions["prakerja_sandbox"].close()


@pytest.fixture
def file_signed(file_app: flask.Flask) -> SignedClient:
    return SignedClient(file_app.test_client(), file_app.extensions["prakerja_sandbox"])


def _race(signed: SignedClient, attempt: Callable[[SignedClient, int], TestResponse]) -> Counter[int]:
    """Run ``attempt`` in RACERS threads released together; count the HTTP statuses."""
    barrier = threading.Barrier(RACERS)
    statuses: list[int] = [0] * RACERS

    def run(index: int) -> None:
        own = SignedClient(signed.client.application.test_client(), signed.sandbox)
        barrier.wait()
        statuses[index] = attempt(own, index).status_code

    threads = [threading.Thread(target=run, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return Counter(statuses)


def _attended(sandbox: Sandbox, code: str) -> int:
    with sandbox.store.read() as tx:
        return int(tx.scalar("SELECT COUNT(*) FROM attendance WHERE redeem_code = ? AND status = 1", (code,)))


def test_one_verification_link_is_used_once(file_signed: SignedClient) -> None:
    state = open_state(file_signed, "PRAT-TC1001")
    statuses = _race(file_signed, lambda signed, _: press(signed.client, state))
    assert statuses == Counter({302: 1, 400: RACERS - 1})


def test_links_of_one_sequence_verify_it_once(file_signed: SignedClient) -> None:
    states = [open_state(file_signed, "PRAT-TC1001") for _ in range(RACERS)]
    statuses = _race(file_signed, lambda signed, index: press(signed.client, states[index]))
    assert statuses == Counter({302: 1, 400: RACERS - 1})
    assert _attended(file_signed.sandbox, "PRAT-TC1001") == 1


def test_one_email_binds_to_one_code_of_a_course(file_signed: SignedClient) -> None:
    codes = ["PRAT-TC1001", "PRAT-TC1999"] * (RACERS // 2)
    statuses = _race(
        file_signed,
        lambda signed, index: generate(
            signed,
            codes[index],
            sequence=1 if codes[index] == "PRAT-TC1001" else 999,
            email="sama@example.com",
        ),
    )
    with file_signed.sandbox.store.read() as tx:
        bound = tx.scalar("SELECT COUNT(*) FROM redeem_codes WHERE email = 'sama@example.com'")
    assert bound == 1
    assert statuses[200] == RACERS // 2  # every call for the winning code; the other code's calls are refused


def test_legacy_commit_redeems_once(file_signed: SignedClient) -> None:
    statuses = _race(
        file_signed,
        lambda signed, _: signed.post(
            REDEEM_COMMIT, {"redeem_code": "PRAT-TC1001"}, as_="SBX-LP-CIPTAKREASI"
        ),
    )
    assert statuses == Counter({200: 1, 400: RACERS - 1})


def test_one_sso_code_is_exchanged_once(file_signed: SignedClient) -> None:
    code = auth_code(file_signed.client)
    statuses = _race(file_signed, lambda signed, _: create_token(signed, code))
    assert statuses == Counter({200: 1, 400: RACERS - 1})
