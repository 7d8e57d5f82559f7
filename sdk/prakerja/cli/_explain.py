"""``prakerja explain``: an error-catalogue entry, in both languages, with what to do about it."""

from __future__ import annotations

import json

import attrs
import click

from prakerja.cli._common import complete_code, contract, suggest
from prakerja.contract import ErrorEntry

EXAMPLES = """
\b
Examples:
  prakerja explain ERRPLT40013
  prakerja explain errvod40001 --json
  prakerja explain --list
  prakerja explain --list --family attendance
"""


def render_entry(entry: ErrorEntry) -> str:
    """A catalogue entry as a short text block."""
    flags = [f"HTTP {entry.http_status}", entry.provenance]
    if entry.retryable:
        flags.append("retryable")
    if entry.dp_must_handle:
        flags.append("a DP must show it to the participant")
    lines = [
        f"{entry.code}  {entry.title}  ({', '.join(flags)})",
        f"message (id): {entry.message_id}",
        f"message (en): {entry.message_en}",
        f"family:       {entry.family}",
        f"operations:   {', '.join(entry.operations) or '-'}",
        f"what to do:   {entry.action}",
    ]
    if entry.reasoning:
        lines.append(f"reasoning:    {entry.reasoning}")
    if entry.observed:
        lines.append(f"observed:     {entry.observed} (recorded by prakerja-contract proxy)")
    return "\n".join(lines)


@click.command(epilog=EXAMPLES)
@click.argument("code", required=False, shell_complete=complete_code)
@click.option("--list", "list_all", is_flag=True, help="List every code of the catalogue.")
@click.option(
    "--family", metavar="FAMILY", help="With --list: only this family (e.g. payment, attendance, sso)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def explain_command(code: str | None, list_all: bool, family: str | None, as_json: bool) -> None:
    """Explain an error code of the Prakerja catalogue: meaning, provenance and what to do."""
    errors = contract().errors
    if list_all:
        entries = [e for e in errors.values() if family is None or e.family == family]
        if not entries:
            families = sorted({e.family for e in errors.values()})
            raise click.BadParameter(
                f"no family {family!r}; known: {', '.join(families)}", param_hint="--family"
            )
        if as_json:
            click.echo(json.dumps([attrs.asdict(e) for e in entries], indent=2, ensure_ascii=False))
            return
        for entry in entries:
            click.echo(f"{entry.code:<14} {entry.http_status}  {entry.title:<34} {entry.message_en}")
        return
    if code is None:
        raise click.UsageError("give a code, e.g. `prakerja explain ERRPLT40013`, or --list")
    key = code.strip().upper()
    if key not in errors:
        raise click.BadParameter(
            f"{code!r} is not in the error catalogue{suggest(key, errors)}. "
            "`prakerja explain --list` shows every code.",
            param_hint="CODE",
        )
    entry = errors[key]
    if as_json:
        click.echo(json.dumps(attrs.asdict(entry), indent=2, ensure_ascii=False))
    else:
        click.echo(render_entry(entry))
