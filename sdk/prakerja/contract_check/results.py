"""What a check found: passed, failed (with the minimal reproducing request) or skipped (with a reason)."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from prakerja.contract_check.exchange import Exchange

__all__ = ["CheckResult", "ContractViolation", "Failure", "Outcome"]

Outcome = Literal["passed", "failed", "skipped"]


class ContractViolation(AssertionError):
    """Raised inside a property when a response breaks the contract; carries the exchange that showed it."""

    def __init__(
        self, problems: list[str], exchange: Exchange | None, *, steps: tuple[Exchange, ...] = ()
    ) -> None:
        self.problems = tuple(problems)
        self.exchange = exchange
        self.steps = steps
        super().__init__("; ".join(problems))


@attrs.frozen
class Failure:
    """A broken rule, the (shrunk) request that shows it and, for a stateful run, the steps before it."""

    problems: tuple[str, ...]
    exchange: Exchange | None = None
    steps: tuple[Exchange, ...] = ()
    note: str | None = None

    @property
    def message(self) -> str:
        """The problems as one line."""
        return "; ".join(self.problems)

    @property
    def curl(self) -> str | None:
        """A curl command that sends the failing request again."""
        return None if self.exchange is None else self.exchange.curl()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "problems": list(self.problems),
            "note": self.note,
            "exchange": None if self.exchange is None else self.exchange.to_dict(),
            "steps": [step.to_dict() for step in self.steps],
        }


@attrs.frozen
class CheckResult:
    """One check: its kind (valid, invalid, signature, stateful, discovery), operation and outcome."""

    check_id: str
    kind: str
    title: str
    outcome: Outcome
    operation_id: str | None = None
    examples: int = 0
    duration: float = 0.0
    reason: str | None = None
    failure: Failure | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record."""
        return {
            "id": self.check_id,
            "kind": self.kind,
            "title": self.title,
            "operation_id": self.operation_id,
            "outcome": self.outcome,
            "examples": self.examples,
            "duration_seconds": round(self.duration, 3),
            "reason": self.reason,
            "failure": None if self.failure is None else self.failure.to_dict(),
        }
