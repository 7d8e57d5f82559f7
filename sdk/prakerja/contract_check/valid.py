"""Contract-valid requests: every answer must conform, and none may call a valid request invalid."""

from __future__ import annotations

from prakerja.contract_check.conformance import (
    conformance_problems,
    expect_refusal,
    problems_for_valid_request,
)
from prakerja.contract_check.engine import run_property
from prakerja.contract_check.requests import Draft, valid_drafts
from prakerja.contract_check.results import CheckResult, ContractViolation
from prakerja.contract_check.target import Target

__all__ = ["check_valid_requests", "check_wrong_role"]


def check_valid_requests(target: Target, operation_id: str) -> CheckResult:
    """Send contract-valid, correctly signed requests for ``operation_id`` and check every answer.

    Random codes mostly do not exist, so a catalogue-coded refusal that the operation declares is
    conformant; a validation or signature refusal, an undeclared code, a 5xx or a body that does not match
    the response schema is not.
    """
    check_id = f"valid/{operation_id}"
    title = f"contract-valid requests to {operation_id} get conformant answers"
    skip = target.write_skip_reason(operation_id)
    credentials = target.credentials_for(operation_id)
    if skip is None and credentials is None:
        skip = target.missing_role_reason(operation_id)
    if skip is not None:
        return CheckResult(
            check_id=check_id,
            kind="valid",
            title=title,
            outcome="skipped",
            operation_id=operation_id,
            reason=skip,
        )
    schemas = target.schemas_of(operation_id)
    forbidden = {"ERRPLT40301"} if target.checks_role(operation_id) else set()

    def prop(draft: Draft) -> None:
        exchange = target.wire.send(draft.build(target, credentials))
        problems = conformance_problems(target.contract, schemas, exchange)
        problems += problems_for_valid_request(exchange, also_refused=forbidden)
        if problems:
            raise ContractViolation(problems, exchange)

    return run_property(
        check_id=check_id,
        kind="valid",
        title=title,
        operation_id=operation_id,
        strategy=valid_drafts(target, operation_id),
        prop=prop,
        settings=target.settings,
    )


def check_wrong_role(target: Target, operation_id: str) -> CheckResult:
    """A partner of the other type calling ``operation_id`` is refused with ERRPLT40301."""
    check_id = f"role/{operation_id}"
    title = f"the other partner type calling {operation_id} gets ERRPLT40301"
    actor = target.actor(operation_id)
    other = {"DP": "LP", "LP": "DP"}.get(actor or "")
    credentials = target.roles.get(other) if other else None
    skip = target.write_skip_reason(operation_id)
    if skip is not None:
        pass
    elif not target.checks_role(operation_id):
        skip = f"{operation_id} does not check the partner type (decision partner-permissions)"
    elif credentials is None:
        skip = f"the run has no {other} credentials to call a {actor} operation with"
    if skip is not None:
        return CheckResult(
            check_id=check_id,
            kind="valid",
            title=title,
            outcome="skipped",
            operation_id=operation_id,
            reason=skip,
        )
    schemas = target.schemas_of(operation_id)

    def prop(draft: Draft) -> None:
        exchange = target.wire.send(draft.build(target, credentials))
        problems = conformance_problems(target.contract, schemas, exchange)
        problems += expect_refusal(exchange, {"ERRPLT40301"}, why=f"a {other} calling a {actor} operation")
        if problems:
            raise ContractViolation(problems, exchange)

    return run_property(
        check_id=check_id,
        kind="valid",
        title=title,
        operation_id=operation_id,
        strategy=valid_drafts(target, operation_id),
        prop=prop,
        settings=target.settings,
        max_examples=max(1, target.settings.max_examples // 5),
    )
