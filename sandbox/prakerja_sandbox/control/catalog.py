"""Control API: participants, courses and schedules a partner adds for its own test cases."""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Any

import flask

from prakerja_sandbox.clock import format_time, parse_time
from prakerja_sandbox.context import Sandbox, current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.inputs import Body, json_body, query_int, query_text
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.seed import EDUCATION_RANK
from prakerja_sandbox.storage.base import Row, Tx

__all__ = ["bp"]

bp = flask.Blueprint("catalog", __name__)

CODE_PATTERN = r"[A-Za-z0-9_.:-]{1,64}"
PRAKERJA_ID_PATTERN = r"[0-9]{16}"
COURSE_TYPES = ("webinar", "self_paced", "offline")
_PARTICIPANT_FIELDS = (
    "prakerja_id", "name", "birth_date", "gender", "education", "phone", "email", "regency_code", "balance", "status",
)  # fmt: skip


@bp.get("/participants")
def list_participants() -> flask.Response:
    """Participants, paged: ``?limit=50&offset=0&q=<number prefix or name>``."""
    sandbox = current_sandbox()
    limit = query_int("limit", default=50, minimum=1, maximum=1000)
    offset = query_int("offset", default=0)
    search = query_text("q", max_length=64)
    with sandbox.store.read() as tx:
        page = queries.participants(tx, limit=limit, offset=offset, search=search)
    return ok(page.to_json())


def _new_prakerja_id(tx: Tx, sandbox: Sandbox) -> str:
    while True:
        candidate = sandbox.ids.code(1, "12345678") + sandbox.ids.code(15, string.digits)
        if tx.one("SELECT 1 FROM participants WHERE prakerja_id = ?", (candidate,)) is None:
            return candidate


def _participant_values(body: Body, sandbox: Sandbox, tx: Tx) -> dict[str, Any]:
    prakerja_id = body.text("prakerja_id", pattern=PRAKERJA_ID_PATTERN) or _new_prakerja_id(tx, sandbox)
    if tx.one("SELECT 1 FROM participants WHERE prakerja_id = ?", (prakerja_id,)) is not None:
        raise ApiError(
            "ERRPLT40005", field="prakerja_id", detail="a participant with this number exists already"
        )
    birth_date = body.text("birth_date", default="1995-01-01", pattern=r"\d{4}-\d{2}-\d{2}")
    regency = body.text("regency_code", pattern=r"\d{2}\.\d{2}")
    if regency is not None and regency not in {region.code for region in sandbox.contract.regions}:
        raise ApiError("ERRPLT40005", field="regency_code", detail="a Kemendagri regency code, e.g. 31.74")
    default_balance = int(
        tx.scalar("SELECT value FROM kv WHERE key = 'defaults.participant_balance'") or 3_500_000
    )
    return {
        "prakerja_id": prakerja_id,
        "name": body.required_text("name", max_length=128),
        "birth_date": birth_date,
        "gender": body.text("gender", choices=("M", "F")),
        "education": body.text("education", default="SMA", choices=tuple(EDUCATION_RANK)),
        "phone": body.text("phone", pattern=r"08[0-9]{8,12}") or "08" + sandbox.ids.code(10, string.digits),
        "email": body.text("email", pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+"),
        "regency_code": regency,
        "balance": body.integer("balance", default=default_balance, minimum=0, maximum=1_000_000_000),
        "status": body.text("status", default="active", choices=("active", "inactive")),
    }


@bp.post("/participants")
def add_participant() -> flask.Response:
    """Add a participant; only ``name`` is required (the number is generated when left out)."""
    sandbox = current_sandbox()
    body = json_body(_PARTICIPANT_FIELDS)
    with sandbox.store.transaction() as tx:
        values = _participant_values(body, sandbox, tx)
        columns = ", ".join(values)
        tx.execute(
            f"INSERT INTO participants ({columns}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
    return ok(values, message="Participant added.", status=201)


def _partner(tx: Tx, reference: str, kind: str, field: str) -> Row:
    row = tx.one(
        "SELECT code, kind, curated_by FROM partners WHERE code = ? OR client_code = ?",
        (reference, reference),
    )
    if row is None or row["kind"] != kind:
        raise ApiError("ERRPLT40005", field=field, detail=f"no {kind} with code or client_code {reference!r}")
    return row


@bp.post("/courses")
def add_course() -> flask.Response:
    """Add a course of an LP, sold on the DPs in ``sold_on`` (default: the DP that curates the LP)."""
    sandbox = current_sandbox()
    body = json_body(
        {"code", "lp", "title", "type", "price", "sessions", "tpm_count", "has_uk", "sold_on", "min_age", "max_age",
         "min_education"}
    )  # fmt: skip
    code = body.required_text("code", pattern=CODE_PATTERN)
    lp_reference = body.required_text("lp")
    with sandbox.store.transaction() as tx:
        if tx.one("SELECT 1 FROM courses WHERE code = ?", (code,)) is not None:
            raise ApiError("ERRPLT40005", field="code", detail="a course with this code exists already")
        lp = _partner(tx, lp_reference, "LP", "lp")
        sellers = [_partner(tx, dp, "DP", "sold_on")["code"] for dp in body.texts("sold_on") or []]
        if not sellers and lp["curated_by"]:
            sellers = [lp["curated_by"]]
        course = {
            "code": code,
            "lp_code": lp["code"],
            "title": body.text("title", default=f"Pelatihan {code}", max_length=200),
            "type": body.text("type", default="webinar", choices=COURSE_TYPES),
            "price": body.integer("price", default=500_000, minimum=1, maximum=100_000_000),
            "sessions": body.integer("sessions", default=1, minimum=1, maximum=10),
            "tpm_count": body.integer("tpm_count", default=0, minimum=0, maximum=998),
            "has_uk": int(body.flag("has_uk", default=False)),
            "min_age": body.integer("min_age", default=18, minimum=0, maximum=120),
            "max_age": body.integer("max_age", default=64, minimum=0, maximum=120),
            "min_education": body.text("min_education", choices=tuple(EDUCATION_RANK)),
        }
        tx.execute(
            f"INSERT INTO courses ({', '.join(course)}) VALUES ({', '.join('?' for _ in course)})",
            list(course.values()),
        )
        for dp_code in dict.fromkeys(sellers):
            tx.execute("INSERT INTO course_platforms (course_code, dp_code) VALUES (?, ?)", (code, dp_code))
    return ok(
        {**course, "has_uk": bool(course["has_uk"]), "sold_on": sellers}, message="Course added.", status=201
    )


@bp.post("/schedules")
def add_schedule() -> flask.Response:
    """Add a schedule: ``start_at`` (ISO-8601), ``start_offset_minutes`` from sandbox now, or ``floating_start``."""
    sandbox = current_sandbox()
    body = json_body(
        {
            "code",
            "course_code",
            "start_at",
            "start_offset_minutes",
            "floating_start",
            "duration_minutes",
            "capacity",
        }
    )
    code = body.required_text("code", pattern=CODE_PATTERN)
    course_code = body.required_text("course_code", pattern=CODE_PATTERN)
    floating = body.flag("floating_start", default=False)
    offset = body.integer("start_offset_minutes", minimum=-525_600, maximum=525_600)
    start_text = body.text("start_at", max_length=40)
    if sum(1 for given in (floating, offset is not None, start_text is not None) if given) > 1:
        raise ApiError(
            "ERRPLT40005",
            field="start_at",
            detail="give one of start_at, start_offset_minutes, floating_start",
        )
    start = None
    if start_text is not None:
        try:
            start = format_time(parse_time(start_text))
        except ValueError:
            raise ApiError(
                "ERRPLT40005", field="start_at", detail="an ISO-8601 time, e.g. 2024-05-01T09:00:00Z"
            ) from None
    elif offset is not None or not floating:
        start = format_time(sandbox.clock.now() + timedelta(minutes=offset or 0))
    schedule = {
        "code": code,
        "course_code": course_code,
        "start_at": start,
        "floating_start": int(floating),
        "duration_minutes": body.integer("duration_minutes", default=120, minimum=0, maximum=100_000),
        "capacity": body.integer("capacity", default=100, minimum=0, maximum=10_000_000),
    }
    with sandbox.store.transaction() as tx:
        if tx.one("SELECT 1 FROM courses WHERE code = ?", (course_code,)) is None:
            raise ApiError("ERRPLT40005", field="course_code", detail="no course with this code")
        if tx.one("SELECT 1 FROM schedules WHERE code = ?", (code,)) is not None:
            raise ApiError("ERRPLT40005", field="code", detail="a schedule with this code exists already")
        tx.execute(
            f"INSERT INTO schedules ({', '.join(schedule)}) VALUES ({', '.join('?' for _ in schedule)})",
            list(schedule.values()),
        )
    return ok({**schedule, "floating_start": floating, "sold": 0}, message="Schedule added.", status=201)
