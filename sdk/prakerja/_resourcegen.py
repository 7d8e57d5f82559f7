"""Generate ``prakerja/resources/_generated.py``: the resource classes with one real method per operation.

Each method is a plain ``def`` with the builder's full signature (so IDEs, Jedi and pyright see it) and a
docstring ending in the operation's ``Raises:`` list from the error catalogue. Sync methods return the result;
async methods return a coroutine (arguments are still checked when the method is called, before it is
awaited); the ``...WithRawResponse`` classes return :class:`~prakerja.RawResponse`. Run after changing a
builder or the catalogue; a test fails when the committed module differs::

    python -m prakerja._resourcegen [--check]
"""

from __future__ import annotations

import argparse
import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from prakerja._errorgen import write_or_check
from prakerja._generated_errors import ERROR_CLASSES
from prakerja.contract import load_contract
from prakerja.resources import attendance, payments, sso, tpm

_LINE = 110

#: (class name, builder module, doc, mixins, [(method, builder)])
Group = tuple[str, Any, str, str, list[tuple[str, Callable[..., Any]]]]
GROUPS: list[Group] = [
    (
        "Payments",
        payments,
        "Payments, for digital platforms (DP).",
        "",
        [
            ("send_otp", payments._send_otp),
            ("authorize", payments._authorize),
            ("status", payments._status),
            ("quota", payments._quota),
            ("void", payments._void),
            ("reconcile", payments._reconcile),
        ],
    ),
    (
        "Attendance",
        attendance,
        "Attendance verification, for training institutions (LP).",
        "",
        [
            ("generate_url", attendance._generate_url),
            ("status", attendance._status),
            ("reset", attendance._reset),
            ("commit", attendance._commit),
        ],
    ),
    (
        "Tpm",
        tpm,
        "TPM/UK assignments and feedback, for training institutions (LP).",
        "",
        [
            ("submit_assignment", tpm._submit_assignment),
            ("submit_feedback", tpm._submit_feedback),
            ("submission_status", tpm._submission_status),
        ],
    ),
    (
        "Sso",
        sso,
        "'Login with Prakerja', for training institutions (LP).",
        "ConsentUrl",
        [
            ("login_url", sso._login_url),
            ("create_token", sso._create_token),
            ("refresh_token", sso._refresh_token),
            ("profile", sso._profile),
        ],
    ),
]
#: Operation ids of the builders whose name differs from ``<group>.<method>`` (reconcile reads status).
OPERATION_OF = {"payments.reconcile": "payments.status"}


def target_path() -> Path:
    """Where the generated module lives."""
    return Path(__file__).with_name("resources") / "_generated.py"


def _default(value: Any, module: Any) -> str:
    for name, candidate in vars(module).items():
        if candidate is value and name.isupper():
            return str(name)
    return repr(value)


def _parameters(builder: Callable[..., Any], module: Any) -> tuple[str, str, str]:
    """(parameters of the def, arguments of the builder call, return annotation)."""
    signature = inspect.signature(builder)
    params = list(signature.parameters.values())[1:]
    text: list[str] = ["self"]
    call: list[str] = ["self._context"]
    star = False
    for param in params:
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            text.append("*")
            star = True
        piece = f"{param.name}: {param.annotation}"
        if param.default is not inspect.Parameter.empty:
            piece += f" = {_default(param.default, module)}"
        text.append(piece)
        call.append(
            param.name if param.kind is not inspect.Parameter.KEYWORD_ONLY else f"{param.name}={param.name}"
        )
    result = str(signature.return_annotation).removeprefix("Call[").removesuffix("]")
    return ", ".join(text), ", ".join(call), result


def _raises(operation: str) -> list[str]:
    contract = load_contract()
    lines = []
    for code, entry in contract.errors.items():
        if operation in entry.operations or "*" in entry.operations:
            cls = ERROR_CLASSES[code].__name__
            lines.append(f"{cls}: {code}, {entry.message_en}")
    return lines


def _docstring(builder: Callable[..., Any], operation: str, indent: str) -> str:
    doc = inspect.cleandoc(builder.__doc__ or "")
    raises = _raises(operation)
    body = doc.splitlines()
    if raises:
        body += ["", "Raises:"]
        for line in raises:
            wrapped = textwrap.wrap(line, width=_LINE - len(indent) - 8, subsequent_indent="    ")
            body += [f"    {part}" for part in wrapped]
        body += ["    PrakerjaTransportError: no answer arrived (a timeout or a broken connection)."]
    inner = "\n".join(f"{indent}{line}" if line else "" for line in body)
    return f'{indent}"""{inner.lstrip()}\n{indent}"""'


def _method(kind: str, group: str, module: Any, name: str, builder: Callable[..., Any]) -> str:
    params, call, result = _parameters(builder, module)
    operation = OPERATION_OF.get(f"{group.lower()}.{name}", f"{group.lower()}.{name}")
    returns = {
        "sync": result,
        "async": f"Coroutine[Any, Any, {result}]",
        "raw": f"RawResponse[{result}]",
        "async_raw": f"Coroutine[Any, Any, RawResponse[{result}]]",
    }[kind]
    head = f"    def {name}({params}) -> {returns}:"
    if len(head) > _LINE:
        inner = params.split(", ")
        head = f"    def {name}(\n" + "".join(f"        {p},\n" for p in inner) + f"    ) -> {returns}:"
    if kind in ("raw", "async_raw"):
        plain = f"{'Async' if kind == 'async_raw' else ''}{group}.{name}"
        doc = f'        """As :meth:`{plain}`, with the HTTP answer: a :class:`~prakerja.RawResponse`."""'
    else:
        doc = _docstring(builder, operation, "        ")
    send = f"        return self._send({module.__name__.rsplit('.', 1)[1]}.{builder.__name__}({call}))"
    return "\n".join([head, doc, send])


_HEADER = '''"""Resource classes generated by ``python -m prakerja._resourcegen``; do not edit.

Each method is written out with its full signature and the operation's ``Raises:`` list (from the error
catalogue); the work is in the builders of :mod:`prakerja.resources.payments` and its siblings.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

{imports}
'''

#: Names the generated code may use, by module; only those it uses are imported.
_IMPORTABLE = {
    "prakerja._raw": ["RawResponse"],
    "prakerja.models": [
        "AssignmentSubmission",
        "AttendanceSequence",
        "AttendanceUrl",
        "FeedbackSubmission",
        "LoginUrl",
        "OtpSent",
        "PaymentAuthorized",
        "PaymentReconciliation",
        "PaymentRecord",
        "PaymentVoided",
        "Profile",
        "Quota",
        "RedeemCodeRecord",
        "SsoScope",
        "Token",
        "TpmScope",
        "TpmSubmissions",
    ],
    "prakerja.resources": ["attendance", "payments", "sso", "tpm"],
    "prakerja.resources._base": ["AsyncResource", "RawAsyncResource", "RawSyncResource", "SyncResource"],
    "prakerja.resources.sso": ["ALL_SCOPES", "ConsentUrl", "ScopeArgument"],
    "prakerja.resources.tpm": ["Scope"],
}


def _classes(group: Group) -> Iterable[str]:
    name, module, doc, mixin, methods = group
    extra = f", {mixin}" if mixin else ""
    for kind, cls, base, note in (
        ("sync", name, f"SyncResource{extra}", ""),
        ("async", f"Async{name}", f"AsyncResource{extra}", " Methods return coroutines."),
        ("raw", f"{name}WithRawResponse", "RawSyncResource", " Each method returns a RawResponse."),
        ("async_raw", f"Async{name}WithRawResponse", "RawAsyncResource", " Each returns a RawResponse."),
    ):
        body = [f"class {cls}({base}):", f'    """{doc}{note}"""', ""]
        body += [_method(kind, name, module, method, builder) + "\n" for method, builder in methods]
        if kind in ("sync", "async"):
            raw = f"{'Async' if kind == 'async' else ''}{name}WithRawResponse"
            body += [
                "    @property",
                f"    def with_raw_response(self) -> {raw}:",
                '        """The same operations, each returning a RawResponse (status, headers, request id)."""',
                f"        return {raw}(self._send_raw, self._context)",
                "",
            ]
        yield "\n".join(body).rstrip() + "\n"


def render() -> str:
    """The source of the generated module."""
    names = [
        f"{prefix}{group[0]}{suffix}"
        for group in GROUPS
        for prefix in ("", "Async")
        for suffix in ("", "WithRawResponse")
    ]
    all_block = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted(names)) + "]\n"
    classes = [block for group in GROUPS for block in _classes(group)]
    code = "\n\n".join(classes)
    imports = []
    for module, candidates in _IMPORTABLE.items():
        used = [name for name in candidates if re.search(rf"\b{name}\b", code)]
        if len(used) > 3:
            imports.append(f"from {module} import (\n" + "".join(f"    {name},\n" for name in used) + ")")
        elif used:
            imports.append(f"from {module} import {', '.join(used)}")
    source = _HEADER.format(imports="\n".join(imports)) + "\n" + all_block + "\n\n" + code
    return _formatted(source)


def _formatted(source: str) -> str:
    """``source`` as ``ruff format`` lays it out (the committed module is held to the formatter)."""
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(target_path()), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return completed.stdout


def main(argv: list[str] | None = None) -> int:
    """Write (or, with ``--check``, compare) the generated module; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m prakerja._resourcegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed module is stale")
    options = parser.parse_args(argv)
    return write_or_check(target_path(), render(), "prakerja._resourcegen", check=options.check)


if __name__ == "__main__":
    raise SystemExit(main())
