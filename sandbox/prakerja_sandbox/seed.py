"""Loading the sandbox's starting state: partners, courses, participants and the scenarios' magic values.

:func:`reset` wipes the store and seeds it again, so calling it twice gives the same sandbox. Schedule starts
in ``partners.yaml`` are minutes from the moment of seeding (sandbox time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from prakerja.contract import Contract
from prakerja_sandbox.clock import Clock, format_time
from prakerja_sandbox.storage.base import Store, Tx

__all__ = ["EDUCATION_RANK", "TEST_SCHEDULE_CAPACITY", "load_seed_file", "reset", "seed"]

#: Education levels in increasing order; SMA and SMK are the same level.
EDUCATION_RANK: Mapping[str, int] = {
    "SD": 1,
    "SMP": 2,
    "SMA": 3,
    "SMK": 3,
    "D1": 4,
    "D2": 5,
    "D3": 6,
    "D4": 7,
    "S1": 8,
    "S2": 9,
    "S3": 10,
}

#: Seats of each shared test course schedule.
TEST_SCHEDULE_CAPACITY = 1_000_000
#: Balance of the "always succeeds" magic participant.
_MAGIC_SUCCESS_BALANCE = 1_000_000_000
_MAGIC_BIRTH_DATE = "1995-08-17"
_MAGIC_EDUCATION = "S1"


def load_seed_file(path: Path | None, contract: Contract) -> Mapping[str, Any]:
    """The seed document: ``path`` if given, else the contract's ``partners.yaml``."""
    if path is None:
        return contract.partners
    with path.open(encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: a seed file is a YAML mapping (see contracts/partners.yaml)")
    return loaded


def _json(values: Sequence[str] | None) -> str:
    return json.dumps(list(values or []))


def _insert_partners(tx: Tx, document: Mapping[str, Any], now: str) -> None:
    for dp in document.get("digital_platforms", []):
        tx.execute(
            "INSERT INTO partners (code, kind, name, client_code, sign_key, status, invoice_prefix, created_at) "
            "VALUES (?, 'DP', ?, ?, ?, ?, ?, ?)",
            (dp["code"], dp["name"], dp["client_code"], dp["sign_key"], dp.get("status", "active"),
             dp.get("invoice_prefix"), now),
        )  # fmt: skip
    for lp in document.get("training_institutions", []):
        sso = lp.get("sso") or {}
        tx.execute(
            "INSERT INTO partners (code, kind, name, client_code, sign_key, status, curated_by, city_code, "
            "redirect_uris, sso_client_name, sso_redirect_uris, sso_login_uris, created_at) "
            "VALUES (?, 'LP', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (lp["code"], lp["name"], lp["client_code"], lp["sign_key"], lp.get("status", "validated"),
             lp.get("curated_by"), lp.get("city_code"), _json(lp.get("redirect_uris")),
             sso.get("client_name"), _json(sso.get("redirect_uris")), _json(sso.get("login_uris")), now),
        )  # fmt: skip


def _insert_course(tx: Tx, course: Mapping[str, Any], *, lp_code: str | None, is_test: bool) -> None:
    requirements = course.get("requirements") or {}
    tx.execute(
        "INSERT INTO courses (code, lp_code, title, type, price, sessions, tpm_count, has_uk, min_age, max_age, "
        "min_education, is_test) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (course["code"], lp_code, course["title"], course["type"], int(course["price"]),
         int(course.get("sessions", 1)), int(course.get("tpm_count", 0)), int(bool(course.get("has_uk"))),
         int(requirements.get("min_age", 18)), int(requirements.get("max_age", 64)),
         requirements.get("min_education"), int(is_test)),
    )  # fmt: skip


def _insert_schedule(
    tx: Tx,
    *,
    code: str,
    course_code: str,
    start: datetime | None,
    floating: bool,
    duration_minutes: int,
    capacity: int,
) -> None:
    tx.execute(
        "INSERT INTO schedules (code, course_code, start_at, floating_start, duration_minutes, capacity) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (code, course_code, None if start is None else format_time(start), int(floating), duration_minutes,
         capacity),
    )  # fmt: skip


def _insert_courses(tx: Tx, document: Mapping[str, Any], now: datetime) -> None:
    for course in document.get("courses", []):
        _insert_course(tx, course, lp_code=course["lp"], is_test=False)
        for dp_code in course.get("sold_on", []):
            tx.execute(
                "INSERT INTO course_platforms (course_code, dp_code) VALUES (?, ?)", (course["code"], dp_code)
            )
        for schedule in course.get("schedules", []):
            _insert_schedule(
                tx,
                code=schedule["code"],
                course_code=course["code"],
                start=now + timedelta(minutes=int(schedule["start_offset_minutes"])),
                floating=False,
                duration_minutes=int(schedule.get("duration_minutes", 0)),
                capacity=int(schedule["capacity"]),
            )


def _insert_participants(tx: Tx, document: Mapping[str, Any]) -> None:
    default_balance = int((document.get("defaults") or {}).get("participant_balance", 3_500_000))
    for person in document.get("participants", []):
        tx.execute(
            "INSERT INTO participants (prakerja_id, name, birth_date, gender, education, phone, email, "
            "regency_code, balance, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(person["prakerja_id"]), person["name"], str(person["birth_date"]), person.get("gender"),
             person["education"], str(person["phone"]), person.get("email"), person.get("regency_code"),
             int(person.get("balance", default_balance)), person.get("status", "active")),
        )  # fmt: skip


def _insert_test_courses(tx: Tx, scenarios: Mapping[str, Any], now: datetime) -> None:
    for course in scenarios.get("test_courses", []):
        _insert_course(tx, course, lp_code=None, is_test=True)
        floating = bool(course.get("floating_start"))
        offset = course.get("start_offset_minutes")
        start = None if floating or offset is None else now + timedelta(minutes=int(offset))
        _insert_schedule(
            tx,
            code=course["schedule_code"],
            course_code=course["code"],
            start=start,
            floating=floating,
            duration_minutes=int(course.get("duration_minutes", 60)),
            capacity=TEST_SCHEDULE_CAPACITY,
        )


def _insert_magic_participants(tx: Tx, scenarios: Mapping[str, Any], default_balance: int) -> None:
    for person in (scenarios.get("magic_participants") or {}).get("participants", []):
        prakerja_id = str(person["prakerja_id"])
        succeeds = person.get("code") is None
        tx.execute(
            "INSERT INTO participants (prakerja_id, name, birth_date, gender, education, phone, email, "
            "regency_code, balance, status, magic_step, magic_code) "
            "VALUES (?, ?, ?, NULL, ?, ?, ?, NULL, ?, 'active', ?, ?) ON CONFLICT (prakerja_id) DO UPDATE SET "
            "name = excluded.name, birth_date = excluded.birth_date, gender = NULL, education = excluded.education, "
            "phone = excluded.phone, email = excluded.email, regency_code = NULL, balance = excluded.balance, "
            "status = 'active', magic_step = excluded.magic_step, magic_code = excluded.magic_code",
            (prakerja_id, person["name"], _MAGIC_BIRTH_DATE, _MAGIC_EDUCATION, f"0899{prakerja_id[-8:]}",
             f"peserta.{prakerja_id}@sandbox.prakerja.invalid",
             _MAGIC_SUCCESS_BALANCE if succeeds else default_balance, person.get("step"), person.get("code")),
        )  # fmt: skip


def _derived_code(seed_text: str, length: int) -> str:
    digest = hashlib.sha256(seed_text.encode("utf-8")).hexdigest().upper()
    return digest[:length]


def _dp_by_name(tx: Tx, name: str | None) -> str | None:
    if name is not None:
        code = tx.scalar("SELECT code FROM partners WHERE kind = 'DP' AND name = ?", (name,))
        if code is not None:
            return str(code)
    first = tx.scalar("SELECT code FROM partners WHERE kind = 'DP' ORDER BY rowid LIMIT 1")
    return None if first is None else str(first)


def _insert_redeem_code(
    tx: Tx, entry: Mapping[str, Any], *, now: datetime, case: Mapping[str, Any] | None
) -> None:
    code = str(entry["redeem_code"])
    course = tx.one("SELECT code FROM courses WHERE code = ?", (entry["course_code"],))
    if course is None:
        raise ValueError(f"seed: redeem code {code} names unknown course {entry['course_code']!r}")
    schedule_code = entry.get("schedule_code") or tx.scalar(
        "SELECT code FROM schedules WHERE course_code = ? ORDER BY rowid LIMIT 1", (entry["course_code"],)
    )
    dp_name = entry.get("dp_platform")
    dp_code = _dp_by_name(tx, dp_name)
    verified = [int(sequence) for sequence in entry.get("verified_sequences", [])]
    cancelled = bool(entry.get("cancelled"))
    redeem_at = entry.get("redeem_at") or (format_time(now) if verified else None)
    status = int(entry["status"]) if "status" in entry else 2 if cancelled else (1 if verified else 0)
    invoice_code = entry.get("invoice_code") or f"invoice-testing-{code.lower()}"
    transaction_code = None
    is_test = code.startswith("PRAT-")
    participant = _success_participant_cached(tx)
    if not is_test and dp_code is not None and participant is not None:
        transaction_code = _derived_code(f"transaction:{code}", 16)
        price = int(tx.scalar("SELECT price FROM courses WHERE code = ?", (entry["course_code"],)))
        tx.execute(
            "INSERT INTO transactions (transaction_code, dp_code, invoice_code, invoice_url, prakerja_id, "
            "user_platform_id, course_code, schedule_code, amount, status, redeem_code, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'SUCCESS', ?, ?)",
            (transaction_code, dp_code, invoice_code, f"https://dp.example/invoice/{invoice_code}", participant,
             f"sandbox-{participant}", entry["course_code"], schedule_code, price, code,
             redeem_at or format_time(now)),
        )  # fmt: skip
        tx.execute("UPDATE schedules SET sold = sold + 1 WHERE code = ?", (schedule_code,))
    tx.execute(
        "INSERT INTO redeem_codes (code, course_code, schedule_code, lp_code, dp_code, dp_platform, invoice_code, "
        "transaction_code, prakerja_id, status, redeem_at, is_test, test_case, test_sequence, expect_code, "
        "resettable, created_at, cancelled_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, entry["course_code"], schedule_code, dp_code, dp_name, invoice_code, transaction_code,
         participant if transaction_code else None, status, redeem_at, int(is_test),
         None if case is None else case.get("case"), None if case is None else case.get("sequence"),
         None if case is None else case.get("expect_code"), int(bool(entry.get("resettable"))), format_time(now),
         format_time(now) if cancelled else None),
    )  # fmt: skip
    for sequence in verified:
        tx.execute(
            "INSERT INTO attendance (redeem_code, sequence, status, verified_at) VALUES (?, ?, 1, ?)",
            (code, sequence, redeem_at),
        )
    for assignment in entry.get("assignments", []):
        for kind, key in (("assignment", "assignment_status"), ("feedback", "feedback_status")):
            status_value = int(assignment.get(key, 0))
            if status_value == 0:
                continue
            tx.execute(
                "INSERT INTO tpm_submissions (redeem_code, scope, sequence, kind, status, url_file, notes, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (code, assignment["scope"], int(assignment["sequence"]), kind, status_value,
                 assignment.get("url_file") if kind == "assignment" else None, assignment.get("notes"),
                 format_time(now), format_time(now)),
            )  # fmt: skip


def _success_participant_cached(tx: Tx) -> str | None:
    value = tx.scalar("SELECT prakerja_id FROM participants WHERE magic_step IS NULL AND prakerja_id LIKE '999%' "
                      "ORDER BY prakerja_id LIMIT 1")  # fmt: skip
    return None if value is None else str(value)


def _insert_redeem_codes(tx: Tx, scenarios: Mapping[str, Any], now: datetime) -> None:
    for case in (scenarios.get("test_codes") or {}).get("cases", []):
        if case.get("seeded") is False or not case.get("course_code"):
            continue
        _insert_redeem_code(tx, case, now=now, case=case)
    for example in scenarios.get("example_codes", []):
        _insert_redeem_code(tx, example, now=now, case=None)


def seed(store: Store, clock: Clock, contract: Contract, document: Mapping[str, Any]) -> None:
    """Insert the seed ``document`` (partners.yaml shape) and the contract's scenarios into an empty store."""
    now = clock.now()
    now_text = format_time(now)
    scenarios = contract.scenarios
    default_balance = int((document.get("defaults") or {}).get("participant_balance", 3_500_000))
    with store.transaction() as tx:
        _insert_partners(tx, document, now_text)
        _insert_courses(tx, document, now)
        _insert_participants(tx, document)
        _insert_test_courses(tx, scenarios, now)
        _insert_magic_participants(tx, scenarios, default_balance)
        _insert_redeem_codes(tx, scenarios, now)
        defaults = document.get("defaults") or {}
        for key in ("otp_ttl_seconds", "payment_token_ttl_seconds", "participant_balance"):
            if key in defaults:
                tx.execute(
                    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (f"defaults.{key}", str(defaults[key])),
                )


def reset(
    store: Store,
    clock: Clock,
    contract: Contract,
    *,
    document: Mapping[str, Any] | None,
    clock_offset_seconds: float = 0,
) -> None:
    """Wipe the store, set the clock offset and, when ``document`` is given, seed it (one transaction)."""
    with store.transaction():
        store.wipe()
        clock.set_offset(clock_offset_seconds)
        if document is not None:
            seed(store, clock, contract, document)
