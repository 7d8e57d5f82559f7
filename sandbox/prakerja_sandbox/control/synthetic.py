"""Large synthetic seeds: many participants and purchased redeem codes, for load tests and paging.

Everything is drawn from one ``random.Random(seed)``, codes included, so the same request on the same state
builds the same data. Participants live in the contract's 514 regencies, are 18 to 64 years old, and never use
the reserved ``999`` numbers. Purchases follow the programme's rules: a participant buys a course once, within
their balance, on a platform that sells it, on a schedule with a free seat (a new schedule is opened when every
seat is taken).

The seed runs in one write transaction (all or nothing) and works in chunks of 50,000 rows: participants and
transactions are made in Python and written many rows a statement, redeem codes are copied from their
transactions inside the database. Balances, earlier purchases and free seats are read once at the start and
kept in memory; each chunk ends by writing the touched schedules' ``sold`` and participants' ``balance``. A
number or code already taken (in the database or earlier in the seed) is drawn again, so counts are exact.
"""

from __future__ import annotations

import logging
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs

from prakerja_sandbox.clock import format_time
from prakerja_sandbox.context import Sandbox
from prakerja_sandbox.control._bulk import Batch, Draws, distinct
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.seed import EDUCATION_RANK
from prakerja_sandbox.storage.base import Tx

__all__ = ["Progress", "SyntheticResult", "seed_synthetic"]

_log = logging.getLogger("prakerja_sandbox.control")

_GIVEN = ("Adi", "Ayu", "Bayu", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
          "Lestari", "Made", "Nur", "Okta", "Putri", "Rizky", "Sari", "Teguh", "Umi", "Wahyu", "Yusuf", "Zahra")  # fmt: skip
_FAMILY = ("Siregar", "Nasution", "Wibowo", "Santoso", "Lubis", "Hidayat", "Saputra", "Pratama", "Kurniawan",
           "Wijaya", "Simanjuntak", "Rahman", "Setiawan", "Harahap", "Gunawan", "Putra", "Tanjung", "Halim")  # fmt: skip
_SYNTHETIC_CAPACITY = 1000
#: rows made and written per step (and per progress report)
_CHUNK = 50_000
#: redeem codes copied from the chunk's transactions (rowid above ?), in the order written
_COPY_REDEEM_CODES = (
    "INSERT INTO redeem_codes (code, course_code, schedule_code, lp_code, dp_code, invoice_code, "
    "transaction_code, prakerja_id, status, created_at) SELECT t.redeem_code, t.course_code, t.schedule_code, "
    "c.lp_code, t.dp_code, t.invoice_code, t.transaction_code, t.prakerja_id, 0, t.created_at "
    "FROM transactions t JOIN courses c ON c.code = t.course_code WHERE t.rowid > ? ORDER BY t.rowid "
    "ON CONFLICT DO NOTHING"
)
_UNCOPIED_REDEEM_CODES = (
    "SELECT t.transaction_code FROM transactions t WHERE t.rowid > ? AND NOT EXISTS "
    "(SELECT 1 FROM redeem_codes r WHERE r.code = t.redeem_code AND r.transaction_code = t.transaction_code)"
)

Progress = Callable[[str, int, int], None]


@attrs.frozen
class SyntheticResult:
    """What a synthetic seed added."""

    participants: int
    redeem_codes: int
    schedules_opened: int
    seed: int


_PARTICIPANTS = Batch(
    "participants",
    "prakerja_id",
    "INSERT INTO participants (prakerja_id, name, birth_date, gender, education, phone, email, "
    "regency_code, balance, status) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
    " ON CONFLICT DO NOTHING",
)
_TRANSACTIONS = Batch(
    "transactions",
    "transaction_code",
    "INSERT INTO transactions (transaction_code, dp_code, invoice_code, invoice_url, prakerja_id, "
    "user_platform_id, course_code, schedule_code, amount, status, redeem_code, created_at) VALUES ",
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'SUCCESS', ?, ?)",
    " ON CONFLICT DO NOTHING",
)
#: ``(rowid, balance)`` rows, with ``UPDATE ... FROM`` where SQLite has it (3.33 and later)
_UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33)
_BALANCES = Batch(
    "participants",
    "rowid",
    "UPDATE participants SET balance = v.column2 FROM (VALUES ",
    "(?, ?)",
    ") AS v WHERE participants.rowid = v.column1",
)


def _default_balance(tx: Tx) -> int:
    return int(tx.scalar("SELECT value FROM kv WHERE key = 'defaults.participant_balance'") or 3_500_000)


def _add_participants(
    tx: Tx, sandbox: Sandbox, draws: Draws, count: int, progress: Progress
) -> tuple[list[str], array[int]]:
    """Insert ``count`` new participants; their numbers and rowids, in the order inserted."""
    regions = [region.code for region in sandbox.contract.regions]
    balance = _default_balance(tx)
    today = sandbox.clock.now().date()
    births = [(today - timedelta(days=age)).isoformat() for age in range(18 * 366, 64 * 365 + 1)]
    educations = list(EDUCATION_RANK)
    names = [
        (f"{given} {family}", f"{given.lower()}.{family.lower()}.") for given in _GIVEN for family in _FAMILY
    ]
    draw = draws.generator
    added: list[str] = []
    rowids = array("q")
    while len(added) < count:
        size = min(_CHUNK, count - len(added))
        # In number order, each chunk fills the primary key index page by page.
        numbers = sorted(distinct(draws.prakerja_ids, size))
        rows = [
            (number, name, birth, gender, education, f"08{phone}", f"{email}{number[-6:]}@example.com", region,
             balance)
            for number, (name, email), birth, gender, education, phone, region in zip(
                numbers, draw.choices(names, k=size), draw.choices(births, k=size), draw.choices("MF", k=size),
                draw.choices(educations, k=size), draws.digits.strings(size, 10), draw.choices(regions, k=size),
                strict=True,
            )
        ]  # fmt: skip
        for number, rowid in zip(numbers, _PARTICIPANTS.rowids(tx, rows), strict=True):
            if rowid:
                added.append(number)
                rowids.append(rowid)
        progress("participants", len(added), count)
    return added, rowids


@attrs.define
class _Course:
    code: str
    price: int
    lp_code: str | None
    dp_code: str
    #: [code, capacity, sold] of the course's schedules in rowid order
    schedules: list[list[Any]]
    #: the first schedule that may have a free seat (seats only fill up during a seed)
    free: int = 0


#: a purchase: the buyer's position, the course and its schedule ``[code, capacity, sold]``
_Pick = tuple[int, _Course, list[Any]]


@attrs.define
class _Buyers:
    """Who may buy: numbers, balances and earlier purchases ``(prakerja_id, course_code)``."""

    numbers: list[str]
    rowids: array[int]
    balances: array[int]
    bought: set[tuple[str, str]]


@attrs.define
class _Purchases:
    """The state of the purchases while a seed runs."""

    buyers: _Buyers
    courses: list[_Course]
    schedule_codes: set[str]
    now: datetime
    attempt: int = 0
    opened: int = 0
    serial: int = 0
    #: schedules opened in the current chunk, to be written with it
    new_schedules: list[tuple[Any, ...]] = attrs.field(factory=list)


def _read_courses(tx: Tx) -> tuple[list[_Course], set[str]]:
    courses = [
        _Course(row["code"], int(row["price"]), row["lp_code"], row["dp_code"], [])
        for row in tx.all(
            "SELECT c.code, c.price, c.lp_code, (SELECT dp_code FROM course_platforms WHERE course_code = c.code "
            "ORDER BY dp_code LIMIT 1) AS dp_code FROM courses c WHERE c.is_test = 0 ORDER BY c.code"
        )
        if row["dp_code"] is not None
    ]
    by_code = {course.code: course for course in courses}
    codes: set[str] = set()
    for row in tx.all("SELECT code, course_code, capacity, sold FROM schedules ORDER BY rowid"):
        codes.add(row["code"])
        if row["course_code"] in by_code:
            by_code[row["course_code"]].schedules.append(
                [row["code"], int(row["capacity"]), int(row["sold"])]
            )
    return courses, codes


def _read_buyers(tx: Tx, added: list[str], rowids: array[int]) -> _Buyers:
    if added:
        # New numbers have no purchases: a transaction names an existing participant, and none is deleted
        # (a reset empties both tables).
        return _Buyers(added, rowids, array("q", [_default_balance(tx)]) * len(added), set())
    rows = tx.all(
        "SELECT rowid, prakerja_id, balance FROM participants WHERE magic_step IS NULL AND status = 'active' "
        "AND prakerja_id NOT LIKE '999%' ORDER BY prakerja_id"
    )
    bought = {(row["prakerja_id"], row["course_code"]) for row in tx.iterate(
        "SELECT prakerja_id, course_code FROM transactions WHERE status = 'SUCCESS'"
    )}  # fmt: skip
    return _Buyers(
        [row["prakerja_id"] for row in rows],
        array("q", (row["rowid"] for row in rows)),
        array("q", (row["balance"] for row in rows)),
        bought,
    )


def _seat(state: _Purchases, course: _Course) -> list[Any]:
    """The first schedule of ``course`` with a free seat, opening one when every seat is taken."""
    schedules = course.schedules
    while course.free < len(schedules) and schedules[course.free][2] >= schedules[course.free][1]:
        course.free += 1
    if course.free < len(schedules):
        return schedules[course.free]
    state.opened += 1
    state.serial += 1
    while f"{course.code}-syn{state.serial}" in state.schedule_codes:
        state.serial += 1
    code = f"{course.code}-syn{state.serial}"
    state.schedule_codes.add(code)
    schedules.append([code, _SYNTHETIC_CAPACITY, 0])
    state.new_schedules.append(
        (code, course.code, format_time(state.now + timedelta(days=7)), _SYNTHETIC_CAPACITY)
    )
    return schedules[-1]


def _pick(state: _Purchases, want: int, made: int) -> list[_Pick]:
    """The next ``want`` purchases ``(buyer, course, schedule)``, in the order buyers and courses are tried.

    Attempt ``a`` offers buyer ``a % n`` the course ``(a % n + a // n) % c``, so no buyer is offered a course
    twice; the attempts run out after ``n * c``.
    """
    buyers, courses = state.buyers, state.courses
    numbers, balances, bought = buyers.numbers, buyers.balances, buyers.bought
    count, offered = len(numbers), len(courses)
    limit, attempt = count * offered, state.attempt
    picks: list[_Pick] = []
    while len(picks) < want:
        if attempt >= limit:
            raise ApiError(
                "ERRPLT40005",
                field="redeem_codes",
                detail=f"only {made + len(picks)} purchases fit (each participant buys a course once, "
                "within the balance)",
            )
        buyer = attempt % count
        course = courses[(buyer + attempt // count) % offered]
        attempt += 1
        if balances[buyer] < course.price or (bought and (numbers[buyer], course.code) in bought):
            continue
        schedule = _seat(state, course)
        schedule[2] += 1
        balances[buyer] -= course.price
        picks.append((buyer, course, schedule))
    state.attempt = attempt
    return picks


def _write_purchases(tx: Tx, draws: Draws, state: _Purchases, picks: list[_Pick]) -> None:
    """Write one chunk of purchases, then the seats and balances they changed."""
    numbers, now_text = state.buyers.numbers, format_time(state.now)
    count = len(picks)
    # Sorted codes fill each unique index page by page (rows are in buyer order, so codes look no less random).
    transaction_codes = sorted(distinct(draws.transaction_codes, count))
    redeem_codes = sorted(distinct(draws.redeem_codes, count))
    invoices = sorted(distinct(draws.invoices, count))

    def transactions(positions: Iterable[int]) -> list[tuple[Any, ...]]:
        return [
            (transaction_codes[at], course.dp_code, invoices[at], f"https://dp.example/invoice/{invoices[at]}",
             numbers[buyer], f"syn-{numbers[buyer]}", course.code, schedule[0], course.price, redeem_codes[at],
             now_text)
            for at in positions
            for buyer, course, schedule in (picks[at],)
        ]  # fmt: skip

    before = int(tx.scalar("SELECT COALESCE(MAX(rowid), 0) FROM transactions"))
    positions: Sequence[int] = range(count)
    while True:  # a taken transaction code or invoice code (per DP): draw both again
        rowids = _TRANSACTIONS.rowids(tx, transactions(positions))
        positions = [at for at, rowid in zip(positions, rowids, strict=True) if not rowid]
        if not positions:
            break
        fresh_codes = distinct(draws.transaction_codes, len(positions), set(transaction_codes))
        fresh_invoices = distinct(draws.invoices, len(positions), set(invoices))
        for at, code, invoice in zip(positions, fresh_codes, fresh_invoices, strict=True):
            transaction_codes[at], invoices[at] = code, invoice
    copied = 0
    while True:  # a taken redeem code: draw it again for its transaction
        copied += tx.execute(_COPY_REDEEM_CODES, (before,))
        if copied == count:
            break
        uncopied = [row["transaction_code"] for row in tx.all(_UNCOPIED_REDEEM_CODES, (before,))]
        fresh_codes = distinct(draws.redeem_codes, len(uncopied), set(redeem_codes))
        for code, transaction_code in zip(fresh_codes, uncopied, strict=True):
            tx.execute(
                "UPDATE transactions SET redeem_code = ? WHERE transaction_code = ?", (code, transaction_code)
            )
    for row in state.new_schedules:
        tx.execute(
            "INSERT INTO schedules (code, course_code, start_at, floating_start, duration_minutes, capacity) "
            "VALUES (?, ?, ?, 0, 120, ?)",
            row,
        )
    for code, sold in {schedule[0]: schedule[2] for _, _, schedule in picks}.items():
        tx.execute("UPDATE schedules SET sold = ? WHERE code = ?", (sold, code))
    balances, buyer_rowids = state.buyers.balances, state.buyers.rowids
    changed = sorted({buyer_rowids[buyer]: balances[buyer] for buyer, _, _ in picks}.items())
    if _UPDATE_FROM:
        _BALANCES.run(tx, changed)
    else:
        for rowid, balance in changed:
            tx.execute("UPDATE participants SET balance = ? WHERE rowid = ?", (balance, rowid))


def _add_purchases(
    tx: Tx, sandbox: Sandbox, draws: Draws, buyers: _Buyers, count: int, progress: Progress
) -> tuple[int, int]:
    courses, schedule_codes = _read_courses(tx)
    if count and (not courses or not buyers.numbers):
        raise ApiError(
            "ERRPLT40005", field="redeem_codes", detail="no participants or no courses on sale to buy"
        )
    state = _Purchases(buyers, courses, schedule_codes, sandbox.clock.now())
    made = 0
    while made < count:
        state.new_schedules.clear()
        picks = _pick(state, min(_CHUNK, count - made), made)
        _write_purchases(tx, draws, state, picks)
        made += len(picks)
        progress("redeem codes", made, count)
    return made, state.opened


def _progress_logger(callback: Progress | None) -> Progress:
    tenths: dict[str, int] = {}

    def report(what: str, done: int, total: int) -> None:
        tenth = done * 10 // total if total else 10
        if tenth > tenths.get(what, 0) or done == total:
            tenths[what] = tenth
            _log.info("synthetic seed: %s %d/%d", what, done, total)
        if callback is not None:
            callback(what, done, total)

    return report


def seed_synthetic(
    sandbox: Sandbox, *, participants: int, redeem_codes: int, seed: int = 0, progress: Progress | None = None
) -> SyntheticResult:
    """Add ``participants`` new participants and ``redeem_codes`` purchases (one transaction).

    Without new participants, the purchases go to the existing ordinary participants. Progress is logged
    (logger ``prakerja_sandbox.control``, every tenth and at the end) and, when given, reported to
    ``progress(what, done, total)`` after every chunk of rows with the running count; the last report of a
    stage has ``done == total``. Raises ``ERRPLT40005`` and adds nothing when the purchases do not fit.
    """
    draws = Draws.seeded(seed)
    report = _progress_logger(progress)
    with sandbox.store.transaction() as tx:
        added, rowids = _add_participants(tx, sandbox, draws, participants, report)
        buyers = _read_buyers(tx, added, rowids)
        made, opened = _add_purchases(tx, sandbox, draws, buyers, redeem_codes, report)
    return SyntheticResult(participants=len(added), redeem_codes=made, schedules_opened=opened, seed=seed)
