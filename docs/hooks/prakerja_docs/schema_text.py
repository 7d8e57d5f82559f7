"""Turn the contract's JSON Schemas into rows of a field table: name, type, required, constraints."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs


@attrs.frozen
class FieldRow:
    """One documented field of a request or response body."""

    name: str
    type: str
    required: bool
    constraints: str
    description: str
    inferred_reason: str | None
    decision: str | None


def resolve(document: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$ref`` and ``allOf`` merged in; local keys win over the referenced ones."""
    merged: dict[str, Any] = {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = document
        for part in ref[2:].split("/"):
            target = target[part]
        merged.update(resolve(document, target))
    for part in schema.get("allOf", ()):
        sub = resolve(document, part)
        props = {**merged.get("properties", {}), **sub.get("properties", {})}
        required = [*merged.get("required", []), *sub.get("required", [])]
        merged.update(sub)
        merged["properties"] = props
        merged["required"] = required
    merged.update({k: v for k, v in schema.items() if k not in {"$ref", "allOf"}})
    return merged


def type_name(schema: Mapping[str, Any]) -> str:
    """A short type: ``string (uri)``, ``integer``, ``object``, ``array of string``, ``string or null``."""
    if "const" in schema:
        return f"{schema.get('type', 'value')} = {schema['const']!r}"
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return " or ".join(str(k) for k in kinds)
    if "oneOf" in schema or "anyOf" in schema:
        options = schema.get("oneOf") or schema.get("anyOf") or []
        return " or ".join(type_name(option) for option in options)
    if kinds == "array":
        return f"array of {type_name(schema.get('items', {}))}"
    name = str(kinds or "any")
    fmt = schema.get("format")
    return f"{name} ({fmt})" if fmt else name


def constraints(schema: Mapping[str, Any]) -> str:
    """Pattern, length, range and enum of a field, in a few words."""
    parts: list[str] = []
    if "enum" in schema:
        parts.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
    if "pattern" in schema:
        parts.append(f"pattern `{schema['pattern']}`")
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None or high is not None:
        parts.append(f"length {low or 0}..{high if high is not None else '∞'}")
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        parts.append(f"{low if low is not None else '-∞'}..{high if high is not None else '∞'}")
    if "default" in schema:
        parts.append(f"default `{schema['default']}`")
    if schema.get("deprecated"):
        parts.append("deprecated")
    return "; ".join(parts)


def _decision_text(schema: Mapping[str, Any]) -> str | None:
    decision = schema.get("x-decision")
    if not isinstance(decision, Mapping):
        return None
    number = decision.get("inconsistency")
    prefix = f"Decision (inconsistency {number}): " if number else "Decision: "
    return prefix + str(decision.get("decision", ""))


def field_rows(
    document: Mapping[str, Any], schema: Mapping[str, Any], prefix: str = ""
) -> Iterator[FieldRow]:
    """Every field of an object schema, nested objects flattened as ``parent.child``."""
    resolved = resolve(document, schema)
    required = set(resolved.get("required", ()))
    for name, raw in resolved.get("properties", {}).items():
        field = resolve(document, raw)
        inferred = field.get("x-reason") if field.get("x-provenance") == "inferred" else None
        yield FieldRow(
            name=prefix + name,
            type=type_name(field),
            required=name in required,
            constraints=constraints(field),
            description=str(field.get("description", "")),
            inferred_reason=str(inferred) if inferred else None,
            decision=_decision_text(field),
        )
        if field.get("type") == "object" and field.get("properties"):
            yield from field_rows(document, field, prefix=f"{prefix}{name}.")
        elif field.get("type") == "array" and isinstance(field.get("items"), Mapping):
            items = resolve(document, field["items"])
            if items.get("properties"):
                yield from field_rows(document, items, prefix=f"{prefix}{name}[].")
