"""Small Markdown writers shared by the generated pages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_CODE_SPAN = re.compile(r"(``.+?``|`[^`]+`)")


def cell(text: object) -> str:
    """``text`` made safe for one Markdown table cell: one line, pipes escaped outside code spans (a table
    does not split cells inside a code span, where a backslash would show)."""
    parts = _CODE_SPAN.split(" ".join(str(text).split()))
    return "".join(part if index % 2 else part.replace("|", "\\|") for index, part in enumerate(parts))


def unescape_code_pipes(markdown: str) -> str:
    """Table rows written for GitHub (``\\|`` inside a code span) as the site's Markdown reads them.

    GitHub needs the backslash to keep a pipe inside a code span from splitting the cell, and drops it; the
    site's table parser never splits inside a code span, so the backslash would show (``fixed\\|random``).
    """

    def row(line: str) -> str:
        if not line.lstrip().startswith("|"):
            return line
        parts = _CODE_SPAN.split(line)
        return "".join(part.replace("\\|", "|") if index % 2 else part for index, part in enumerate(parts))

    return "\n".join(row(line) for line in markdown.split("\n"))


def code(text: object) -> str:
    """``text`` as inline code (wrapped in double backticks when it holds a backtick)."""
    value = str(text)
    return f"`` {value} ``" if "`" in value else f"`{value}`"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table; every cell is passed through :func:`cell` unless it is already formatted."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def error_link(code_value: str, *, page: str) -> str:
    """A link to ``code_value`` on the error catalogue page, relative from ``page``."""
    depth = page.count("/")
    prefix = "../" * depth
    return f"[`{code_value}`]({prefix}reference/errors.md#{code_value})"


def operation_link(operation_id: str, tag: str, *, page: str) -> str:
    """A link to an operation's section of the HTTP reference, relative from ``page``."""
    depth = page.count("/")
    prefix = "../" * depth
    return f"[`{operation_id}`]({prefix}reference/http/{tag}.md#{operation_id})"
