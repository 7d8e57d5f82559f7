"""Walk a JSON body against the contract's schema and say, field by field, where it drifts.

Unlike a validator's messages, every :class:`Finding` here names the field (``data.amount``), what the
contract says (``integer``), what came (``string``), and where in ``contracts/openapi.yaml`` the definition
lives, so that the observations report can propose the exact change. Observed values are never kept, except
through :mod:`prakerja.contract_check.observations_shape`'s safe patterns (enum tokens).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from prakerja.contract_check.observations_shape import safe_enum_value, safe_key, type_name

__all__ = ["Finding", "drift"]

_COMPATIBLE = {"number": {"integer", "number"}}
_NUMERIC = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_UNSET: Any = object()
_UTC_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@attrs.frozen
class Finding:
    """One way an exchange differs from the contract.

    ``kind`` is one of ``type``, ``null``, ``enum``, ``const``, ``format``, ``missing``, ``unknown-field``,
    ``status``, ``content-type``, ``not-json``, ``unknown-code``, ``code-status``, ``code-operation``,
    ``message``, ``server-error``, ``unknown-path``, ``no-response``, ``sandbox-warning`` (the sandbox accepted
    the request only through a lenient reading) or ``reading`` (which reading of an ambiguity of
    ``contracts/ambiguities.yaml`` the server took).
    """

    kind: str
    text: str
    where: str = ""
    expected: str | None = None
    observed: str | int | None = None
    pointer: str | None = None  # a JSON pointer into contracts/openapi.yaml (or the catalogue code)
    ambiguity: str | None = None
    reading: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON object, without empty fields."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None and v != ""}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Finding:
        """The inverse of :meth:`to_dict`."""
        fields = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in fields})


@attrs.define
class _Flat:
    """A schema with ``$ref`` resolved and ``allOf`` merged; each part remembers where it is defined."""

    pointer: str
    types: set[str] = attrs.field(factory=set)
    type_pointer: str = ""
    enum: list[Any] | None = None
    enum_pointer: str = ""
    const: Any = _UNSET
    properties: dict[str, tuple[Mapping[str, Any], str]] = attrs.field(factory=dict)
    required: list[tuple[str, str]] = attrs.field(factory=list)
    items: tuple[Mapping[str, Any], str] | None = None
    checks: dict[str, tuple[Any, str]] = attrs.field(factory=dict)


class _Walker:
    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components

    def resolve(self, node: Mapping[str, Any], pointer: str) -> tuple[Mapping[str, Any], str]:
        seen = 0
        while isinstance(node.get("$ref"), str) and seen < 20:
            ref = node["$ref"]
            section, _, name = ref.removeprefix("#/components/").partition("/")
            node, pointer, seen = self.components[section][name], f"#/components/{section}/{name}", seen + 1
        return node, pointer

    def flatten(self, node: Mapping[str, Any], pointer: str, flat: _Flat | None = None) -> _Flat:
        node, pointer = self.resolve(node, pointer)
        flat = flat or _Flat(pointer=pointer)
        for index, part in enumerate(node.get("allOf", ())):
            self.flatten(part, f"{pointer}/allOf/{index}", flat)
        kind = node.get("type")
        if kind is not None:
            flat.types = set(kind) if isinstance(kind, list) else {kind}
            flat.type_pointer = pointer
        if "enum" in node:
            flat.enum, flat.enum_pointer = list(node["enum"]), pointer
        if "const" in node:
            flat.const = node["const"]
        for name, sub in node.get("properties", {}).items():
            flat.properties[name] = (sub, f"{pointer}/properties/{name}")
        flat.required += [(name, pointer) for name in node.get("required", ())]
        if "items" in node:
            flat.items = (node["items"], f"{pointer}/items")
        for key in ("pattern", "minLength", "maxLength", "minimum", "maximum", "format"):
            if key in node:
                flat.checks[key] = (node[key], pointer)
        return flat

    def walk(self, value: Any, node: Mapping[str, Any], pointer: str, at: str) -> Iterator[Finding]:
        flat = self.flatten(node, pointer)
        where = at or "(body)"
        got = type_name(value)
        if flat.types and not any(got in _COMPATIBLE.get(t, {t}) for t in flat.types):
            expected = " or ".join(sorted(flat.types))
            if value is None:
                yield Finding(
                    "null",
                    f"{where}: null where the contract says {expected}",
                    where,
                    expected,
                    "null",
                    flat.type_pointer,
                )
                return
            hint = " (a number written as a string)" if got == "string" and _NUMERIC.match(value) else ""
            yield Finding(
                "type",
                f"{where}: {got} where the contract says {expected}{hint}",
                where,
                expected,
                got,
                flat.type_pointer,
            )
            return
        if flat.const is not _UNSET and value != flat.const:
            yield Finding(
                "const",
                f"{where}: not the constant {flat.const!r} the contract says",
                where,
                repr(flat.const),
                safe_enum_value(value),
                flat.pointer,
            )
            return
        if flat.enum is not None and value not in flat.enum:
            shown = safe_enum_value(value)
            label = repr(shown) if shown is not None else f"a value ({got})"
            yield Finding(
                "enum",
                f"{where}: {label} is not one of {', '.join(map(str, flat.enum))}",
                where,
                ", ".join(map(str, flat.enum)),
                shown,
                flat.enum_pointer,
            )
            return
        yield from self._checks(value, flat, where)
        if isinstance(value, Mapping):
            yield from self._object(value, flat, at)
        elif isinstance(value, list) and flat.items is not None:
            for index, item in enumerate(value):
                yield from self.walk(item, flat.items[0], flat.items[1], f"{at}[{index}]")

    def _object(self, value: Mapping[str, Any], flat: _Flat, where: str) -> Iterator[Finding]:
        prefix = f"{where}." if where else ""
        for name, defined_at in flat.required:
            if name not in value:
                yield Finding(
                    "missing",
                    f"{prefix}{name}: missing; the contract requires it",
                    prefix + name,
                    "present",
                    "absent",
                    f"{defined_at}/required",
                )
        for key, item in value.items():
            if key in flat.properties:
                sub, sub_pointer = flat.properties[key]
                yield from self.walk(item, sub, sub_pointer, prefix + key)
            elif flat.properties:
                key = safe_key(str(key), ())  # not a field of the contract: its name may be a value
                yield Finding(
                    "unknown-field",
                    f"{prefix}{key}: a field the contract does not define ({type_name(item)})",
                    prefix + key,
                    None,
                    type_name(item),
                    f"{flat.pointer}/properties",
                )

    def _checks(self, value: Any, flat: _Flat, where: str) -> Iterator[Finding]:
        def broken(rule: str, defined_at: str) -> Finding:
            return Finding("format", f"{where}: breaks the contract's {rule}", where, rule, None, defined_at)

        if isinstance(value, str):
            pattern = flat.checks.get("pattern")
            if pattern and not re.search(pattern[0], value):
                yield broken(f"pattern {pattern[0]}", pattern[1])
            for key, test in (("minLength", len(value).__lt__), ("maxLength", len(value).__gt__)):
                if key in flat.checks and test(flat.checks[key][0]):
                    yield broken(f"{key} {flat.checks[key][0]} (got {len(value)})", flat.checks[key][1])
            fmt = flat.checks.get("format")
            if fmt and fmt[0] == "date-time" and not _UTC_INSTANT.match(value):
                yield broken("format date-time (RFC 3339 in UTC, Z)", fmt[1])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            for key, test in (("minimum", value.__lt__), ("maximum", value.__gt__)):
                if key in flat.checks and test(flat.checks[key][0]):
                    yield broken(f"{key} {flat.checks[key][0]}", flat.checks[key][1])


def drift(
    schema: Mapping[str, Any], pointer: str, value: Any, components: Mapping[str, Any]
) -> list[Finding]:
    """Every way ``value`` differs from ``schema`` (defined at ``pointer`` in the OpenAPI document)."""
    return list(_Walker(components).walk(value, schema, pointer, ""))
