"""Run one hypothesis property as a check and turn its outcome into a :class:`CheckResult`."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import strategies as st

from prakerja.contract_check.results import CheckResult, ContractViolation, Failure

__all__ = ["PropertySettings", "find_violation", "run_property"]

T = TypeVar("T")


@attrs.frozen
class PropertySettings:
    """How hard each property is tried: examples per check and the seed that makes a run repeatable."""

    max_examples: int = 25
    seed: int = 0
    shrink: bool = True
    shrink_lifecycles: bool = False
    lifecycles: int = 20

    def hypothesis_settings(
        self, *, max_examples: int | None = None, shrink: bool | None = None
    ) -> hypothesis.settings:
        """The matching ``hypothesis.settings`` (no deadline, no example database, quiet)."""
        shrinking = self.shrink if shrink is None else shrink
        phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrinking else [])
        return hypothesis.settings(
            max_examples=max_examples if max_examples is not None else self.max_examples,
            deadline=None,
            database=None,
            derandomize=False,
            report_multiple_bugs=False,
            verbosity=Verbosity.quiet,
            phases=phases,
            suppress_health_check=list(HealthCheck),
            print_blob=False,
        )


def find_violation(exc: BaseException) -> ContractViolation | None:
    """The :class:`ContractViolation` inside ``exc`` (hypothesis may wrap it in a flaky-failure group)."""
    if isinstance(exc, ContractViolation):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = find_violation(inner)
            if found is not None:
                return found
    cause = exc.__cause__ or exc.__context__
    return None if cause is None or cause is exc else find_violation(cause)


def run_property(
    *,
    check_id: str,
    kind: str,
    title: str,
    operation_id: str | None,
    strategy: st.SearchStrategy[T],
    prop: Callable[[T], None],
    settings: PropertySettings,
    max_examples: int | None = None,
) -> CheckResult:
    """Run ``prop`` on values of ``strategy``; a :class:`ContractViolation` makes the check fail.

    Hypothesis shrinks a failure to a minimal example and runs it last, so the violation it re-raises
    carries the minimal request.
    """
    calls = 0

    def test(value: Any) -> None:
        nonlocal calls
        calls += 1
        prop(value)

    wrapped = hypothesis.given(strategy)(test)
    wrapped = settings.hypothesis_settings(max_examples=max_examples)(wrapped)
    wrapped = hypothesis.seed(settings.seed)(wrapped)
    started = time.monotonic()
    common: dict[str, Any] = {
        "check_id": check_id,
        "kind": kind,
        "title": title,
        "operation_id": operation_id,
    }
    try:
        wrapped()
    except Exception as exc:
        duration = time.monotonic() - started
        violation = find_violation(exc)
        if violation is not None:
            note = (
                None
                if violation is exc
                else "the failure did not reproduce on every replay (stateful server?)"
            )
            failure = Failure(
                problems=violation.problems, exchange=violation.exchange, steps=violation.steps, note=note
            )
        else:
            lines = traceback.format_exception_only(type(exc), exc)
            failure = Failure(problems=(f"the check itself failed: {''.join(lines).strip()}",))
        return CheckResult(**common, outcome="failed", examples=calls, duration=duration, failure=failure)
    return CheckResult(**common, outcome="passed", examples=calls, duration=time.monotonic() - started)
