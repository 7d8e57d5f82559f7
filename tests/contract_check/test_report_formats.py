"""The report: a readable summary, JUnit XML for CI systems, JSON and Markdown with coverage."""

from __future__ import annotations

import json
import shlex
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from prakerja.contract_check import Report, to_junit_xml
from prakerja.contract_check.exchange import SentRequest, curl_command

from . import broken
from .conftest import Checker


@pytest.fixture
def failing_report(sandbox_app: Any, run_checks: Checker) -> Report:
    return run_checks(
        broken.quota_as_string(sandbox_app),
        kinds=["valid", "invalid"],
        operations=["payments.quota", "sso.consent_page"],
    )


def test_junit_xml_has_one_case_per_check_and_the_failure_with_its_curl_line(failing_report: Report) -> None:
    root = ET.fromstring(to_junit_xml(failing_report))

    cases = root.findall(".//testcase")
    assert len(cases) == len(failing_report.results)
    assert root.get("failures") == str(len(failing_report.failed))
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["valid/payments.quota"]
    text = failed[0].findtext("failure") or ""
    assert "reproduce: curl -sS -X POST" in text
    skipped = [found for case in cases if (found := case.find("skipped")) is not None]
    assert len(skipped) == len(failing_report.skipped) > 0  # at least one check is skipped, with its reason
    assert all(element.get("message") for element in skipped)


def test_json_report_lists_operations_codes_and_checks(failing_report: Report) -> None:
    data = json.loads(failing_report.to_json())

    assert data["ok"] is False
    assert data["totals"]["failed"] == 1
    quota = data["coverage"]["operations"]["payments.quota"]
    assert quota["requests"] > 0
    assert sum(quota["statuses"].values()) == quota["requests"]
    assert set(quota["codes"]) <= set(data["coverage"]["codes_seen"])
    assert set(data["coverage"]["codes_seen"]) | set(data["coverage"]["codes_not_seen"]) == set(
        failing_report.catalogue_codes
    )
    failure = next(c for c in data["checks"] if c["outcome"] == "failed")["failure"]
    assert failure["exchange"]["curl"].startswith("curl ")
    assert "--seed 20240501" in data["rerun"]


def test_markdown_report_has_failures_checks_operations_and_codes(failing_report: Report) -> None:
    text = failing_report.to_markdown()

    assert text.startswith("# Contract check: FAILED")
    for heading in ("## Failures", "## Checks", "## Operations", "## Error codes"):
        assert heading in text
    assert "```sh\ncurl -sS -X POST" in text


def test_curl_line_sends_the_same_bytes_and_headers() -> None:
    body = b'{"note":"it\'s \\"quoted\\" and $HOME"}'
    request = SentRequest(
        method="POST",
        url="http://127.0.0.1:5000/api/v1/integration/payment/status",
        headers=(
            ("Content-Type", "application/json"),
            ("client_code", "SBX-DP-TOKOPEDIA"),
            ("timestamp", "1"),
        ),
        body=body,
    )

    words = shlex.split(curl_command(request))

    assert words[words.index("--data-binary") + 1].encode() == body
    assert "client_code: SBX-DP-TOKOPEDIA" in words
    assert words[words.index("-X") + 1] == "POST"


def test_curl_line_removes_the_content_type_curl_would_add() -> None:
    request = SentRequest(method="POST", url="http://h/p", headers=(), body=b"{}")

    words = shlex.split(curl_command(request))

    assert words[words.index("-H") + 1] == "Content-Type:"
