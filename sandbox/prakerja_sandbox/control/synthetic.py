"""Large synthetic seeds: many participants and purchased redeem codes, for load tests and paging.

Everything is drawn from one ``random.Random(seed)``, so the same request builds the same data. Participants
live in the contract's 514 regencies, are 18 to 64 years old, and never use the reserved ``999`` numbers.
Purchases follow the programme's rules: a participant buys a course once, within their balance, on a
platform that sells it, on a schedule with a free seat (a new schedule is opened when every seat is taken).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from prakerja_sandbox.clock import format_time
from prakerja_sandbox.context import Sandbox
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


@attrs.frozen
class SyntheticResult:
    """What a synthetic seed added."""

    participants: int
    redeem_codes: int
    schedules_opened: int
    seed: int


def _prakerja_id(draw: random.Random) -> str:
    return str(draw.randint(1, 8)) + "".join(str(draw.randint(0, 9)) for _ in range(15))


def _birth_date(draw: random.Random, today: date) -> str:
    age_days = draw.randint(18 * 366, 64 * 365)
    return (today - timedelta(days=age_days)).isoformat()


def _add_participants(
    tx: Tx, sandbox: Sandbox, draw: random.Random, count: int, progress: Progress
) -> list[str]:
    regions = sandbox.contract.regions
    balance = int(tx.scalar("SELECT value FROM kv WHERE key = 'defaults.participant_balance'") or 3_500_000)
    today = sandbox.clock.now().date()
    educations = list(EDUCATION_RANK)
    added: list[str] = []
    while len(added) < count:
        prakerja_id = _prakerja_id(draw)
        given, family = draw.choice(_GIVEN), draw.choice(_FAMILY)
        changed = tx.execute(
            "INSERT OR IGNORE INTO participants (prakerja_id, name, birth_date, gender, education, phone, email, "
            "regency_code, balance, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active')",
            (prakerja_id, f"{given} {family}", _birth_date(draw, today), draw.choice("MF"),
             draw.choice(educations), "08" + "".join(str(draw.randint(0, 9)) for _ in range(10)),
             f"{given.lower()}.{family.lower()}.{prakerja_id[-6:]}@example.com", draw.choice(regions).code,
             balance),
        )  # fmt: skip
        if changed:
            added.append(prakerja_id)
            progress("participants", len(added), count)
    return added


def _open_schedule(tx: Tx, course_code: str, now: datetime, serial: int) -> str:
    code = f"{course_code}-syn{serial}"
    tx.execute(
        "INSERT INTO schedules (code, course_code, start_at, floating_start, duration_minutes, capacity) "
        "VALUES (?, ?, ?, 0, 120, ?)",
        (code, course_code, format_time(now + timedelta(days=7)), _SYNTHETIC_CAPACITY),
    )
    return code


def _free_schedule(tx: Tx, course_code: str) -> str | None:
    code = tx.scalar(
        "SELECT code FROM schedules WHERE course_code = ? AND sold < capacity ORDER BY rowid LIMIT 1",
        (course_code,),
    )
    return None if code is None else str(code)


def _add_purchases(
    tx: Tx,
    sandbox: Sandbox,
    draw: random.Random,
    buyers: list[str],
    count: int,
    progress: Progress,
) -> tuple[int, int]:
    courses = tx.all(
        "SELECT c.code, c.price, c.lp_code, (SELECT dp_code FROM course_platforms WHERE course_code = c.code "
        "ORDER BY dp_code LIMIT 1) AS dp_code FROM courses c WHERE c.is_test = 0 ORDER BY c.code"
    )
    courses = [course for course in courses if course["dp_code"] is not None]
    if count and (not courses or not buyers):
        raise ApiError(
            "ERRPLT40005", field="redeem_codes", detail="no participants or no courses on sale to buy"
        )
    now = sandbox.clock.now()
    now_text = format_time(now)
    made = opened = 0
    attempt = 0
    while made < count:
        if attempt >= len(buyers) * len(courses):
            raise ApiError(
                "ERRPLT40005",
                field="redeem_codes",
                detail=f"only {made} purchases fit (each participant buys a course once, within the balance)",
            )
        buyer = buyers[attempt % len(buyers)]
        course = courses[(attempt % len(buyers) + attempt // len(buyers)) % len(courses)]
        attempt += 1
        participant = tx.one("SELECT balance FROM participants WHERE prakerja_id = ?", (buyer,))
        bought = tx.one(
            "SELECT 1 FROM transactions WHERE prakerja_id = ? AND course_code = ? AND status = 'SUCCESS'",
            (buyer, course["code"]),
        )
        if participant is None or bought is not None or int(participant["balance"]) < int(course["price"]):
            continue
        schedule = _free_schedule(tx, course["code"])
        if schedule is None:
            opened += 1
            schedule = _open_schedule(tx, course["code"], now, opened)
        transaction_code, redeem_code = sandbox.ids.transaction_code(), sandbox.ids.redeem_code()
        invoice = f"SYN-{draw.getrandbits(48):012X}"
        tx.execute(
            "INSERT INTO transactions (transaction_code, dp_code, invoice_code, invoice_url, prakerja_id, "
            "user_platform_id, course_code, schedule_code, amount, status, redeem_code, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'SUCCESS', ?, ?)",
            (transaction_code, course["dp_code"], invoice, f"https://dp.example/invoice/{invoice}", buyer,
             f"syn-{buyer}", course["code"], schedule, course["price"], redeem_code, now_text),
        )  # fmt: skip
        tx.execute(
            "INSERT INTO redeem_codes (code, course_code, schedule_code, lp_code, dp_code, invoice_code, "
            "transaction_code, prakerja_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (redeem_code, course["code"], schedule, course["lp_code"], course["dp_code"], invoice, transaction_code,
             buyer, now_text),
        )  # fmt: skip
        tx.execute("UPDATE schedules SET sold = sold + 1 WHERE code = ?", (schedule,))
        tx.execute(
            "UPDATE participants SET balance = balance - ? WHERE prakerja_id = ?", (course["price"], buyer)
        )
        made += 1
        progress("redeem codes", made, count)
    return made, opened


Progress = Callable[[str, int, int], None]


def _progress_logger(callback: Progress | None) -> Progress:
    def report(what: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        if done % step == 0 or done == total:
            _log.info("synthetic seed: %s %d/%d", what, done, total)
        if callback is not None:
            callback(what, done, total)

    return report


def seed_synthetic(
    sandbox: Sandbox, *, participants: int, redeem_codes: int, seed: int = 0, progress: Progress | None = None
) -> SyntheticResult:
    """Add ``participants`` new participants and ``redeem_codes`` purchases (one transaction).

    Progress is logged (logger ``prakerja_sandbox.control``, every tenth) and, when given, reported to
    ``progress(what, done, total)`` after every row.
    """
    draw = random.Random(seed)
    report = _progress_logger(progress)
    with sandbox.store.transaction() as tx:
        added = _add_participants(tx, sandbox, draw, participants, report)
        buyers: list[Any] = added
        if not buyers:
            buyers = [row["prakerja_id"] for row in tx.all(
                "SELECT prakerja_id FROM participants WHERE magic_step IS NULL AND status = 'active' "
                "AND prakerja_id NOT LIKE '999%' ORDER BY prakerja_id"
            )]  # fmt: skip
        made, opened = _add_purchases(tx, sandbox, draw, buyers, redeem_codes, report)
    return SyntheticResult(participants=len(added), redeem_codes=made, schedules_opened=opened, seed=seed)
