"""The checks can fail: each deliberately broken server is caught, with a message naming what broke."""

from __future__ import annotations

from typing import Any

from prakerja.contract import Contract
from prakerja.contract_check import Report

from . import broken
from .conftest import Checker


def _failure(report: Report, check_id: str) -> str:
    failed = {result.check_id: result for result in report.failed}
    assert check_id in failed, f"{check_id} did not fail; failed: {sorted(failed)}\n{report.summary()}"
    failure = failed[check_id].failure
    assert failure is not None
    return failure.message


def test_a_field_of_the_wrong_type_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(broken.quota_as_string(sandbox_app), kinds=["valid"], operations=["payments.quota"])

    assert not report.ok
    assert "data/quota" in _failure(report, "valid/payments.quota")
    assert "is not of type 'integer'" in _failure(report, "valid/payments.quota")


def test_a_missing_required_field_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(
        broken.status_without_transaction_code(sandbox_app), kinds=["valid"], operations=["payments.status"]
    )

    assert "'transaction_code' is a required property" in _failure(report, "valid/payments.status")


def test_a_500_on_malformed_json_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(
        broken.crash_on_malformed_json(sandbox_app), kinds=["invalid"], operations=["payments.status"]
    )

    message = _failure(report, "invalid/payments.status")
    assert "server error HTTP 500" in message
    assert "expected refusal ERRPLT40001" in message


def test_a_signature_check_that_accepts_a_changed_byte_is_caught(
    sandbox_app: Any, run_checks: Checker, contract: Contract
) -> None:
    report = run_checks(
        broken.signature_ignores_the_body(sandbox_app, contract),
        kinds=["signature"],
        operations=["payments.quota"],
    )

    message = _failure(report, "signature/payments.quota/tampered-bytes")
    assert "changed" in message
    assert "after signing" in message
    assert "ERRPLT40104" in message


def test_a_quota_below_zero_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(broken.negative_quota(sandbox_app), kinds=["valid"], operations=["payments.quota"])

    assert "is less than the minimum of 0" in _failure(report, "valid/payments.quota")


def test_a_quota_below_zero_breaks_the_lifecycle_model(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(broken.negative_quota(sandbox_app), kinds=["stateful"], max_examples=20)

    message = _failure(report, "stateful/lifecycle")
    assert "quota" in message


def test_a_void_the_status_never_shows_is_caught_by_the_lifecycle(
    sandbox_app: Any, run_checks: Checker
) -> None:
    report = run_checks(broken.void_never_shows(sandbox_app), kinds=["stateful"], max_examples=30)

    assert "status is 'SUCCESS', the model says 'VOID'" in _failure(report, "stateful/lifecycle")


def test_an_error_code_outside_the_catalogue_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(
        broken.error_code_not_in_catalogue(sandbox_app), kinds=["valid"], operations=["payments.quota"]
    )

    assert "ERRPLT40099 is not in the error catalogue" in _failure(report, "valid/payments.quota")


def test_an_error_code_with_the_wrong_http_status_is_caught(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(
        broken.error_code_with_wrong_status(sandbox_app), kinds=["signature"], operations=["payments.status"]
    )

    assert "ERRPLT40104 must be sent with HTTP 401 (catalogue), got 403" in _failure(
        report, "signature/payments.status/tampered-signature"
    )


def test_each_failure_carries_a_curl_line_that_replays_it(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(broken.quota_as_string(sandbox_app), kinds=["valid"], operations=["payments.quota"])

    failure = report.failed[0].failure
    assert failure is not None
    assert failure.curl is not None
    assert failure.curl.startswith(
        "curl -sS -X POST http://sandbox.local/api/v1/integration/payment/quota-schedule"
    )
    assert "-H 'client_code: SBX-DP-TOKOPEDIA'" in failure.curl
    assert "FAILED valid/payments.quota" in report.summary()
    assert failure.curl in report.summary()
