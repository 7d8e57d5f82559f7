"""The checker never blames a server for what the HTTP client refused to send, never resets a sandbox it
did not create, and passes a correct sandbox under any seed."""

from __future__ import annotations

from typing import Any

import h11
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prakerja.contract import Contract
from prakerja.contract_check import Credentials, check
from prakerja.contract_check.cli import main
from prakerja.contract_check.conformance import conformance_problems
from prakerja.contract_check.engine import PropertySettings, run_property
from prakerja.contract_check.results import ContractViolation
from prakerja.contract_check.schemas import ContractSchemas
from prakerja.contract_check.wire import Wire, sendable_header_value
from prakerja.testing import serve


def _h11_sends(value: str) -> bool:
    try:
        encoded = value.encode("ascii")  # httpx encodes str header values as ASCII
        h11.Request(method="GET", target="/", headers=[(b"Host", b"x"), (b"Authorization", encoded)])
    except (UnicodeEncodeError, h11.LocalProtocolError):
        return False
    return True


@given(st.text(max_size=20) | st.from_regex(r"\A(Payment|Bearer)? ?[ -~]{0,12} ?\Z"))
def test_a_value_called_sendable_is_one_the_http_client_sends(value: str) -> None:
    if sendable_header_value(value):
        assert _h11_sends(value)


def _echo(environ: dict[str, Any], start: Any) -> list[bytes]:
    start("400 Bad Request", [("Content-Type", "application/json")])
    return [b'{"success": false, "code": "ERRPLT40107", "message": "x"}']


def test_a_request_the_client_refuses_is_marked_and_never_reaches_the_server(contract: Contract) -> None:
    operation = contract.operation("payments.authorize")
    with serve(_echo) as server:
        wire = Wire(base_url=server.url)
        try:
            request = wire.request(
                operation, b"{}", credentials=None, headers=[("Authorization", "Payment ")]
            )
            exchange = wire.send(request)
        finally:
            wire.close()

    assert exchange.client_refused
    assert exchange.response is None
    assert "refused to send" in (exchange.transport_error or "")
    assert "not sent" in exchange.describe()
    assert wire.client_refusals == 1


def test_a_refused_example_is_discarded_not_reported_as_the_servers_fault(contract: Contract) -> None:
    schemas = ContractSchemas(contract)["payments.authorize"]
    operation = contract.operation("payments.authorize")
    with serve(_echo) as server:
        wire = Wire(base_url=server.url)

        def prop(value: str) -> None:
            request = wire.request(operation, b"{}", credentials=None, headers=[("Authorization", value)])
            exchange = wire.send(request)
            problems = conformance_problems(contract, schemas, exchange)
            problems += [] if exchange.response is not None else ["no response"]
            if exchange.response is None and not exchange.client_refused:
                raise ContractViolation(problems, exchange)

        try:
            result = run_property(
                check_id="invalid/payments.authorize",
                kind="invalid",
                title="t",
                operation_id="payments.authorize",
                strategy=st.sampled_from(["Payment ", " Payment x", "Payment x", "Payment\u00e9"]),
                prop=prop,
                settings=PropertySettings(max_examples=20, seed=1),
            )
        finally:
            wire.close()

    assert result.outcome == "passed", result.failure
    assert wire.client_refusals > 0


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [range(0, 12), range(12, 24)])
def test_the_checker_passes_a_correct_sandbox_under_many_seeds(
    sandbox_app: Any, tokopedia: Credentials, seeds: range
) -> None:
    # over a real socket: the in-process WSGI transport would accept headers h11 refuses
    with serve(sandbox_app) as server:
        for seed in seeds:
            report = check(
                base_url=server.url,
                client_code=tokopedia.client_code,
                sign_key=tokopedia.sign_key,
                kinds=["invalid", "signature"],
                operations=["payments.authorize", "sso.profile"],
                max_examples=10,
                seed=seed,
                allow_reset=True,
            )
            assert report.ok, f"seed {seed}: {report.summary()}"


class _ResetCounter:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.resets = 0

    def __call__(self, environ: dict[str, Any], start: Any) -> Any:
        if environ["PATH_INFO"] == "/_sandbox/reset":
            self.resets += 1
        return self.app(environ, start)


def _run_cli(url: str, who: Credentials, *extra: str) -> int:
    return main(
        [
            "check",
            "--base-url",
            url,
            "--client-code",
            who.client_code,
            "--sign-key",
            who.sign_key,
            "--max-examples",
            "2",
            "--lifecycles",
            "1",
            "--stateful-steps",
            "3",
            "--seed",
            "5",
            "--quiet",
            "--only",
            "stateful",
            *extra,
        ]
    )


def test_a_sandbox_reached_by_url_is_never_reset_without_allow_reset(
    sandbox_app: Any, tokopedia: Credentials, capsys: pytest.CaptureFixture[str]
) -> None:
    counting = _ResetCounter(sandbox_app)
    with serve(counting) as server:
        assert _run_cli(server.url, tokopedia) == 0
        summary = capsys.readouterr().out
        assert counting.resets == 0
        assert "--allow-reset" in summary  # the skipped lifecycle says how to allow it

        assert _run_cli(server.url, tokopedia, "--allow-reset") == 0
        assert counting.resets >= 2


def test_an_in_process_app_is_the_callers_own_and_may_be_reset(
    sandbox_app: Any, tokopedia: Credentials
) -> None:
    counting = _ResetCounter(sandbox_app)
    report = check(
        base_url="http://sandbox.local",
        transport=httpx.WSGITransport(app=counting),
        client_code=tokopedia.client_code,
        sign_key=tokopedia.sign_key,
        kinds=["valid"],
        operations=["payments.quota"],
        max_examples=2,
        seed=1,
    )
    assert report.ok
    assert counting.resets == 2  # before and after the run


def test_only_role_runs_the_role_checks_alone(sandbox_app: Any, tokopedia: Credentials) -> None:
    with serve(sandbox_app) as server:
        status = main(
            [
                "check",
                "--base-url",
                server.url,
                "--client-code",
                tokopedia.client_code,
                "--sign-key",
                tokopedia.sign_key,
                "--max-examples",
                "2",
                "--quiet",
                "--only",
                "role",
                "--operation",
                "payments.quota",
                "--report",
                "/dev/null",
            ]
        )
    assert status == 0
    report = check(
        base_url="http://sandbox.local",
        transport=httpx.WSGITransport(app=sandbox_app),
        client_code=tokopedia.client_code,
        sign_key=tokopedia.sign_key,
        kinds=["role"],
        operations=["payments.quota", "attendance.status"],
        max_examples=2,
        seed=1,
    )
    assert {result.check_id.split("/")[0] for result in report.results} == {"role"}
    with pytest.raises(ValueError, match="known: valid, invalid, signature, stateful, role"):
        check(base_url="http://x", client_code="A", sign_key="k", kinds=["roles"])
