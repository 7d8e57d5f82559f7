"""The project's own CI gate: the sandbox passes every contract check, in-process and over a socket."""

from __future__ import annotations

from typing import Any

import pytest

from prakerja.contract_check import Credentials, check
from prakerja.testing import serve

from .conftest import Checker

pytestmark = pytest.mark.slow


def test_the_sandbox_passes_every_check_in_process(sandbox_app: Any, run_checks: Checker) -> None:
    report = run_checks(sandbox_app, max_examples=5)

    assert report.ok, report.summary()
    assert report.info.control_api
    assert {"valid", "invalid", "signature", "stateful"} <= {r.kind for r in report.passed}
    assert report.scenarios["purchase (send-otp -> authorize)"] > 0


def test_the_sandbox_passes_every_check_over_a_socket(sandbox_app: Any, tokopedia: Credentials) -> None:
    with serve(sandbox_app) as server:
        report = check(
            base_url=server.url,
            client_code=tokopedia.client_code,
            sign_key=tokopedia.sign_key,
            max_examples=5,
            seed=20240502,
            allow_reset=True,  # the test started this sandbox
        )

    assert report.ok, report.summary()
    assert not report.info.in_process
    assert "stateful" in {r.kind for r in report.passed}
    assert report.total_requests() > 500


def test_a_run_is_repeatable_from_its_seed(sandbox_app: Any, run_checks: Checker) -> None:
    first = run_checks(sandbox_app, kinds=["valid", "invalid"], operations=["payments.quota"], seed=7)
    again = run_checks(sandbox_app, kinds=["valid", "invalid"], operations=["payments.quota"], seed=7)

    assert first.info.seed == again.info.seed == 7
    assert first.statuses == again.statuses
    assert first.codes == again.codes
