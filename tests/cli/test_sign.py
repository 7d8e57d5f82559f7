from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from prakerja.cli import cli
from prakerja.contract import load_contract

VECTORS = [v for v in load_contract().signing_vectors if "body_sent" not in v]
STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"


def _sign_args(vector: dict[str, Any]) -> list[str]:
    args = [
        "sign",
        "--client-code",
        vector["client_code"],
        "--sign-key",
        vector["sign_key"],
        "--timestamp",
        str(vector["timestamp"]),
        "--method",
        vector["method"],
        "--path",
        vector["path"],
        "--data",
        vector["body"],
        "--convention",
        vector["convention"],
    ]
    if vector["authorization"]:
        args += ["--authorization", vector["authorization"]]
    return args


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_sign_reproduces_every_known_answer_vector(runner: CliRunner, vector: dict[str, Any]) -> None:
    result = runner.invoke(cli, [*_sign_args(vector), "--json"])

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["raw"] == vector["raw"]
    assert printed["signature"] == vector["signature"]


def test_sign_prints_raw_string_signature_and_integration_headers(runner: CliRunner) -> None:
    args = ["sign", "--client-code", "CLIENT", "--sign-key", "KEY", "--timestamp", "1698289216"]
    result = runner.invoke(cli, [*args, "--path", STATUS_PATH, "--data", '{"redeem_code":"GHOPNYXUVMT0"}'])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f'raw string: CLIENT1698289216POST{STATUS_PATH}{{"redeem_code":"GHOPNYXUVMT0"}}',
        "signature:  3a59fe954ea57c8dee79a37de4215accff000100",
        "headers:",
        "  client_code: CLIENT",
        "  signature: 3a59fe954ea57c8dee79a37de4215accff000100",
        "  timestamp: 1698289216",
    ]


def test_sign_reads_credentials_from_the_environment(runner: CliRunner) -> None:
    env = {"PRAKERJA_CLIENT_CODE": "CLIENT", "PRAKERJA_SIGN_KEY": "KEY"}
    args = [
        "sign",
        "--timestamp",
        "1698289216",
        "--path",
        STATUS_PATH,
        "--data",
        '{"redeem_code":"GHOPNYXUVMT0"}',
    ]

    result = runner.invoke(cli, args, env=env)

    assert "3a59fe954ea57c8dee79a37de4215accff000100" in result.stdout


def test_sign_takes_path_method_and_sso_headers_from_an_operation(runner: CliRunner) -> None:
    args = ["sign", "--client-code", "C", "--sign-key", "K", "--timestamp", "1700000000"]
    result = runner.invoke(cli, [*args, "--operation", "sso.create_token", "--data", '{"code":"XYZ"}'])

    assert result.exit_code == 0, result.output
    assert 'raw string: C1700000000POST/api/v1/oauth/token{"code":"XYZ"}' in result.stdout
    assert "X-Client-Id: C" in result.stdout
    assert "X-Timestamp: 1700000000" in result.stdout


def test_sign_reads_the_body_from_a_file(runner: CliRunner, tmp_path: Any) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(b'{"redeem_code":"GHOPNYXUVMT0"}')
    args = ["sign", "--client-code", "CLIENT", "--sign-key", "KEY", "--timestamp", "1698289216"]

    result = runner.invoke(cli, [*args, "--path", STATUS_PATH, "--data", f"@{body}"])

    assert "3a59fe954ea57c8dee79a37de4215accff000100" in result.stdout


def test_sign_without_credentials_says_which_flag_and_variable_to_use(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["sign", "--path", STATUS_PATH])

    assert result.exit_code == 2
    assert "pass --client-code or set the PRAKERJA_CLIENT_CODE environment variable" in result.output


def test_sign_refuses_a_millisecond_timestamp_and_gives_the_seconds(runner: CliRunner) -> None:
    args = ["sign", "--client-code", "C", "--sign-key", "K", "--path", STATUS_PATH]
    result = runner.invoke(cli, [*args, "--timestamp", "1698289216000"])

    assert result.exit_code == 2
    assert "looks like milliseconds" in result.output
    assert "1698289216" in result.output


def test_sign_refuses_a_path_with_a_host(runner: CliRunner) -> None:
    args = ["sign", "--client-code", "C", "--sign-key", "K"]
    result = runner.invoke(cli, [*args, "--path", "https://api.prakerja.go.id" + STATUS_PATH])

    assert result.exit_code == 2
    assert "path only" in result.output


def test_sign_notes_a_body_that_is_not_compact(runner: CliRunner) -> None:
    args = ["sign", "--client-code", "C", "--sign-key", "K", "--path", STATUS_PATH]
    result = runner.invoke(cli, [*args, "--data", '{"redeem_code": "X"}'])

    assert result.exit_code == 0
    assert 'the SDK sends and signs {"redeem_code":"X"}' in result.stderr
