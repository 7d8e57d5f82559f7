"""The built wheel carries the contract, so an installed SDK and sandbox work without the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

CONTRACT_FILES = [
    "openapi.yaml",
    "errors.yaml",
    "signing.json",
    "scenarios.yaml",
    "partners.yaml",
    "ambiguities.yaml",
]


@pytest.fixture(scope="module")
def wheel(built_wheel: Path) -> Path:
    return built_wheel


@pytest.mark.slow
def test_wheel_contains_both_packages_and_the_contract(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "prakerja/__init__.py" in names
    assert "prakerja_sandbox/__init__.py" in names
    assert "prakerja/py.typed" in names
    for name in [*CONTRACT_FILES, "regions/regencies.csv", "regions/provinces.csv"]:
        assert f"prakerja/_contracts/{name}" in names


@pytest.mark.slow
def test_contract_loads_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    script = (
        "from prakerja.contract import contract_dir, load_contract\n"
        "c = load_contract()\n"
        "print(contract_dir(), len(c.errors), len(c.operations), len(c.regions))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,
    )
    folder, errors, operations, regions = result.stdout.split()
    assert Path(folder) == tmp_path / "prakerja" / "_contracts"
    assert int(errors) > 50
    assert int(operations) == 17
    assert int(regions) == 514
