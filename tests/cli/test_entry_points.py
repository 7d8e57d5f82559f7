"""The installed ``prakerja`` command and ``python -m prakerja`` are the same program, with helpful help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from prakerja.cli import cli

PRAKERJA = Path(sys.executable).parent / "prakerja"


def test_python_m_prakerja_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "prakerja", "explain", "ERRVOD40001"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ERRVOD40001")


def test_the_console_script_is_installed() -> None:
    done = subprocess.run([str(PRAKERJA), "--version"], capture_output=True, text=True, timeout=60)

    assert done.stdout.strip().startswith("prakerja, version ")


def test_top_level_help_names_the_environment_variables_and_examples(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])

    for text in (
        "PRAKERJA_CLIENT_CODE",
        "PRAKERJA_SIGN_KEY",
        "PRAKERJA_BASE_URL",
        "Examples:",
        "prakerja sign",
    ):
        assert text in result.stdout


@pytest.mark.parametrize("command", ["sign", "call", "explain"])
def test_every_command_help_has_examples(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])

    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"prakerja {command}" in result.stdout
