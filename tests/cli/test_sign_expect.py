"""``prakerja sign --expect``: the signature debugger names the mistake behind a wrong signature."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from click.testing import CliRunner

from prakerja.cli import cli
from prakerja.signing import sign

STATUS_PATH = "/api/v1/integration/payment/redeem-code/status"
BASE = [
    "sign",
    "--client-code",
    "CLIENT",
    "--sign-key",
    "KEY",
    "--timestamp",
    "1698289216",
    "--path",
    STATUS_PATH,
]
COMPACT = '{"redeem_code":"GHOPNYXUVMT0"}'


def _sig(**overrides: str) -> str:
    parts = {
        "sign_key": "KEY",
        "client_code": "CLIENT",
        "timestamp": "1698289216",
        "method": "POST",
        "path": STATUS_PATH,
        "body": COMPACT,
        **overrides,
    }
    return sign(**parts)


def test_a_matching_signature_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(cli, [*BASE, "--data", COMPACT, "--expect", _sig()])

    assert result.exit_code == 0
    assert "matches" in result.stdout


def test_the_python_sample_spacing_is_diagnosed_as_a_re_serialised_body(runner: CliRunner) -> None:
    spaced = '{"redeem_code": "GHOPNYXUVMT0"}'
    result = runner.invoke(
        cli, [*BASE, "--data", spaced, "--expect", "3a59fe954ea57c8dee79a37de4215accff000100"]
    )

    assert result.exit_code == 1
    assert "DOES NOT MATCH" in result.stdout
    assert "the signature is over the compact JSON" in result.stdout
    assert f"you signed: CLIENT1698289216POST{STATUS_PATH}{COMPACT}" in result.stdout


@pytest.mark.parametrize(
    ("signature", "cause"),
    [
        (_sig(timestamp="1698289216000"), "timestamp is in milliseconds"),
        (_sig(path="https://api.prakerja.go.id" + STATUS_PATH), "includes the scheme and host"),
        (
            hmac.new(
                b"KEY", f"CLIENT1698289216post{STATUS_PATH}{COMPACT}".encode(), hashlib.sha1
            ).hexdigest(),
            "method was signed in lower case",
        ),
        (_sig(body=""), "body was left out"),
        (_sig(body='{"redeem_code": "GHOPNYXUVMT0"}'), "json.dumps() output with spaces"),
        (_sig().upper(), "upper-case hex"),
        (
            hashlib.sha1(f"CLIENT1698289216POST{STATUS_PATH}{COMPACT}".encode()).hexdigest(),
            "SHA-1 of the raw string, without the key",
        ),
    ],
)
def test_each_known_mistake_is_named(runner: CliRunner, signature: str, cause: str) -> None:
    result = runner.invoke(cli, [*BASE, "--data", COMPACT, "--expect", signature])

    assert result.exit_code == 1
    assert cause in result.stdout


def test_php_slash_escaping_is_named(runner: CliRunner) -> None:
    body = '{"redirect_uri":"https://lp.example/cb"}'
    escaped = body.replace("/", "\\/")
    result = runner.invoke(cli, [*BASE, "--data", body, "--expect", _sig(body=escaped)])

    assert "JSON_UNESCAPED_SLASHES" in result.stdout


def test_an_unexplained_signature_says_what_to_check(runner: CliRunner) -> None:
    result = runner.invoke(cli, [*BASE, "--data", COMPACT, "--expect", "0" * 40])

    assert result.exit_code == 1
    assert "no common mistake reproduces it" in result.stdout
