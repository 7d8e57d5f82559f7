"""Storage transactions, the sandbox clock, the config and the seed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from prakerja.contract import load_contract
from prakerja_sandbox import Sandbox, SandboxConfig, create_app, reset_sandbox
from prakerja_sandbox.clock import Clock, format_time, parse_time
from prakerja_sandbox.storage import SqliteStore, Store, open_store

from .conftest import database
from .kit import scalar


@pytest.fixture
def store(store_kind: str) -> Iterator[Store]:
    """An empty store of each kind (SQLite in memory, a PostgreSQL schema)."""
    with database(store_kind) as url:
        opened = open_store(url)
        yield opened
        opened.close()


def test_transaction_commits_on_normal_exit(store: Store) -> None:
    with store.transaction() as tx:
        tx.execute("INSERT INTO kv (key, value) VALUES ('a', '1')")
    with store.read() as tx:
        assert tx.scalar("SELECT value FROM kv WHERE key = 'a'") == "1"


def _insert_then_fail(store: Store) -> None:
    with store.transaction() as tx:
        tx.execute("INSERT INTO kv (key, value) VALUES ('a', '1')")
        raise RuntimeError("stop")


def _nested_insert_then_fail(store: Store) -> None:
    with store.transaction() as outer:
        with store.transaction() as inner:
            assert inner is outer
            inner.execute("INSERT INTO kv (key, value) VALUES ('a', '1')")
        raise RuntimeError("outer")


def test_transaction_rolls_back_when_an_exception_escapes(store: Store) -> None:
    with pytest.raises(RuntimeError, match="stop"):
        _insert_then_fail(store)
    with store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM kv") == 0


def test_nested_transaction_joins_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError, match="outer"):
        _nested_insert_then_fail(store)
    with store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM kv") == 0


def test_rows_are_dicts_and_insert_returns_the_row_id(store: Store) -> None:
    with store.transaction() as tx:
        first = tx.insert(
            "INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '08', 't', 'now')"
        )
        second = tx.insert(
            "INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '08', 'u', 'now')"
        )
        rows = tx.all("SELECT id, text FROM inbox ORDER BY id")
    assert second == first + 1
    assert rows == [{"id": first, "text": "t"}, {"id": second, "text": "u"}]


def test_wipe_empties_every_table_and_restarts_ids(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '08', 't', 'now')")
    store.wipe()
    with store.transaction() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM inbox") == 0
        assert (
            tx.insert("INSERT INTO inbox (kind, phone, text, created_at) VALUES ('otp', '08', 't', 'n')") == 1
        )


def test_file_store_is_shared_between_stores(tmp_path: Path) -> None:
    path = str(tmp_path / "state.sqlite3")
    writer, reader = SqliteStore(path), SqliteStore(path)
    with writer.transaction() as tx:
        tx.execute("INSERT INTO kv (key, value) VALUES ('shared', 'yes')")
    with reader.read() as tx:
        assert tx.scalar("SELECT value FROM kv WHERE key = 'shared'") == "yes"
    writer.close()
    reader.close()


def test_clock_advance_and_set(store: Store) -> None:
    real = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
    clock = Clock(store, real_now=lambda: real)
    assert clock.now() == real
    assert clock.advance(90) == real + timedelta(seconds=90)
    target = datetime(2030, 1, 1, tzinfo=UTC)
    assert clock.set(target) == target
    assert clock.real_now() == real


def test_clock_offset_is_shared_through_the_store(store: Store) -> None:
    Clock(store).advance(3600)
    assert Clock(store).offset_seconds() == pytest.approx(3600)


def test_clock_refuses_a_naive_datetime(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone"):
        Clock(store).set(datetime(2030, 1, 1))


def test_time_format_round_trips() -> None:
    moment = datetime(2023, 10, 24, 10, 54, 45, tzinfo=UTC)
    assert format_time(moment) == "2023-10-24T10:54:45Z"
    assert parse_time("2023-10-24T10:54:45Z") == moment
    assert parse_time("2023-10-24T17:54:45+07:00") == moment


def test_config_from_mapping_refuses_unknown_settings() -> None:
    with pytest.raises(ValueError, match="datbase"):
        SandboxConfig.from_mapping({"datbase": "x"})


def test_config_refuses_an_unknown_otp_mode() -> None:
    with pytest.raises(ValueError, match="otp_mode"):
        SandboxConfig(otp_mode="sometimes")


def test_seed_loads_every_partner_course_and_participant(sandbox: Sandbox) -> None:
    partners = load_contract().partners
    scenarios = load_contract().scenarios
    assert scalar(sandbox, "SELECT COUNT(*) FROM partners WHERE kind = 'DP'") == len(
        partners["digital_platforms"]
    )
    assert scalar(sandbox, "SELECT COUNT(*) FROM partners WHERE kind = 'LP'") == len(
        partners["training_institutions"]
    )
    assert scalar(sandbox, "SELECT COUNT(*) FROM courses") == len(partners["courses"]) + len(
        scenarios["test_courses"]
    )
    assert scalar(sandbox, "SELECT COUNT(*) FROM participants") == len(partners["participants"]) + len(
        scenarios["magic_participants"]["participants"]
    )


def test_seed_places_schedule_starts_relative_to_seeding(sandbox: Sandbox) -> None:
    course = load_contract().partners["courses"][0]
    schedule = course["schedules"][0]
    start = parse_time(scalar(sandbox, "SELECT start_at FROM schedules WHERE code = ?", (schedule["code"],)))
    expected = sandbox.clock.now() + timedelta(minutes=schedule["start_offset_minutes"])
    assert abs((start - expected).total_seconds()) < 60


def test_seed_loads_the_test_codes_with_their_states(sandbox: Sandbox) -> None:
    with sandbox.store.read() as tx:
        rows = {row["code"]: row for row in tx.all("SELECT * FROM redeem_codes")}
        verified = tx.all("SELECT redeem_code, sequence FROM attendance WHERE redeem_code = 'PRAT-TC1999'")
    assert rows["PRAT-TC1001"]["status"] == 0
    assert rows["PRAT-TC1001"]["lp_code"] is None
    assert rows["PRAT-N1A001"]["status"] == 2
    assert rows["PRAT-N1B001"]["status"] == 1
    assert rows["PRAT-N1B001"]["expect_code"] == "ERRRDM40005"
    assert "PRAT-NOTFND" not in rows
    assert rows["GHOPNYXUVMT0"]["invoice_code"] == "testing-1234567"
    assert rows["GHOPNYXUVMT0"]["redeem_at"] == "2023-10-24T10:54:45Z"
    assert verified == [{"redeem_code": "PRAT-TC1999", "sequence": 1}]


def test_seed_loads_the_example_assignment(sandbox: Sandbox) -> None:
    with sandbox.store.read() as tx:
        rows = tx.all(
            "SELECT scope, sequence, kind, status FROM tpm_submissions WHERE redeem_code = 'PRAT-UJ0EEQ'"
        )
    assert rows == [{"scope": "tpm", "sequence": 2, "kind": "assignment", "status": 2}]


def test_reset_restores_the_seeded_state(sandbox: Sandbox) -> None:
    with sandbox.store.transaction() as tx:
        tx.execute("DELETE FROM request_log")
        tx.execute("UPDATE participants SET balance = 0")
    sandbox.clock.advance(999)
    reset_sandbox(sandbox)
    assert scalar(sandbox, "SELECT MIN(balance) FROM participants") > 0
    assert sandbox.clock.offset_seconds() == 0


def test_existing_file_database_keeps_its_state(tmp_path: Path) -> None:
    database = str(tmp_path / "sandbox.sqlite3")
    first = create_app({"database": database})
    with first.extensions["prakerja_sandbox"].store.transaction() as tx:
        tx.execute("UPDATE participants SET balance = 7 WHERE prakerja_id = '9990000000000200'")
    second = create_app({"database": database})
    assert scalar(second.extensions["prakerja_sandbox"], "SELECT balance FROM participants "
                  "WHERE prakerja_id = '9990000000000200'") == 7  # fmt: skip


def test_custom_seed_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "digital_platforms:\n"
        "  - {code: dp1, name: DP Satu, client_code: C1, sign_key: K1, invoice_prefix: D1-, status: active}\n",
        encoding="utf-8",
    )
    app = create_app({"seed_file": seed})
    assert (
        scalar(app.extensions["prakerja_sandbox"], "SELECT client_code FROM partners WHERE kind = 'DP'")
        == "C1"
    )
