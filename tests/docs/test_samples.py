"""Every code sample of the documentation runs, against a sandbox served by ``prakerja-sandbox``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from .samples import DOCS, Command, Sample, all_samples, commands, output_matches, samples

PYTHON = [s for s in all_samples("python") if s.norun_reason is None]
CONSOLE = [s for s in all_samples("console") if s.norun_reason is None]
# Samples in other languages run with their own toolchain: (file name, command).
OTHER_LANGUAGES = {
    "javascript": ("status.js", ["node", "status.js"]),
    "java": ("Status.java", ["java", "Status.java"]),
}
OTHER = [s for lang in OTHER_LANGUAGES for s in all_samples(lang) if s.norun_reason is None]


def test_the_documentation_has_runnable_samples() -> None:
    assert len(PYTHON) >= 4
    assert len(CONSOLE) >= 4


def test_every_skipped_sample_says_why() -> None:
    skipped = [s for lang in ("python", "console") for s in all_samples(lang) if s.norun_reason is not None]

    assert all(len(s.norun_reason or "") > 10 for s in skipped)


@pytest.mark.parametrize("sample", PYTHON, ids=[s.id for s in PYTHON])
def test_python_sample_runs(sample: Sample, sample_env: dict[str, str], tmp_path: Path) -> None:
    program = tmp_path / "sample.py"
    program.write_text(sample.code, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, str(program)],
        env=sample_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, f"{sample.id} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("sample", OTHER, ids=[s.id for s in OTHER])
def test_other_language_sample_runs(sample: Sample, sample_env: dict[str, str], tmp_path: Path) -> None:
    filename, command = OTHER_LANGUAGES[sample.lang]
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed: the {sample.lang} sample of {sample.id} was not run")
    (tmp_path / filename).write_text(sample.code, encoding="utf-8")

    done = subprocess.run(command, env=sample_env, cwd=tmp_path, capture_output=True, text=True, timeout=180)

    assert done.returncode == 0, f"{sample.id} failed:\n{done.stdout}\n{done.stderr}"


# Languages shown but not run: data and markup, and `bash` setup steps (installing, starting the sandbox).
NOT_CODE = {
    "text",
    "json",
    "yaml",
    "toml",
    "ini",
    "http",
    "html",
    "csv",
    "mermaid",
    "bash",
    "sh",
    "shell",
    "",
}


def test_every_sample_language_is_run_or_marked() -> None:
    shown = {s.lang for path in DOCS.rglob("*.md") for s in samples(path) if s.norun_reason is None}

    assert shown <= {"python", "console", *OTHER_LANGUAGES, *NOT_CODE}


def test_prakerja_commands_are_in_console_blocks_so_they_run() -> None:
    setup = [s for lang in ("bash", "sh", "shell") for s in all_samples(lang)]
    offending = [s.id for s in setup if re.search(r"\bprakerja (sign|call|explain)\b", s.code)]

    assert offending == []


CONSOLE_PAGES = sorted({s.path for s in CONSOLE})


def _run_console(
    blocks: list[Sample], env: dict[str, str], cwd: Path
) -> list[tuple[Sample, Command, list[str]]]:
    # One bash session per page, as a reader types the page's commands into one terminal: an `export` carries
    # over to the later blocks. A marker line separates each command's output.
    marker = f"--- {uuid.uuid4().hex} ---"
    steps = [(block, step) for block in blocks for step in commands(block)]
    script = "\n".join(f"echo '{marker}'\n{step.command} 2>&1" for _, step in steps)
    done = subprocess.run(
        ["bash", "-c", script], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )
    chunks = done.stdout.split(marker + "\n")[1:]
    assert len(chunks) == len(steps), f"the session stopped early:\n{done.stdout}\n{done.stderr}"
    return [(block, step, chunk.splitlines()) for (block, step), chunk in zip(steps, chunks, strict=True)]


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=[str(p.relative_to(DOCS)) for p in CONSOLE_PAGES])
def test_console_sessions_print_what_the_page_shows(
    page: Path, request: pytest.FixtureRequest, offline_env: dict[str, str], tmp_path: Path
) -> None:
    blocks = [s for s in CONSOLE if s.path == page]
    # Only sessions that call the API need the served sandbox.
    needs_sandbox = any("prakerja call" in step.command for block in blocks for step in commands(block))
    env = request.getfixturevalue("sample_env") if needs_sandbox else offline_env
    for block, step, actual in _run_console(blocks, env, tmp_path):
        shown = "\n".join(step.expected)
        printed = "\n".join(actual)
        assert output_matches(step.expected, actual), (
            f"{block.id}: `{step.command}`\nshown:\n{shown}\nprinted:\n{printed}"
        )


def test_norun_markers_are_read(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- norun: needs a PHP interpreter -->\n```php\n<?php\n```\n\n```python\nprint(1)\n```\n"
    )

    found = list(samples(page))

    assert [(s.lang, s.norun_reason) for s in found] == [("php", "needs a PHP interpreter"), ("python", None)]


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (("a", "b"), ["a", "b"], True),
        (("a", "..."), ["a", "b", "c"], True),
        (("a", "...", "c"), ["a", "c"], True),
        (("a", "b...z"), ["a", "b and z"], True),
        (("a", "b"), ["a", "c"], False),
        (("a",), ["a", "extra"], False),
    ],
)
def test_output_matching_understands_ellipsis(
    expected: tuple[str, ...], actual: list[str], matches: bool
) -> None:
    assert output_matches(expected, actual) is matches


def test_samples_are_found_in_every_page_with_code() -> None:
    pages = {s.path for lang in ("python", "console") for s in all_samples(lang)}

    assert DOCS / "signing.md" in pages
