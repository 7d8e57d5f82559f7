"""Settings shared by every test folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis fails an example that takes longer than its deadline (200 ms by default). Speed is measured in
# bench/, never asserted in tests, and a loaded machine (CI on two cores, servers started by other tests) can
# slow any example past it, so the suite runs without deadlines. A test that sets its own keeps it.
#
# Two profiles. On a developer's machine ("prakerja-explore") every run draws new examples and keeps failures
# in .hypothesis/ to replay them: that is how new defects are found. In CI ("prakerja-ci", chosen by CI=true)
# the examples are derandomized, so a change passes or fails on its own merits, never on the draw, and a
# failure prints the blob that reproduces it (`@reproduce_failure`). `pytest --hypothesis-profile NAME` or
# HYPOTHESIS_PROFILE=NAME picks one by hand, e.g. the explorer inside CI.
settings.register_profile("prakerja-explore", deadline=None, derandomize=False)
settings.register_profile("prakerja-ci", deadline=None, derandomize=True, database=None, print_blob=True)


def pytest_configure(config: pytest.Config) -> None:
    chosen = config.getoption("hypothesis_profile", default=None) or os.environ.get("HYPOTHESIS_PROFILE")
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    settings.load_profile(chosen or ("prakerja-ci" if in_ci else "prakerja-explore"))


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built once for every test that reads it (``pip wheel``, no dependencies)."""
    out = tmp_path_factory.mktemp("wheel")
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("prakerja-*.whl")
    return wheel
