"""Lifecycle runs reach the SSO, legacy-commit and feedback success paths, and catch a server that breaks them."""

from __future__ import annotations

from typing import Any

import pytest

from prakerja.contract_check import Report
from prakerja.contract_check.wire import OUTSIDE_CONTRACT

from . import broken
from .conftest import Checker
from .test_broken_servers import _failure

#: Operations whose success only a chain of earlier steps reaches.
CHAINED = ("sso.create_token", "sso.refresh_token", "sso.profile", "attendance.commit", "tpm.submit_feedback")


def _successes(report: Report, operation: str) -> int:
    return sum(count for status, count in report.statuses.get(operation, {}).items() if 200 <= status < 300)


@pytest.mark.parametrize("seed", [20240501, 7, 424242])
def test_a_run_reaches_every_chained_success_on_the_sandbox(
    sandbox_app: Any, run_checks: Checker, seed: int
) -> None:
    report = run_checks(sandbox_app, kinds=["stateful"], lifecycles=50, seed=seed)

    assert report.ok, report.summary()
    reached = {operation: _successes(report, operation) for operation in CHAINED}
    assert all(reached.values()), f"never answered 2xx: {reached}\n{report.summary()}"
    # each success path is checked against the model's refusal too
    assert report.codes["sso.create_token"].get("ERROAUTH4032", 0) > 0
    assert report.codes["sso.refresh_token"].get("ERROAUTH4033", 0) > 0
    assert report.scenarios["SSO sign-in (consent -> create-token)"] == _successes(report, "sso.create_token")
    assert not [result for result in report.skipped if result.check_id == "stateful/sso"]
    # every request is counted under what it was: the consent page's form as that page, the rest by operation
    assert report.requests["sso.consent_page"] >= reached["sso.create_token"]
    assert set(report.requests) <= {*report.operations, "sso.consent_page", OUTSIDE_CONTRACT}


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (broken.token_without_access_token, "'access_token' is a required property"),
        (broken.sso_code_works_twice, "the model expected ERROAUTH4032"),
        (broken.commit_without_attendance, "commit answer: attendance_status is 0, the model says 1"),
    ],
    ids=["create-token-without-access-token", "code-exchanged-twice", "commit-without-attendance"],
)
def test_a_broken_chained_success_is_caught(
    sandbox_app: Any, run_checks: Checker, breaks: Any, message: str
) -> None:
    report = run_checks(breaks(sandbox_app), kinds=["stateful"], lifecycles=40)

    assert message in _failure(report, "stateful/lifecycle")


def test_without_a_consent_page_the_sso_steps_are_skipped_with_the_reason(
    sandbox_app: Any, run_checks: Checker
) -> None:
    report = run_checks(broken.no_consent_page(sandbox_app), kinds=["stateful"], lifecycles=10)

    assert report.ok, report.summary()
    skipped = {result.check_id: result.reason or "" for result in report.skipped}
    assert "stateful/sso" in skipped, report.summary()
    assert "'/consent-sso' cannot be signed in to over HTTP (HTTP 404)" in skipped["stateful/sso"]
    assert "consent page" in skipped["stateful/sso"]
    assert _successes(report, "sso.create_token") == 0
    assert _successes(report, "payments.authorize") > 0  # the rest of the lifecycle still ran
