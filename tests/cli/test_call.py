"""``prakerja call`` against the sandbox, in-process through the transport seam of the context object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from prakerja.cli import cli
from prakerja_sandbox import create_app

LP = {
    "PRAKERJA_CLIENT_CODE": "SBX-LP-CIPTAKREASI",
    "PRAKERJA_SIGN_KEY": "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8",
}
DP = {
    "PRAKERJA_CLIENT_CODE": "SBX-DP-TOKOPEDIA",
    "PRAKERJA_SIGN_KEY": "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81",
}


@pytest.fixture
def sandbox() -> httpx.WSGITransport:
    return httpx.WSGITransport(app=create_app({"database": ":memory:"}))


def call(runner: CliRunner, transport: httpx.BaseTransport, args: list[str], env: dict[str, str]) -> Result:
    return runner.invoke(cli, ["call", *args], env=env, obj={"transport": transport})


def _json_of(output: str) -> dict[str, Any]:
    """The JSON document printed after the status line (and before any explanation)."""
    body = output.split("\n", 1)[1]
    end = body.index("\n}\n") + 2
    document: dict[str, Any] = json.loads(body[:end])
    return document


def test_call_signs_sends_and_pretty_prints_the_answer(
    runner: CliRunner, sandbox: httpx.WSGITransport
) -> None:
    result = call(runner, sandbox, ["attendance.status", "--data", '{"redeem_code":"GHOPNYXUVMT0"}'], LP)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HTTP 200 OK\n")
    data = _json_of(result.stdout)["data"]
    assert isinstance(data, dict)
    assert data["redeem_code"] == "GHOPNYXUVMT0"


def test_call_accepts_a_path_instead_of_an_operation_id(
    runner: CliRunner, sandbox: httpx.WSGITransport
) -> None:
    path = "/api/v1/integration/payment/redeem-code/status"
    result = call(runner, sandbox, [path, "--data", '{"redeem_code":"GHOPNYXUVMT0"}'], LP)

    assert result.exit_code == 0, result.output


def test_a_refusal_exits_1_and_explains_the_code(runner: CliRunner, sandbox: httpx.WSGITransport) -> None:
    result = call(runner, sandbox, ["attendance.status", "--data", '{"redeem_code":"PRAT-NOTFND"}'], LP)

    assert result.exit_code == 1
    assert result.stdout.startswith("HTTP 400 Bad Request\n")
    assert _json_of(result.stdout)["code"] == "ERRRDM40001"
    assert "what to do:" in result.stdout


def test_wrong_credentials_are_refused_by_the_server_not_the_command(
    runner: CliRunner, sandbox: httpx.WSGITransport
) -> None:
    env = {**LP, "PRAKERJA_SIGN_KEY": "not-the-key"}
    result = call(runner, sandbox, ["attendance.status", "--data", '{"redeem_code":"GHOPNYXUVMT0"}'], env)

    assert result.exit_code == 1
    assert _json_of(result.stdout)["code"] == "ERRPLT40104"


def test_a_whole_purchase_runs_from_the_command_line(
    runner: CliRunner, sandbox: httpx.WSGITransport, tmp_path: Path
) -> None:
    otp_body = {
        "user_platform_id": "cli-user-1",
        "prakerja_id": "9990000000000200",
        "course_code": "ckn_1_ded87f1d",
        "schedule_code": "1e5c3daa6d789286",
        "amount": 850000,
    }
    (tmp_path / "otp.json").write_text(json.dumps(otp_body))
    sent = call(runner, sandbox, ["payments.send_otp", "--data", f"@{tmp_path / 'otp.json'}"], DP)
    assert sent.exit_code == 0, sent.output
    token = _json_of(sent.stdout)["data"]["payment_token"]

    authorize = {
        "otp": "123456",
        "invoice_code": "CLI-INV-1",
        "invoice_url": "https://dp.example/inv/CLI-INV-1",
    }
    paid = call(
        runner, sandbox, ["payments.authorize", "--payment-token", token, "--data", json.dumps(authorize)], DP
    )

    assert paid.exit_code == 0, paid.output
    assert _json_of(paid.stdout)["data"]["status"] == "SUCCESS"


def test_authorize_without_a_payment_token_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["call", "payments.authorize", "--data", "{}"], env=DP)

    assert result.exit_code == 2
    assert "--payment-token" in result.output


def test_an_sso_get_sends_data_as_the_signed_query(runner: CliRunner, sandbox: httpx.WSGITransport) -> None:
    query = {
        "state": "s1",
        "scope": "name email",
        "redirect_uri": "http://127.0.0.1:8000/prakerja/sso/callback",
        "login_uri": "http://127.0.0.1:8000/login",
    }
    result = call(runner, sandbox, ["sso.login_url", "--data", json.dumps(query)], LP)

    assert result.exit_code == 0, result.output
    assert "consent-sso" in str(_json_of(result.stdout)["data"])


def test_dry_run_prints_the_raw_string_and_a_curl_line_without_sending(runner: CliRunner) -> None:
    args = ["call", "attendance.status", "--timestamp", "1700000000", "--dry-run"]
    result = runner.invoke(cli, [*args, "--data", '{"redeem_code": "PRAT-TC1001"}'], env=LP)

    lines = result.stdout.splitlines()
    assert lines[0] == (
        "raw string: SBX-LP-CIPTAKREASI1700000000POST/api/v1/integration/payment/redeem-code/status"
        '{"redeem_code":"PRAT-TC1001"}'
    )
    assert lines[1].startswith(
        "curl -sS -X POST http://127.0.0.1:5000/api/v1/integration/payment/redeem-code/status"
    )
    assert "-H 'client_code: SBX-LP-CIPTAKREASI'" in lines[1]
    assert """--data-raw '{"redeem_code":"PRAT-TC1001"}'""" in lines[1]


def test_an_unknown_operation_suggests_the_closest(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["call", "attendance.statu", "--dry-run"], env=LP)

    assert result.exit_code == 2
    assert "did you mean attendance.status" in result.output


def test_a_body_that_is_not_an_object_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["call", "attendance.status", "--data", "[1]", "--dry-run"], env=LP)

    assert result.exit_code == 2
    assert "must be a JSON object" in result.output


def test_a_sandbox_that_is_not_running_gets_a_hint(runner: CliRunner) -> None:
    env = {**LP, "PRAKERJA_BASE_URL": "http://127.0.0.1:9"}
    result = runner.invoke(cli, ["call", "attendance.status", "--data", '{"redeem_code":"X"}'], env=env)

    assert result.exit_code == 1
    assert "Is the sandbox running? Start it with `prakerja-sandbox`." in result.output


def test_operations_lists_every_operation(runner: CliRunner) -> None:
    from prakerja.contract import load_contract

    result = runner.invoke(cli, ["operations"])

    assert {line.split()[0] for line in result.stdout.splitlines()} == set(load_contract().operations)
