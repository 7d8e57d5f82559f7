"""``prakerja-contract check``: exit status, report files and usage errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from prakerja.contract_check import Credentials
from prakerja.contract_check.cli import main
from prakerja.testing import serve

from . import broken


def _args(url: str, who: Credentials, *extra: str) -> list[str]:
    return [
        "check",
        "--base-url",
        url,
        "--client-code",
        who.client_code,
        "--sign-key",
        who.sign_key,
        "--max-examples",
        "5",
        "--seed",
        "3",
        "--quiet",
        *extra,
    ]


def test_a_conformant_server_exits_0_and_writes_both_reports(
    sandbox_app: Any, tokopedia: Credentials, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    with serve(sandbox_app) as server:
        options = [
            "--only",
            "valid",
            "--operation",
            "payments.quota",
            "--report",
            str(report),
            "--junit",
            str(junit),
        ]
        status = main(_args(server.url, tokopedia, *options))

    assert status == 0
    assert json.loads(report.read_text())["ok"] is True
    assert ET.parse(junit).getroot().get("failures") == "0"
    assert "OK: every check held." in capsys.readouterr().out


def test_a_broken_server_exits_1_with_the_failure_in_the_summary(
    sandbox_app: Any, tokopedia: Credentials, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    markdown = tmp_path / "report.md"
    with serve(broken.negative_quota(sandbox_app)) as server:
        status = main(
            _args(
                server.url,
                tokopedia,
                "--only",
                "valid",
                "--operation",
                "payments.quota",
                "--report",
                str(markdown),
            )
        )

    out = capsys.readouterr().out
    assert status == 1
    assert "FAILED valid/payments.quota" in out
    assert "reproduce: curl" in out
    assert markdown.read_text().startswith("# Contract check: FAILED")


def test_the_sign_key_can_come_from_the_environment(
    sandbox_app: Any, tokopedia: Credentials, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRAKERJA_SIGN_KEY", tokopedia.sign_key)
    with serve(sandbox_app) as server:
        options = ["--only", "valid", "--operation", "payments.status", "--max-examples", "3", "--quiet"]
        status = main(["check", "--base-url", server.url, "--client-code", tokopedia.client_code, *options])

    assert status == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--operation", "payments.refund"], "unknown operation(s) payments.refund"),
        (["--dp-client-code", "X"], "--dp-client-code and --dp-sign-key go together"),
        (["--only", "everything"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    extra: list[str], message: str, tokopedia: Credentials, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(_args("http://127.0.0.1:9", tokopedia, *extra))

    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_waiting_for_a_server_that_never_answers_exits_1(
    tokopedia: Credentials, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(_args("http://127.0.0.1:9", tokopedia, "--wait", "1"))

    assert status == 1
    assert "did not answer within 1 s" in capsys.readouterr().err
