"""Generate ``prakerja/_generated_errors.py`` from the error catalogue (``contracts/errors.yaml``).

Run ``python -m prakerja._errorgen`` after changing the catalogue; a test fails while the committed module
differs from what this produces. One class per code, named from the entry's ``title`` (``QuotaExhausted`` ->
``QuotaExhaustedError``, ``ErrOauthScopeInvalid`` -> ``OauthScopeInvalidError``), subclassing its family's
class; a ``server`` code with HTTP 429 subclasses :class:`RateLimitError`. Each class states the entry's
``provenance`` (documented or inferred) and its ``retryable`` flag as ``transient``: whether the cause passes,
not whether the call may be repeated (that depends on the operation too, see ``safe_to_retry``).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from prakerja.contract import contract_dir

__all__ = ["FAMILY_CLASSES", "class_name", "main", "render", "target_path"]

FAMILY_CLASSES: Mapping[str, str] = {
    "request": "RequestValidationError",
    "auth": "AuthenticationError",
    "permission": "PermissionDeniedError",
    "routing": "RoutingError",
    "payment": "PaymentError",
    "void": "VoidError",
    "attendance": "AttendanceError",
    "tpm": "TpmError",
    "sso": "SsoError",
    "server": "ServerError",
}

_LINE_LENGTH = 110

_HEADER = '''"""Error classes generated from ``contracts/errors.yaml`` by ``python -m prakerja._errorgen``; do not edit.

Each class is one catalogue code; :data:`ERROR_CLASSES` maps a code to its class.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final

from prakerja._exceptions import (
{imports}
)
'''


def target_path() -> Path:
    """Where the generated module lives."""
    return Path(__file__).with_name("_generated_errors.py")


def class_name(title: str) -> str:
    """The exception class name for a catalogue ``title``."""
    name = title[3:] if title.startswith("Err") and title[3:4].isupper() else title
    return name if name.endswith("Error") else f"{name}Error"


def _family_class(entry: Mapping[str, Any]) -> str:
    if entry["family"] == "server" and int(entry["http_status"]) == 429:
        return "RateLimitError"
    return FAMILY_CLASSES[entry["family"]]


def _literal(text: str) -> str:
    # Quote the way ruff format does: double quotes unless that needs more escapes.
    if '"' in text and "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return json.dumps(text, ensure_ascii=False)


def _docstring(entry: Mapping[str, Any]) -> str:
    summary = f"{entry['code']} (HTTP {entry['http_status']}, {entry['provenance']}): {entry['message_en']}"
    lines = textwrap.wrap(summary, width=104)
    lines += ["", *textwrap.wrap(f"What to do: {entry['action']}", width=104)]
    body = "\n".join(f"    {line}" if line else "" for line in lines)
    return f'    """{body.lstrip()}\n    """'


def _class_block(entry: Mapping[str, Any]) -> str:
    lines = [f"class {class_name(entry['title'])}({_family_class(entry)}):", _docstring(entry), ""]
    # ClassVar: the attributes belong to the class (the catalogue entry), as the base declares them
    lines += [
        _assignment("catalogue_code: ClassVar[str]", entry["code"]),
        _assignment("title: ClassVar[str]", entry["title"]),
        f"    http_status: ClassVar[int] = {int(entry['http_status'])}",
        f"    transient: ClassVar[bool] = {bool(entry['retryable'])}",
        _assignment("provenance: ClassVar[Provenance]", entry["provenance"]),
        _assignment("message_en: ClassVar[str]", entry["message_en"]),
        _assignment("action: ClassVar[str]", entry["action"]),
    ]
    return "\n".join(lines)


def _assignment(name: str, value: str) -> str:
    # Lay out as ruff format does: a value too long for its line moves into parentheses, split into
    # implicitly concatenated pieces when it is longer than a line on its own.
    if len(name) + len(_literal(value)) + 7 <= _LINE_LENGTH:
        return f"    {name} = {_literal(value)}"
    if len(_literal(value)) + 8 <= _LINE_LENGTH:
        return f"    {name} = (\n        {_literal(value)}\n    )"
    pieces = textwrap.wrap(value, width=_LINE_LENGTH - 12, drop_whitespace=False)
    inner = "".join(f"        {_literal(piece)}\n" for piece in pieces)
    return f"    {name} = (\n{inner}    )"


def _export_order(name: str) -> tuple[int, str]:
    # The order ruff's RUF022 wants: CONSTANTS, then Classes, then functions.
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


def render(entries: Iterable[Mapping[str, Any]]) -> str:
    """The source of the generated module for the catalogue ``entries``."""
    entries = list(entries)
    names = [class_name(entry["title"]) for entry in entries]
    clashes = {name for name in names if names.count(name) > 1} | (set(names) & set(FAMILY_CLASSES.values()))
    if clashes:
        raise ValueError(f"catalogue titles give clashing class names: {sorted(clashes)}")
    bases = sorted({_family_class(entry) for entry in entries} | {"PrakerjaAPIError", "Provenance"})
    header = _HEADER.format(imports="\n".join(f"    {base}," for base in bases))
    exported = sorted(["ERROR_CLASSES", *names], key=_export_order)
    all_block = "__all__ = [\n" + "".join(f'    "{name}",\n' for name in exported) + "]\n"
    classes = [_class_block(entry) + "\n" for entry in entries]
    rows = "".join(
        f'        "{entry["code"]}": {name},\n' for entry, name in zip(entries, names, strict=True)
    )
    table = (
        "ERROR_CLASSES: Final[Mapping[str, type[PrakerjaAPIError]]] = MappingProxyType(\n"
        "    {\n" + rows + "    }\n)\n"
    )
    return header + "\n" + all_block + "\n\n" + "\n\n".join([*classes, table])


def _read_catalogue(path: Path) -> list[Mapping[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["errors"])


def main(argv: list[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) the generated module; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m prakerja._errorgen", description=__doc__)
    parser.add_argument("--catalogue", type=Path, default=None, help="errors.yaml (default: the contract's)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed module is stale")
    args = parser.parse_args(argv)
    catalogue = args.catalogue or contract_dir() / "errors.yaml"
    return write_or_check(
        target_path(), render(_read_catalogue(catalogue)), "prakerja._errorgen", check=args.check
    )


def write_or_check(path: Path, text: str, module: str, *, check: bool) -> int:
    """Write a generated module, or with ``check`` say (on stderr) whether the committed one is stale.

    The exit status of a generator's ``main``: 1 when ``check`` finds ``path`` stale, else 0.
    """
    if check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is stale: run python -m {module}", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
