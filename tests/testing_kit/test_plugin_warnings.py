"""The pytest plugin fails a test during which the sandbox warned, quoting the warning, unless it is allowed.

Each case runs a small test file in its own pytest session (pytester), with the plugin loaded from its
entry point as a partner's project loads it.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

LENIENT = '''
import json, time
import httpx
import pytest
from prakerja.signing import sign

LP = ("SBX-LP-CIPTAKREASI", "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8")
STATUS = "/api/v1/integration/payment/redeem-code/status"


def status(sandbox, body):
    """The redeem-code status call as the official samples make it: sequence omitted."""
    raw = json.dumps(body, separators=(",", ":"))
    stamp = str(int(time.time()))
    signature = sign(sign_key=LP[1], client_code=LP[0], timestamp=stamp, method="POST", path=STATUS, body=raw)
    with httpx.Client(transport=sandbox.transport, base_url=sandbox.base_url) as http:
        return http.post(STATUS, content=raw, headers={
            "Content-Type": "application/json", "client_code": LP[0], "signature": signature, "timestamp": stamp})
'''


def _write(pytester: pytest.Pytester, body: str) -> None:
    pytester.makepyfile(test_partner=LENIENT + body)


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "--prakerja-no-coverage", *args)


def test_a_test_whose_request_was_warned_fails_quoting_the_warning(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        """
def test_checks_a_redeem_code(prakerja_sandbox):
    assert status(prakerja_sandbox, {"redeem_code": "PRAT-TC1001"}).status_code == 200
""",
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*accepted these requests only through a lenient reading of the docs*",
            '*POST /api/v1/integration/payment/redeem-code/status: SBXW005 "sequence was omitted and read as 1*',
            "*prakerja_allow_warnings*",
        ]
    )


def test_the_same_test_passes_with_the_documented_request(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        """
def test_checks_a_redeem_code(prakerja_sandbox):
    assert status(prakerja_sandbox, {"redeem_code": "PRAT-TC1001", "sequence": 1}).status_code == 200
    assert prakerja_sandbox.warnings() == []
""",
    )
    _run(pytester).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "outcome"),
    [
        ("@pytest.mark.prakerja_allow_warnings", "passed"),
        ('@pytest.mark.prakerja_allow_warnings("SBXW005")', "passed"),
        ('@pytest.mark.prakerja_allow_warnings("SBXW001")', "failed"),
    ],
)
def test_the_marker_allows_all_warnings_or_the_codes_it_names(
    pytester: pytest.Pytester, marker: str, outcome: str
) -> None:
    _write(
        pytester,
        f"""
{marker}
def test_checks_a_redeem_code(prakerja_sandbox):
    assert status(prakerja_sandbox, {{"redeem_code": "PRAT-TC1001"}}).status_code == 200
    assert [w.code for w in prakerja_sandbox.warnings()] == ["SBXW005"]
""",
    )
    _run(pytester).assert_outcomes(**{outcome: 1})


def test_the_option_allows_warnings_for_the_whole_run(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        """
def test_checks_a_redeem_code(prakerja_sandbox):
    assert status(prakerja_sandbox, {"redeem_code": "PRAT-TC1001"}).status_code == 200
""",
    )
    _run(pytester, "--prakerja-allow-warnings").assert_outcomes(passed=1)


def test_strict_option_refuses_the_lenient_request_instead(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        """
def test_checks_a_redeem_code(prakerja_sandbox):
    answer = status(prakerja_sandbox, {"redeem_code": "PRAT-TC1001"})
    assert answer.json()["code"] == "ERRPLT40003"
    assert answer.json()["debug"]["leniency"] == "SBXW005"
    assert prakerja_sandbox.warnings() == []
""",
    )
    _run(pytester, "--prakerja-strict").assert_outcomes(passed=1)


def test_a_failing_test_keeps_its_own_failure(pytester: pytest.Pytester) -> None:
    _write(
        pytester,
        """
def test_checks_a_redeem_code(prakerja_sandbox):
    status(prakerja_sandbox, {"redeem_code": "PRAT-TC1001"})
    assert False, "the test's own assertion"
""",
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the test's own assertion*"])
    result.stdout.no_fnmatch_line("*lenient reading*")
