"""Options and helpers shared by the ``prakerja`` commands."""

from __future__ import annotations

import difflib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from prakerja.contract import Contract, Operation, load_contract

F = TypeVar("F", bound=Callable[..., Any])

SANDBOX_URL = "http://127.0.0.1:5000"
"""Where ``prakerja-sandbox`` listens by default; the base URL when neither flag nor variable gives one."""

ENV_CLIENT_CODE = "PRAKERJA_CLIENT_CODE"
ENV_SIGN_KEY = "PRAKERJA_SIGN_KEY"
ENV_BASE_URL = "PRAKERJA_BASE_URL"


def contract() -> Contract:
    """The contract, or a clean command-line error when its files cannot be read."""
    try:
        return load_contract()
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(f"cannot read the Prakerja contract: {exc}") from exc


def credential_options(func: F) -> F:
    """``--client-code`` and ``--sign-key``, read from the environment when not given."""
    func = click.option(
        "--sign-key",
        envvar=ENV_SIGN_KEY,
        show_envvar=True,
        metavar="KEY",
        help="The partner's sign key (the HMAC secret).",
    )(func)
    func = click.option(
        "--client-code",
        envvar=ENV_CLIENT_CODE,
        show_envvar=True,
        metavar="CODE",
        help="The partner's client code.",
    )(func)
    return func


def require(value: str | None, *, flag: str, envvar: str, what: str) -> str:
    """``value``, or a usage error telling both ways to give it."""
    if value is None or value == "":
        raise click.UsageError(f"missing {what}: pass {flag} or set the {envvar} environment variable")
    return value


def read_data(value: str | None) -> bytes:
    """The body given to ``--data``: text as is, ``@file.json`` read from a file, ``@-`` from stdin."""
    if value is None:
        return b""
    if value == "@-":
        return sys.stdin.buffer.read()
    if value.startswith("@"):
        path = Path(value[1:])
        try:
            return path.read_bytes()
        except OSError as exc:
            raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint="--data") from exc
    return value.encode("utf-8")


def parse_json_object(body: bytes, *, param_hint: str = "--data") -> dict[str, Any]:
    """``body`` parsed as one JSON object, or a usage error that shows where the JSON breaks."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
            """Quote it for your shell, e.g. --data '{"redeem_code":"PRAT-TC1001"}'""",
            param_hint=param_hint,
        ) from exc
    if not isinstance(value, dict):
        raise click.BadParameter(
            f"must be a JSON object ({{...}}), got {type(value).__name__}", param_hint=param_hint
        )
    return value


def timestamp_now() -> str:
    """The current Unix time in seconds, as Prakerja expects it."""
    return str(int(time.time()))


def check_timestamp(value: str) -> str:
    """``value`` if it is Unix seconds; a usage error otherwise. Milliseconds get a pointed message."""
    text = value.strip()
    if not text.isdigit():
        raise click.BadParameter(
            f"{value!r} is not Unix seconds (digits only, e.g. {timestamp_now()})", param_hint="--timestamp"
        )
    if len(text) >= 13:
        raise click.BadParameter(
            f"{text} looks like milliseconds; Prakerja wants Unix seconds ({int(text) // 1000})",
            param_hint="--timestamp",
        )
    return text


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean X?)`` for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.5)
    return f" (did you mean {' or '.join(close)}?)" if close else ""


def find_operation(contract: Contract, name: str) -> Operation:
    """The operation named by its operationId (``attendance.status``) or by its path."""
    operations = contract.operations
    if name in operations:
        return operations[name]
    path = name.split("?", 1)[0]
    by_path = [op for op in operations.values() if op.path == path]
    if by_path:
        return by_path[0]
    names = sorted(operations)
    raise click.BadParameter(
        f"no operation {name!r} in the contract{suggest(name, names + [op.path for op in operations.values()])}."
        " Run `prakerja operations` to list them.",
        param_hint="OPERATION",
    )


def complete_operation(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for operation ids."""
    try:
        names = sorted(load_contract().operations)
    except (FileNotFoundError, OSError):
        return []
    return [name for name in names if name.startswith(incomplete)]


def complete_code(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Shell completion for catalogue codes."""
    try:
        codes = sorted(load_contract().errors)
    except (FileNotFoundError, OSError):
        return []
    return [code for code in codes if code.startswith(incomplete.upper())]


def env_value(name: str) -> str | None:
    """An environment variable, treating an empty value as unset."""
    value = os.environ.get(name, "")
    return value or None
