"""What the sandbox's control API answers to the testing kit's helpers, as typed records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import attrs

__all__ = ["Course", "CourseKind", "FaultKind", "Schedule"]

#: How a course is delivered (the control API's ``type``).
CourseKind = Literal["webinar", "self_paced", "offline"]
#: What :meth:`~prakerja.testing.LocalSandbox.inject_fault` can make the sandbox do.
FaultKind = Literal["error", "latency", "drop_after_commit"]


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@attrs.frozen(kw_only=True)
class Course:
    """A course of the sandbox, as :meth:`~prakerja.testing.LocalSandbox.create_course` made it."""

    code: str
    lp_code: str
    title: str
    type: str
    price: int
    sessions: int
    tpm_count: int
    has_uk: bool
    min_age: int | None = None
    max_age: int | None = None
    min_education: str | None = None
    sold_on: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Course:
        """The record from the control API's JSON row (unknown fields are left out)."""
        return cls(
            code=str(row["code"]),
            lp_code=str(row["lp_code"]),
            title=str(row["title"]),
            type=str(row["type"]),
            price=int(row["price"]),
            sessions=int(row["sessions"]),
            tpm_count=int(row.get("tpm_count") or 0),
            has_uk=bool(row.get("has_uk")),
            min_age=row.get("min_age"),
            max_age=row.get("max_age"),
            min_education=row.get("min_education"),
            sold_on=tuple(row.get("sold_on") or ()),
        )


@attrs.frozen(kw_only=True)
class Schedule:
    """A schedule of a sandbox course, as :meth:`~prakerja.testing.LocalSandbox.create_schedule` made it."""

    code: str
    course_code: str
    start_at: datetime
    floating_start: bool
    duration_minutes: int
    capacity: int
    sold: int = 0

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Schedule:
        """The record from the control API's JSON row."""
        return cls(
            code=str(row["code"]),
            course_code=str(row["course_code"]),
            start_at=_time(str(row["start_at"])),
            floating_start=bool(row.get("floating_start")),
            duration_minutes=int(row["duration_minutes"]),
            capacity=int(row["capacity"]),
            sold=int(row.get("sold") or 0),
        )
