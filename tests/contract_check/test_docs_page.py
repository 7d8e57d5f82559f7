"""docs/contract-checks.md shows the example project's CI files as they are, and a real run of them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "contract-checks.md"
EXAMPLE = ROOT / "examples" / "dp-checkout"


@pytest.mark.parametrize("ci_file", [".github/workflows/prakerja.yml", ".gitlab-ci.yml"])
def test_the_page_shows_the_example_ci_file_verbatim(ci_file: str) -> None:
    content = (EXAMPLE / ci_file).read_text(encoding="utf-8")

    assert f"```yaml\n{content}```" in PAGE.read_text(encoding="utf-8")


def test_the_page_shows_a_run_of_both_jobs_with_their_reports() -> None:
    text = PAGE.read_text(encoding="utf-8")

    assert "$ pytest --junitxml=reports/junit.xml --prakerja-coverage=reports/prakerja-coverage.md" in text
    assert "Prakerja error coverage" in text
    assert "$ prakerja-contract check --wait 30 --base-url http://127.0.0.1:5000" in text
    assert '??? example "reports/contract-report.md"' in text
