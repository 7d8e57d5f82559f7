"""Small Markdown writers shared by the generated pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(text: object) -> str:
    """``text`` made safe for one Markdown table cell (no line breaks, escaped pipes)."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(text: object) -> str:
    """``text`` as inline code, safe inside a table cell (backticks inside are doubled around)."""
    value = str(text).replace("|", "\\|")
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
