"""Redeem codes as a training institution (LP) sees them: lookup, ownership and the course behind them.

Attendance and TPM/UK share these checks: an unknown code is ERRRDM40001, a code of another LP's course is
ERRRDM40002 and a code whose purchase was voided is ERRRDM40004. The ``PRAT-`` test codes and the other
scenario codes have no owner (``lp_code`` NULL): every validated LP may use them, as on the shared sandbox.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from prakerja_sandbox.clock import parse_time
from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.storage.base import Row, Tx

__all__ = [
    "CANCELLED",
    "COURSE_TYPES",
    "POST_TEST",
    "REDEEMED",
    "TEST_PREFIX",
    "UNUSED",
    "Attendance",
    "CourseType",
    "RedeemCode",
    "load_redeem_code",
]

#: Redeem code states (``status``).
UNUSED, REDEEMED, CANCELLED = 0, 1, 2
#: The attendance sequence of the post-test.
POST_TEST = 999
#: Test redeem codes start with this prefix; only they can be reset.
TEST_PREFIX = "PRAT-"


@attrs.frozen
class CourseType:
    """How a course type is reported: its number, Indonesian label and learning method."""

    number: int
    label: str
    learning_method: str

    @property
    def online(self) -> bool:
        """Whether attendance of this type is verified online."""
        return self.learning_method == "online"


#: Course types by their storage name (contract enum ``CourseType`` and ``LearningMethod``).
COURSE_TYPES: dict[str, CourseType] = {
    "self_paced": CourseType(1, "Pembelajaran Mandiri", "online"),
    "webinar": CourseType(2, "Webinar", "online"),
    "offline": CourseType(3, "Luring", "offline"),
}


@attrs.frozen
class Attendance:
    """The stored attendance status of one sequence (``None``: no row yet)."""

    sequence: int
    status: int | None


@attrs.frozen
class RedeemCode:
    """A redeem code joined with its course and schedule."""

    row: Row
    course: Row
    schedule: Row | None
    #: the attendance of one sequence, when it was read with the code
    attendance: Attendance | None = None

    @property
    def code(self) -> str:
        """The redeem code itself."""
        return str(self.row["code"])

    @property
    def status(self) -> int:
        """0 UNUSED, 1 REDEEMED, 2 CANCELLED."""
        return int(self.row["status"])

    @property
    def course_type(self) -> CourseType:
        """The type of the course bought."""
        return COURSE_TYPES[str(self.course["type"])]

    @property
    def sessions(self) -> int:
        """Attendance sessions of the course (sequences 1..sessions, then the post-test)."""
        return int(self.course["sessions"])

    @property
    def is_test(self) -> bool:
        """A ``PRAT-`` test code."""
        return self.code.startswith(TEST_PREFIX)

    def ensure_not_cancelled(self) -> None:
        """Refuse a code whose purchase was voided (ERRRDM40004)."""
        if self.status == CANCELLED:
            raise ApiError(
                "ERRRDM40004",
                field="redeem_code",
                detail=f"{self.code} was cancelled (its purchase was voided)",
            )

    def schedule_start(self, now: datetime) -> datetime | None:
        """When the schedule starts: ``now`` for a floating test schedule, ``None`` for self-paced ones."""
        if self.schedule is None:
            return None
        if self.schedule["floating_start"]:
            return now
        start = self.schedule["start_at"]
        return None if start is None else parse_time(str(start))


#: the columns of ``courses`` and ``schedules`` :func:`load_redeem_code` reads with the code (the tests compare
#: them with the tables, so a migration that adds one cannot leave it out)
COURSE_COLUMNS = (
    "code", "lp_code", "title", "type", "price", "sessions", "tpm_count", "has_uk", "min_age", "max_age",
    "min_education", "is_test",
)  # fmt: skip
SCHEDULE_COLUMNS = (
    "code", "course_code", "start_at", "floating_start", "duration_minutes", "capacity", "sold",
)  # fmt: skip
_COURSE = "course__"
_SCHEDULE = "schedule__"
_JOINED = (
    "SELECT r.*, p.name AS dp_name, "
    + ", ".join(f"c.{column} AS {_COURSE}{column}" for column in COURSE_COLUMNS)
    + ", "
    + ", ".join(f"s.{column} AS {_SCHEDULE}{column}" for column in SCHEDULE_COLUMNS)
    + " {attendance} FROM redeem_codes r LEFT JOIN partners p ON p.code = r.dp_code "
    "LEFT JOIN courses c ON c.code = r.course_code LEFT JOIN schedules s ON s.code = r.schedule_code "
    "{attendance_join} WHERE r.code = ?"
)
_LOAD = _JOINED.format(attendance="", attendance_join="")
_LOAD_WITH_ATTENDANCE = _JOINED.format(
    attendance=", a.status AS attendance__status",
    attendance_join="LEFT JOIN attendance a ON a.redeem_code = r.code AND a.sequence = ?",
)


def _split(joined: Row, prefix: str) -> Row | None:
    part = {name[len(prefix) :]: value for name, value in joined.items() if name.startswith(prefix)}
    return None if part["code"] is None else part


def load_redeem_code(tx: Tx, lp: Partner | None, code: str, *, sequence: int | None = None) -> RedeemCode:
    """The redeem code ``code`` as ``lp`` may use it: unknown (ERRRDM40001), another LP's (ERRRDM40002).

    ``lp`` ``None`` skips the ownership check (the sandbox control API acts for every LP).
    A cancelled code is returned (its status can be read); operations that use it call
    :meth:`RedeemCode.ensure_not_cancelled`. The code, its DP's name, course and schedule (and, given
    ``sequence``, that sequence's attendance) are read in one statement.
    """
    joined = tx.one(_LOAD, (code,)) if sequence is None else tx.one(_LOAD_WITH_ATTENDANCE, (sequence, code))
    if joined is None:
        raise ApiError("ERRRDM40001", field="redeem_code", detail=f"no redeem code {code!r}")
    row = {
        name: value
        for name, value in joined.items()
        if not name.startswith((_COURSE, _SCHEDULE, "attendance__"))
    }
    course = _split(joined, _COURSE)
    if course is None:  # a seed inconsistency; answered as unknown rather than a 500
        raise ApiError("ERRRDM40001", field="redeem_code", detail=f"the course of {code!r} is unknown")
    if lp is not None and row["lp_code"] is not None and row["lp_code"] != lp.code:
        raise ApiError(
            "ERRRDM40002",
            field="redeem_code",
            detail=f"{code} is for a course of another training institution than {lp.client_code}",
        )
    attendance = None if sequence is None else Attendance(sequence, joined["attendance__status"])
    return RedeemCode(row=row, course=course, schedule=_split(joined, _SCHEDULE), attendance=attendance)
