"""The error-coverage report printed at the end of a partner's test run."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from prakerja.contract import load_contract
from prakerja.testing import ErrorCoverage
from prakerja.testing.coverage import ROLE_AREAS, Role

PARTNER_TESTS = textwrap.dedent(
    """
    import pytest
    import prakerja

    def test_unknown_participant_is_refused(prakerja_sandbox):
        with prakerja_sandbox.client() as dp, pytest.raises(prakerja.PrakerjaAPIError):
            dp.payments.send_otp(user_platform_id="u", prakerja_id="9990000000040016",
                                 course_code="prakerjaoauth1", schedule_code="prakerjaoauth", amount=20000)

    def test_unknown_invoice(prakerja_sandbox_server):
        with prakerja_sandbox_server.client() as dp, pytest.raises(prakerja.PrakerjaAPIError):
            dp.payments.status("NOPE-1")
    """
)


def _run_partner_suite(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_partner.py").write_text(PARTNER_TESTS, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder), *options],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_summary_lists_must_handle_codes_first_and_what_was_exercised(tmp_path: Path) -> None:
    result = _run_partner_suite(tmp_path, "--prakerja-coverage", str(tmp_path / "coverage.md"))

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Prakerja error coverage" in out
    assert "Codes a DP must handle (dp_must_handle): 1 of" in out
    assert "[x] ERRPLT40016" in out
    assert "[ ] ERRPLT40013" in out
    assert "Other codes answered: ERRPLT40032 (1x)" in out
    assert out.index("[x] ERRPLT40016") < out.index("Other codes answered")
    report = (tmp_path / "coverage.md").read_text(encoding="utf-8")
    assert report.startswith("# Prakerja error coverage")
    assert "| `ERRPLT40016` |" in report


def test_the_report_can_be_written_as_json(tmp_path: Path) -> None:
    result = _run_partner_suite(
        tmp_path, "--prakerja-coverage", str(tmp_path / "coverage.json"), "--prakerja-no-coverage"
    )

    assert "Prakerja error coverage" not in result.stdout
    data = json.loads((tmp_path / "coverage.json").read_text(encoding="utf-8"))
    counts = {row["code"]: row["count"] for row in data["codes"]}
    assert counts["ERRPLT40016"] == 1
    assert counts["ERRPLT40032"] == 1
    assert data["answered"] == 2


def test_coverage_orders_codes_must_handle_first_then_answered() -> None:
    coverage = ErrorCoverage()
    coverage.add(
        {"emitted": [{"code": "ERRPLT40104", "count": 3}, {"code": "ERRPLT40013", "count": 1}]}, test="t::a"
    )

    rows = coverage.rows(load_contract())

    must = [row for row in rows if row["dp_must_handle"]]
    assert rows[: len(must)] == must
    assert rows[0]["code"] == "ERRPLT40013"
    assert rows[len(must)]["code"] == "ERRPLT40104"
    assert rows[len(must)]["tests"] == ["t::a"]


def test_no_report_when_no_test_used_the_sandbox(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text("def test_nothing():\n    assert True\n", encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0
    assert "Prakerja error coverage" not in result.stdout


def test_a_dp_report_leaves_out_the_codes_of_lp_operations(tmp_path: Path) -> None:
    result = _run_partner_suite(
        tmp_path, "--prakerja-coverage-role", "dp", "--prakerja-coverage", str(tmp_path / "c.json")
    )

    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    codes = {row["code"] for row in data["codes"]}
    assert data["role"] == "dp"
    assert "ERRPLT40016" in codes
    assert not any(code.startswith(("ERRRDM", "ERRTPM", "ERROAUTH")) for code in codes)
    assert "of a DP's operations" in result.stdout


@given(
    role=st.sampled_from([None, "dp", "lp"]),
    seen=st.lists(st.sampled_from(sorted(load_contract().errors)), unique=True),
)
def test_the_role_keeps_exactly_the_codes_of_its_operations_and_the_gate_counts_what_was_seen(
    role: Role | None, seen: list[str]
) -> None:
    contract = load_contract()
    coverage = ErrorCoverage(role=role)
    coverage.add({"emitted": [{"code": code, "count": 1} for code in seen]}, test="t::x")

    kept = {row["code"] for row in coverage.rows(contract)}
    for code, entry in contract.errors.items():
        areas = {operation.split(".")[0] for operation in entry.operations}
        wanted = role is None or "*" in areas or bool(areas & ROLE_AREAS[role])
        assert (code in kept) == wanted, code
    share, missing = coverage.gate(contract)
    gate = coverage.gate_codes(contract)
    assert set(missing) == set(gate) - set(seen)
    assert share == 100.0 * (len(gate) - len(missing)) / len(gate)


def test_the_gate_fails_a_green_run_that_exercised_too_few_must_handle_codes(tmp_path: Path) -> None:
    failing = _run_partner_suite(tmp_path, "--prakerja-coverage-fail-under", "100")
    passing = _run_partner_suite(tmp_path, "--prakerja-coverage-fail-under", "5")

    assert failing.returncode == 1, failing.stdout
    assert "under --prakerja-coverage-fail-under=100%" in failing.stdout
    assert "ERRPLT40013" in failing.stdout.split("never exercised:")[-1]
    assert passing.returncode == 0, passing.stdout
