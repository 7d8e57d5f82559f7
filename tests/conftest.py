"""Settings shared by every test folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis fails an example that takes longer than its deadline (200 ms by default). Speed is measured in
# bench/, never asserted in tests, and a loaded machine (CI on two cores, servers started by other tests) can
# slow any example past it, so the suite runs without deadlines. A test that sets its own keeps it.
settings.register_profile("prakerja-tests", deadline=None)
settings.load_profile("prakerja-tests")


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
