"""Synthetic seeds: exact counts, the programme's rules, fixed formats, the same data for the same seed, and
all or nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.clock import Clock
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.control import synthetic
from prakerja_sandbox.control._bulk import distinct
from prakerja_sandbox.control.synthetic import seed_synthetic
from prakerja_sandbox.errors import ApiError

MOMENT = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)
SYNTHETIC_SCHEDULE = "%-syn%"


def _sandbox(database: str = ":memory:") -> Sandbox:
    sandbox = create_app({"database": database}).extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    sandbox.clock = Clock(sandbox.store, real_now=lambda: MOMENT)
    return sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A freshly seeded in-memory sandbox whose clock stands still."""
    made = _sandbox()
    yield made
    made.close()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds work in chunks of 700 rows, so small seeds cross chunk boundaries."""
    monkeypatch.setattr(synthetic, "_CHUNK", 700)


def _counts(sandbox: Sandbox) -> dict[str, int]:
    with sandbox.store.read() as tx:
        return {
            table: int(tx.scalar(f"SELECT COUNT(*) FROM {table}"))
            for table in ("participants", "transactions", "redeem_codes", "schedules")
        }


def _last_rowids(sandbox: Sandbox) -> dict[str, int]:
    """The largest rowid of each table a seed writes to: rows above it are the seed's."""
    with sandbox.store.read() as tx:
        return {
            table: int(tx.scalar(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}"))
            for table in ("participants", "transactions", "redeem_codes", "schedules")
        }


def _digest(sandbox: Sandbox, since: dict[str, int]) -> str:
    """A hash of every row a synthetic seed added or changed, sorted."""
    queries = (
        ("SELECT * FROM participants WHERE rowid > ? ORDER BY prakerja_id", since["participants"]),
        (
            "SELECT prakerja_id, balance FROM participants WHERE rowid <= ? ORDER BY prakerja_id",
            since["participants"],
        ),
        ("SELECT * FROM transactions WHERE rowid > ? ORDER BY transaction_code", since["transactions"]),
        ("SELECT * FROM redeem_codes WHERE rowid > ? ORDER BY code", since["redeem_codes"]),
        ("SELECT * FROM schedules WHERE rowid > ? ORDER BY code", since["schedules"]),
        ("SELECT code, sold FROM schedules WHERE rowid <= ? ORDER BY code", since["schedules"]),
    )
    digest = hashlib.sha256()
    with sandbox.store.read() as tx:
        for query, rowid in queries:
            for row in tx.iterate(query, (rowid,)):
                digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def _seeded_digest(sandbox: Sandbox, *, participants: int, redeem_codes: int, seed: int) -> str:
    since = _last_rowids(sandbox)
    seed_synthetic(sandbox, participants=participants, redeem_codes=redeem_codes, seed=seed)
    return _digest(sandbox, since)


def _assert_rules_hold(sandbox: Sandbox) -> None:
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM participants WHERE balance < 0") == 0
        assert tx.scalar("SELECT COUNT(*) FROM schedules WHERE sold > capacity") == 0
        assert tx.scalar(
            "SELECT COUNT(*) FROM (SELECT prakerja_id, course_code FROM transactions WHERE status = 'SUCCESS' "
            "GROUP BY prakerja_id, course_code HAVING COUNT(*) > 1)"
        ) == 0  # fmt: skip
        unmatched = tx.scalar(
            "SELECT COUNT(*) FROM redeem_codes r WHERE r.invoice_code LIKE 'SYN-%' AND NOT EXISTS ("
            "SELECT 1 FROM transactions t JOIN courses c ON c.code = t.course_code "
            "WHERE t.transaction_code = r.transaction_code AND t.redeem_code = r.code AND t.status = 'SUCCESS' "
            "AND t.amount = c.price AND t.prakerja_id = r.prakerja_id AND t.course_code = r.course_code "
            "AND t.schedule_code = r.schedule_code AND t.dp_code = r.dp_code AND t.invoice_code = r.invoice_code "
            "AND r.lp_code IS c.lp_code)"
        )
        assert unmatched == 0
        unsold = tx.scalar(
            "SELECT COUNT(*) FROM course_platforms p JOIN transactions t ON t.course_code = p.course_code "
            "WHERE t.invoice_code LIKE 'SYN-%' AND t.dp_code = p.dp_code"
        )
        assert unsold == tx.scalar("SELECT COUNT(*) FROM transactions WHERE invoice_code LIKE 'SYN-%'")
        seats = tx.all(
            "SELECT s.code, s.sold, (SELECT COUNT(*) FROM transactions t WHERE t.schedule_code = s.code "
            "AND t.status = 'SUCCESS') AS bought FROM schedules s"
        )
        assert [row for row in seats if row["sold"] != row["bought"]] == []


def test_a_seed_adds_exactly_what_was_asked(sandbox: Sandbox, small_chunks: None) -> None:
    before = _counts(sandbox)
    result = seed_synthetic(sandbox, participants=3000, redeem_codes=2500, seed=4)
    after = _counts(sandbox)
    assert (result.participants, result.redeem_codes) == (3000, 2500)
    assert after["participants"] - before["participants"] == 3000
    assert after["transactions"] - before["transactions"] == 2500
    assert after["redeem_codes"] - before["redeem_codes"] == 2500
    assert after["schedules"] - before["schedules"] == result.schedules_opened


def test_a_seed_keeps_the_programme_rules(sandbox: Sandbox, small_chunks: None) -> None:
    seed_synthetic(sandbox, participants=2000, redeem_codes=5000, seed=8)
    _assert_rules_hold(sandbox)


def test_balances_drop_by_the_prices_paid(sandbox: Sandbox, small_chunks: None) -> None:
    since = _last_rowids(sandbox)
    seed_synthetic(sandbox, participants=1500, redeem_codes=4000, seed=2)
    with sandbox.store.read() as tx:
        default = int(tx.scalar("SELECT value FROM kv WHERE key = 'defaults.participant_balance'"))
        wrong = tx.all(
            "SELECT p.prakerja_id FROM participants p WHERE p.rowid > ? AND p.balance != ? - "
            "(SELECT COALESCE(SUM(amount), 0) FROM transactions t WHERE t.prakerja_id = p.prakerja_id)",
            (since["participants"], default),
        )
        buyers = tx.scalar(
            "SELECT COUNT(DISTINCT prakerja_id) FROM transactions WHERE rowid > ?", (since["transactions"],)
        )
    assert wrong == []
    assert buyers == 1500


def test_schedules_open_only_when_every_seat_of_the_course_is_taken(
    sandbox: Sandbox, small_chunks: None
) -> None:
    result = seed_synthetic(sandbox, participants=2000, redeem_codes=3000, seed=6)
    with sandbox.store.read() as tx:
        opened = tx.all("SELECT course_code FROM schedules WHERE code LIKE ?", (SYNTHETIC_SCHEDULE,))
        for course in {row["course_code"] for row in opened}:
            schedules = tx.all(
                "SELECT sold, capacity FROM schedules WHERE course_code = ? ORDER BY rowid", (course,)
            )
            assert all(row["sold"] == row["capacity"] for row in schedules[:-1])
    assert result.schedules_opened == len(opened) > 0


def test_codes_and_numbers_keep_their_formats(sandbox: Sandbox) -> None:
    since = _last_rowids(sandbox)
    seed_synthetic(sandbox, participants=1000, redeem_codes=1000, seed=5)
    with sandbox.store.read() as tx:
        transactions = tx.all("SELECT * FROM transactions WHERE rowid > ?", (since["transactions"],))
        participants = tx.all("SELECT * FROM participants WHERE rowid > ?", (since["participants"],))
    assert all(re.fullmatch(r"[A-Z0-9]{12}", row["redeem_code"]) for row in transactions)
    assert all(re.fullmatch(r"[A-Z0-9]{16}", row["transaction_code"]) for row in transactions)
    assert all(re.fullmatch(r"SYN-[0-9A-F]{12}", row["invoice_code"]) for row in transactions)
    assert all(
        row["invoice_url"] == f"https://dp.example/invoice/{row['invoice_code']}" for row in transactions
    )
    assert all(row["user_platform_id"] == f"syn-{row['prakerja_id']}" for row in transactions)
    assert all(re.fullmatch(r"[1-8][0-9]{15}", row["prakerja_id"]) for row in participants)
    assert all(re.fullmatch(r"08[0-9]{10}", row["phone"]) for row in participants)
    assert all(row["email"].endswith(f".{row['prakerja_id'][-6:]}@example.com") for row in participants)
    assert (len(participants), len(transactions)) == (1000, 1000)


def test_the_same_seed_builds_the_same_data() -> None:
    digests = []
    for seed in (21, 21, 22):
        sandbox = _sandbox()
        digests.append(_seeded_digest(sandbox, participants=2500, redeem_codes=2000, seed=seed))
        sandbox.close()
    assert digests[0] == digests[1] != digests[2]


def test_a_file_database_gets_the_same_data_as_memory(tmp_path: Path) -> None:
    on_file, in_memory = _sandbox(str(tmp_path / "seed.db")), _sandbox()
    digests = [
        _seeded_digest(sandbox, participants=1200, redeem_codes=900, seed=3)
        for sandbox in (on_file, in_memory)
    ]
    assert digests[0] == digests[1]
    on_file.close()
    in_memory.close()


def test_sqlite_without_update_from_gets_the_same_data(
    monkeypatch: pytest.MonkeyPatch, small_chunks: None
) -> None:
    newer, older = _sandbox(), _sandbox()
    with_update_from = _seeded_digest(newer, participants=900, redeem_codes=1600, seed=13)
    monkeypatch.setattr(synthetic, "_UPDATE_FROM", False)  # SQLite before 3.33: one UPDATE a balance
    assert _seeded_digest(older, participants=900, redeem_codes=1600, seed=13) == with_update_from
    newer.close()
    older.close()


def test_seeding_twice_with_one_seed_draws_new_numbers_and_codes(
    sandbox: Sandbox, small_chunks: None
) -> None:
    before = _counts(sandbox)
    results = [seed_synthetic(sandbox, participants=1000, redeem_codes=800, seed=9) for _ in range(2)]
    after = _counts(sandbox)
    assert [(result.participants, result.redeem_codes) for result in results] == [(1000, 800), (1000, 800)]
    assert after["participants"] - before["participants"] == 2000
    assert after["redeem_codes"] - before["redeem_codes"] == 1600
    _assert_rules_hold(sandbox)


def test_purchases_for_existing_participants_redraw_taken_codes(sandbox: Sandbox, small_chunks: None) -> None:
    seed_synthetic(sandbox, participants=400, redeem_codes=0, seed=1)
    before = _counts(sandbox)
    # The same seed draws the same codes twice: the second seed finds them taken and draws others.
    for _ in range(2):
        assert seed_synthetic(sandbox, participants=0, redeem_codes=900, seed=17).redeem_codes == 900
    after = _counts(sandbox)
    assert after["transactions"] - before["transactions"] == 1800
    assert after["redeem_codes"] - before["redeem_codes"] == 1800
    _assert_rules_hold(sandbox)


def test_a_seed_that_cannot_fit_changes_nothing(tmp_path: Path) -> None:
    sandbox = _sandbox(str(tmp_path / "seed.db"))
    before = _counts(sandbox)
    with pytest.raises(ApiError, match=r"ERRPLT40005: only \d+ purchases fit") as raised:
        seed_synthetic(sandbox, participants=10, redeem_codes=470, seed=1)
    assert raised.value.field == "redeem_codes"
    assert _counts(sandbox) == before
    sandbox.close()


def test_progress_is_reported_per_chunk_and_ends_at_the_total(sandbox: Sandbox, small_chunks: None) -> None:
    reports: list[tuple[str, int, int]] = []
    seed_synthetic(
        sandbox, participants=2000, redeem_codes=1500, seed=1, progress=lambda *step: reports.append(step)
    )
    assert reports == [
        ("participants", 700, 2000),
        ("participants", 1400, 2000),
        ("participants", 2000, 2000),
        ("redeem codes", 700, 1500),
        ("redeem codes", 1400, 1500),
        ("redeem codes", 1500, 1500),
    ]


def test_opened_schedules_skip_names_already_taken(sandbox: Sandbox) -> None:
    with sandbox.store.transaction() as tx:
        # A full schedule named like the first one a seed opens, for every course.
        tx.execute(
            "INSERT INTO schedules (code, course_code, capacity) SELECT code || '-syn1', code, 0 FROM courses"
        )
    result = seed_synthetic(sandbox, participants=2000, redeem_codes=3000, seed=6)
    with sandbox.store.read() as tx:
        opened = tx.scalar(
            "SELECT COUNT(*) FROM schedules WHERE code LIKE ? AND capacity > 0", (SYNTHETIC_SCHEDULE,)
        )
    assert opened == result.schedules_opened > 0


def test_purchases_need_courses_on_sale() -> None:
    sandbox = create_app({"seed": False}).extensions[EXTENSION_KEY]
    with pytest.raises(ApiError, match="no participants or no courses on sale"):
        seed_synthetic(sandbox, participants=5, redeem_codes=5)
    assert _counts(sandbox)["participants"] == 0
    sandbox.close()


def test_repeated_draws_are_drawn_again() -> None:
    draws = iter(["A", "B", "A", "C", "B", "D", "E", "F"])
    values = distinct(lambda count: [next(draws) for _ in range(count)], 4, taken={"C"})
    assert values == ["A", "B", "D", "E"]
