"""Find the code samples of the documentation: fenced blocks of ``docs/**/*.md``.

A ``python`` block is a whole program; a ``console`` block is a terminal session: ``$ command`` lines (a
trailing ``\\`` continues a command) followed by the output the command prints, where a line ``...`` stands for
any number of lines. A block preceded by a ``<!-- norun: reason -->`` line is shown but not run; the reason is
required.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

DOCS = Path(__file__).resolve().parents[2] / "docs"
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})(?P<lang>[\w+-]*)\s*$")
_NORUN = re.compile(r"^\s*<!--\s*norun:\s*(?P<reason>\S.*?)\s*-->\s*$")


@attrs.frozen
class Sample:
    """One fenced code block."""

    path: Path
    line: int
    lang: str
    code: str
    norun_reason: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(DOCS)}:{self.line}"


@attrs.frozen
class Command:
    """One ``$`` command of a console block and the output shown under it."""

    command: str
    expected: tuple[str, ...]


def samples(path: Path) -> Iterator[Sample]:
    """Every fenced block of one Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        indent, fence, lang = match["indent"], match["fence"], match["lang"]
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        norun = _NORUN.match(previous)
        body: list[str] = []
        start = index + 1
        index += 1
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index][len(indent) :] if lines[index].startswith(indent) else lines[index])
            index += 1
        index += 1
        yield Sample(
            path=path,
            line=start,
            lang=lang,
            code="\n".join(body) + "\n",
            norun_reason=norun["reason"] if norun else None,
        )


def all_samples(lang: str) -> list[Sample]:
    """Every block in ``lang`` across the documentation, in file order."""
    found: list[Sample] = []
    for path in sorted(DOCS.rglob("*.md")):
        found.extend(s for s in samples(path) if s.lang == lang)
    return found


def commands(sample: Sample) -> list[Command]:
    """The commands of a console block with their expected output."""
    result: list[Command] = []
    lines = sample.code.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.startswith("$ "):
            raise ValueError(f"{sample.id}: output before the first '$ ' command: {line!r}")
        parts = [line[2:]]
        while parts[-1].endswith("\\") and index + 1 < len(lines):
            index += 1
            parts.append(lines[index])
        index += 1
        expected: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            expected.append(lines[index])
            index += 1
        result.append(Command(command="\n".join(parts), expected=tuple(expected)))
    return result


def output_matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Whether ``actual`` lines match ``expected``, where a ``...`` line matches any lines and a ``...`` inside
    a line matches any text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(output_matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    pattern = "^" + ".*".join(re.escape(part) for part in head.split("...")) + "$"
    return re.match(pattern, actual[0]) is not None and output_matches(rest, actual[1:])
