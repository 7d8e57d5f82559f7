"""Against a server without the sandbox control API (Prakerja itself) the checker stays read-only and says
which steps it skipped and why."""

from __future__ import annotations

import httpx
import pytest

from prakerja.contract_check import check
from prakerja_sandbox import create_app

from .conftest import Checker


def test_writes_are_skipped_unless_allowed(run_checks: Checker) -> None:
    report = run_checks(create_app({"control_api": False}), kinds=["valid"], max_examples=3)

    skipped = {r.check_id: r.reason or "" for r in report.skipped}
    assert "valid/payments.send_otp" in skipped
    assert "pass --allow-writes" in skipped["valid/payments.send_otp"]
    assert "valid/payments.status" not in skipped
    assert not report.info.control_api
    assert not report.info.allow_writes


def test_lifecycle_steps_are_skipped_with_the_reason(run_checks: Checker) -> None:
    report = run_checks(create_app({"control_api": False}), kinds=["stateful"], allow_writes=True)

    reasons = {r.check_id: r.reason or "" for r in report.skipped}
    assert "stateful/authorize" in reasons
    assert "no sandbox control API" in reasons["stateful/authorize"]
    assert "GET /_sandbox/inbox" in reasons["stateful/authorize"]
    assert report.ok


def test_the_role_of_the_credentials_is_found_by_asking(run_checks: Checker) -> None:
    report = run_checks(create_app({"control_api": False}), kinds=["valid"], operations=["payments.quota"])

    assert report.info.roles == {"DP": "SBX-DP-TOKOPEDIA"}
    assert report.ok, report.summary()


def test_credentials_the_server_refuses_fail_the_run() -> None:
    report = check(
        base_url="http://sandbox.local",
        transport=httpx.WSGITransport(app=create_app({"control_api": False})),
        client_code="SBX-DP-TOKOPEDIA",
        sign_key="0" * 40,
        kinds=["valid"],
        operations=["payments.quota"],
        max_examples=2,
        seed=1,
    )

    assert not report.ok
    failure = report.failed[0]
    assert failure.check_id == "discovery/credentials"
    assert failure.failure is not None
    assert "ERRPLT40104" in failure.failure.message


def test_an_unknown_kind_of_check_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        check(client_code="X", sign_key="k", kinds=["fuzz"])
