"""The SDK's operations as the client exposes them: ``client.payments.send_otp(...)`` with its docstring.

The resource methods are built at run time, so they are read the way ``help()`` reads them: from a client's
bound methods, their signatures and docstrings.
"""

from __future__ import annotations

import enum
import inspect
import re

import prakerja

RESOURCES = {
    "payments": "Payments (DP)",
    "attendance": "Attendance (LP)",
    "tpm": "TPM and UK (LP)",
    "sso": "SSO (LP)",
}


def _methods(resource: object) -> list[str]:
    base = set(dir(type(resource).__mro__[-2])) if len(type(resource).__mro__) > 1 else set()
    return [
        name
        for name in vars(type(resource))
        if not name.startswith("_") and name not in base and callable(getattr(resource, name))
    ]


def _annotation(value: object) -> str:
    text = value if isinstance(value, str) else getattr(value, "__name__", repr(value))
    return str(text).replace("prakerja.models.", "").replace("prakerja.", "")


def _default(value: object) -> str:
    if isinstance(value, enum.Enum):
        return repr(value.value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_default(item) for item in value) + ")"
    return repr(value)


def _signature(method: object) -> str:
    """``(a: str, *, b: int = 1) -> Result``, annotations written as in the source."""
    signature = inspect.signature(method)  # type: ignore[arg-type]
    parts: list[str] = []
    keyword_only = False
    for parameter in signature.parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
            parts.append("*")
            keyword_only = True
        text = parameter.name
        if parameter.annotation is not parameter.empty:
            text += f": {_annotation(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {_default(parameter.default)}"
        parts.append(text)
    result = ""
    if signature.return_annotation is not signature.empty:
        result = f" -> {_annotation(signature.return_annotation)}"
    return f"({', '.join(parts)}){result}"


_ROLE = re.compile(r":(?:class|meth|func|attr|mod|data|exc):`~?([^`]+)`")


def markdown_docstring(text: str) -> str:
    """A reST-flavoured docstring as Markdown: roles and double backticks become inline code."""
    text = _ROLE.sub(lambda m: f"`{m.group(1).rsplit('.', 1)[-1]}`", text)
    return text.replace("``", "`")


def operations_reference() -> str:
    """A section per resource, a subsection per method."""
    out: list[str] = []
    with prakerja.PrakerjaClient(client_code="reference", sign_key="reference", base_url="local") as client:
        for attribute, title in RESOURCES.items():
            resource = getattr(client, attribute)
            out += [
                f"### client.{attribute}: {title}",
                "",
                markdown_docstring(inspect.getdoc(resource) or ""),
                "",
            ]
            for name in _methods(resource):
                method = getattr(resource, name)
                out += [
                    f"#### client.{attribute}.{name} {{#client.{attribute}.{name}}}",
                    "",
                    "```python",
                    f"client.{attribute}.{name}{_signature(method)}",
                    "```",
                    "",
                    markdown_docstring(inspect.getdoc(method) or ""),
                    "",
                ]
    return "\n".join(out)
