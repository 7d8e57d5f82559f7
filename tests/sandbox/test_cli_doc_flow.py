"""docs/sandbox.md's purchase and attendance walkthroughs, run literally against the served sandbox.

Each ``sh`` block after a ``<!-- sandbox-flow: ... -->`` line runs, in page order, in one bash session (as a
reader types them into one terminal), with the sandbox's address replaced by the test server's. The JSON shown
under a block must match what it printed: same ``success``, ``message`` and ``code``, the same ``data`` fields,
and the same values except those that differ on every run (tokens, codes, times).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from .cli_process import SandboxProcess, running

PAGE = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
DOC_URL = "http://127.0.0.1:5000"
_MARKER = re.compile(r"^<!--\s*sandbox-flow:\s*(?P<flow>[\w-]+)\s*-->\s*$")
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
#: Values that change on every run: compared by presence only.
VARYING = frozenset(
    {"payment_token", "otp_expires_at", "token_expires_at", "created_at", "transaction_code", "redeem_code",
     "state", "url", "redirect_url", "verified_at", "redeem_at", "id", "counts"}
)  # fmt: skip


@attrs.frozen
class Step:
    """One runnable block of the page and the answer shown under it (if any)."""

    flow: str
    line: int
    code: str
    shown: Any


def steps(text: str) -> list[Step]:
    """The page's flow blocks, each with the first JSON block after it (before the next flow block or heading)."""
    lines = text.splitlines()
    found: list[Step] = []
    flow: str | None = None
    awaiting_answer = False
    index = 0
    while index < len(lines):
        line = lines[index]
        marker, fence = _MARKER.match(line), _FENCE.match(line)
        if marker:
            flow, awaiting_answer = marker["flow"], False
        elif line.startswith("## "):
            awaiting_answer = False
        elif fence:
            end = lines.index("```", index + 1)
            body = "\n".join(lines[index + 1 : end])
            if flow is not None:
                if fence["lang"] != "sh":
                    raise ValueError(f"docs/sandbox.md:{index + 1}: a sandbox-flow block must be ```sh")
                found.append(Step(flow=flow, line=index + 1, code=body, shown=None))
                flow, awaiting_answer = None, True
            elif fence["lang"] == "json" and awaiting_answer:
                found[-1] = attrs.evolve(found[-1], shown=json.loads(body))
                awaiting_answer = False
            index = end
        index += 1
    return found


def _same_shape(shown: Any, printed: Any, where: str) -> list[str]:
    if isinstance(shown, dict):
        if not isinstance(printed, dict):
            return [f"{where}: shown an object, printed {printed!r}"]
        problems = (
            [f"{where}: fields differ: shown {sorted(shown)}, printed {sorted(printed)}"]
            if set(shown) != set(printed)
            else []
        )
        for key in set(shown) & set(printed):
            if key not in VARYING:
                problems += _same_shape(shown[key], printed[key], f"{where}.{key}")
        return problems
    if isinstance(shown, list):
        if not isinstance(printed, list) or len(shown) != len(printed):
            return [f"{where}: shown {len(shown)} items, printed {printed!r}"]
        return [
            p
            for i, (a, b) in enumerate(zip(shown, printed, strict=True))
            for p in _same_shape(a, b, f"{where}.{i}")
        ]
    return [] if shown == printed else [f"{where}: shown {shown!r}, printed {printed!r}"]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """The sandbox as the page starts it (its own database)."""
    with running(
        tmp_path_factory.mktemp("doc-flow") / "sandbox.sqlite3", options=["--no-access-log"]
    ) as process:
        yield process


def test_the_page_has_both_walkthroughs() -> None:
    found = steps(PAGE.read_text(encoding="utf-8"))
    assert {step.flow for step in found} == {"dp", "lp"}
    assert sum(step.shown is not None for step in found) >= 8


def test_the_walkthroughs_run_as_shown(served: SandboxProcess, tmp_path: Path) -> None:
    found = steps(PAGE.read_text(encoding="utf-8"))
    separator = f"--- {uuid.uuid4().hex} ---"
    url = f"http://127.0.0.1:{served.port}"
    script = "\n".join(f"echo '{separator}'\n{step.code.replace(DOC_URL, url)}" for step in found)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    outputs = done.stdout.split(separator + "\n")[1:]
    assert len(outputs) == len(found), f"the session stopped early:\n{done.stdout}\n{done.stderr}"
    problems: list[str] = []
    for step, output in zip(found, outputs, strict=True):
        if step.shown is None:
            continue
        printed_lines = [line for line in output.splitlines() if line.strip()]
        assert printed_lines, f"docs/sandbox.md:{step.line} printed nothing\n{done.stderr}"
        problems += _same_shape(step.shown, json.loads(printed_lines[-1]), f"docs/sandbox.md:{step.line}")
    assert problems == [], "\n".join(problems)
    assert sorted(path.name for path in tmp_path.iterdir()) == []  # following the page leaves no files behind


def test_a_changed_answer_is_noticed() -> None:
    shown = {"success": True, "message": "OK", "data": {"status": 0, "redeem_code": "A"}}
    assert _same_shape(shown, {**shown, "data": {"status": 1, "redeem_code": "B"}}, "x") == [
        "x.data.status: shown 0, printed 1"
    ]
    assert _same_shape(shown, {**shown, "data": {"status": 0}}, "x") != []
