"""Hypothesis strategies for the contract's JSON Schemas.

Leaf schemas (strings, numbers, enums, consts) go to ``hypothesis_jsonschema.from_schema``. Objects are
assembled here: hypothesis-jsonschema 0.23's object strategy relies on a Hypothesis internal
(``many.more``) that current Hypothesis no longer has, so ``from_schema`` fails on any object schema. The
contract's objects only use ``properties``, ``required``, ``additionalProperties``, ``$ref`` and ``allOf``,
which this module covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

JSON_SCALARS = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


class SchemaStrategies:
    """Strategies for the schemas of one OpenAPI document (its ``components`` resolve ``$ref``)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema`` with a top-level ``$ref`` followed (siblings such as descriptions dropped)."""
        while "$ref" in schema:
            node: Any = self._document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def _merge(self, parts: list[Mapping[str, Any]]) -> dict[str, Any]:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in (self.resolve(p) for p in parts):
            if "allOf" in part:
                part = self._merge(list(part["allOf"]))
            for name, prop in part.get("properties", {}).items():
                previous = merged["properties"].get(name)
                merged["properties"][name] = prop if previous is None else {"allOf": [previous, prop]}
            merged["required"] += [r for r in part.get("required", []) if r not in merged["required"]]
            if part.get("additionalProperties") is False:
                merged["additionalProperties"] = False
        return merged

    def _is_object(self, schema: Mapping[str, Any]) -> bool:
        return schema.get("type") == "object" or "properties" in schema or "allOf" in schema

    def _allof_leaf(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        # allOf of a loose "object" and a referenced object: the referenced one is the real shape.
        parts = [self.resolve(p) for p in schema["allOf"]]
        detailed = [p for p in parts if "properties" in p or "allOf" in p]
        return self._merge(detailed or parts)

    def strategy(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        """Values that validate against ``schema``."""
        schema = self.resolve(schema)
        if "allOf" in schema:
            schema = self._allof_leaf(schema)
        if not self._is_object(schema):
            return from_schema({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema})
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        fixed = st.fixed_dictionaries(
            {name: self.strategy(prop) for name, prop in properties.items() if name in required},
            optional={name: self.strategy(prop) for name, prop in properties.items() if name not in required},
        )
        if schema.get("additionalProperties") is False:
            return fixed
        unknown = st.dictionaries(
            st.text(min_size=1, max_size=12).filter(lambda key: key not in properties),
            JSON_VALUES,
            max_size=2,
        )
        return st.builds(lambda known, extra: {**extra, **known}, fixed, unknown)
