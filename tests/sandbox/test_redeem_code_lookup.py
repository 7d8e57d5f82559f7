"""A redeem code is read in one statement with its course, schedule and one sequence's attendance.

The joined read must give exactly what separate reads of each table give, for every stored code (owned or
not, with or without a schedule, attended or not) and any sequence, on both stores.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja_sandbox import Sandbox
from prakerja_sandbox.domain.redeem_codes import COURSE_COLUMNS, SCHEDULE_COLUMNS, load_redeem_code
from prakerja_sandbox.errors import ApiError


def _columns(sandbox: Sandbox, table: str) -> set[str]:
    with sandbox.store.read() as tx:
        row = tx.one(f"SELECT * FROM {table} LIMIT 1")
    assert row is not None, f"the seed has no {table}"
    return set(row)


def test_the_joined_columns_are_every_column_of_the_tables(sandbox: Sandbox) -> None:
    assert set(COURSE_COLUMNS) == _columns(sandbox, "courses")
    assert set(SCHEDULE_COLUMNS) == _columns(sandbox, "schedules")


def _separately(sandbox: Sandbox, code: str, sequence: int) -> dict[str, Any]:
    with sandbox.store.read() as tx:
        row = tx.one(
            "SELECT r.*, p.name AS dp_name FROM redeem_codes r LEFT JOIN partners p ON p.code = r.dp_code "
            "WHERE r.code = ?",
            (code,),
        )
        assert row is not None
        return {
            "row": row,
            "course": tx.one("SELECT * FROM courses WHERE code = ?", (row["course_code"],)),
            "schedule": tx.one("SELECT * FROM schedules WHERE code = ?", (row["schedule_code"],)),
            "attendance": tx.scalar(
                "SELECT status FROM attendance WHERE redeem_code = ? AND sequence = ?", (code, sequence)
            ),
        }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), sequence=st.one_of(st.integers(min_value=1, max_value=12), st.just(999)))
def test_one_statement_reads_what_separate_reads_give(
    sandbox: Sandbox, data: st.DataObject, sequence: int
) -> None:
    with sandbox.store.read() as tx:
        codes = [str(row["code"]) for row in tx.all("SELECT code FROM redeem_codes ORDER BY code")]
    code = data.draw(st.sampled_from(codes))
    stored = data.draw(st.one_of(st.none(), st.sampled_from([0, 1, 2])))
    if stored is not None:  # an attendance row for this sequence (none: the code was never attended there)
        with sandbox.store.transaction() as tx:
            tx.execute(
                "INSERT INTO attendance (redeem_code, sequence, status) VALUES (?, ?, ?) "
                "ON CONFLICT (redeem_code, sequence) DO UPDATE SET status = excluded.status",
                (code, sequence, stored),
            )
    with sandbox.store.read() as tx:
        joined = load_redeem_code(tx, None, code, sequence=sequence)
        plain = load_redeem_code(tx, None, code)
    expected = _separately(sandbox, code, sequence)
    for loaded in (joined, plain):
        assert loaded.row == expected["row"]
        assert loaded.course == expected["course"]
        assert loaded.schedule == expected["schedule"]
    assert plain.attendance is None
    assert joined.attendance is not None
    assert (joined.attendance.sequence, joined.attendance.status) == (sequence, expected["attendance"])


# U+0000 never reaches a lookup: every input refuses it first (tests/sandbox/test_nul_text.py)
@given(
    code=st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=20)
)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_an_unknown_code_is_refused_with_its_catalogue_code(sandbox: Sandbox, code: str) -> None:
    with sandbox.store.read() as tx:
        known = tx.scalar("SELECT COUNT(*) FROM redeem_codes WHERE code = ?", (code,))
    if known:
        return
    with sandbox.store.read() as tx, pytest.raises(ApiError) as refused:
        load_redeem_code(tx, None, code, sequence=1)
    assert refused.value.code == "ERRRDM40001"
