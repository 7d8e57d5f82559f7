"""Realistic values for generated requests.

Purely random codes almost never exist on the server, so every request would stop at "not found". The
checker mixes values that do exist (the sandbox's seed data, the contract's documented examples and test
codes, and what earlier steps of the run created) with values drawn from the contract's schemas. Every
value is checked against the field's schema first, so requests stay contract-valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from prakerja.contract import Contract

__all__ = ["ValuePool", "contract_examples"]


class ValuePool:
    """Known-good values per field name (``redeem_code``, ``course_code`` ...), in insertion order."""

    def __init__(self) -> None:
        self._values: dict[str, list[Any]] = {}
        self._strategies: dict[tuple[str, str], st.SearchStrategy[Any]] = {}

    def add(self, field: str, value: Any) -> None:
        """Remember ``value`` for ``field`` (duplicates and ``None`` are ignored)."""
        if value is None or value == "":
            return
        bucket = self._values.setdefault(field, [])
        if value not in bucket:
            bucket.append(value)

    def add_many(self, field: str, values: Iterable[Any]) -> None:
        """Remember several values for ``field``."""
        for value in values:
            self.add(field, value)

    def values(self, field: str, schema: Mapping[str, Any] | None = None) -> list[Any]:
        """The known values of ``field`` that satisfy ``schema`` (all of them when no schema is given)."""
        found = list(self._values.get(field, ()))
        if schema is None:
            return found
        validator = jsonschema.Draft202012Validator(dict(schema), format_checker=jsonschema.FormatChecker())
        return [value for value in found if validator.is_valid(value)]

    def strategy(self, field: str, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        """Mostly known values of ``field``, sometimes anything the schema allows.

        Known values come first so that a failing example shrinks towards a realistic request.
        """
        generated = self._schema_strategy(schema)
        known = self.values(field, schema)
        if not known:
            return generated
        realistic = st.sampled_from(known)
        return st.one_of(realistic, realistic, realistic, generated)

    def _schema_strategy(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        key = ("schema", repr(sorted(schema.items(), key=lambda item: item[0])))
        if key not in self._strategies:
            self._strategies[key] = from_schema(dict(schema)).filter(_json_safe)
        return self._strategies[key]


def _json_safe(value: Any) -> bool:
    # Python's "$" also matches before a final newline; ECMA-262 (the contract's regex dialect) does not.
    if isinstance(value, str):
        return not value.endswith("\n") and all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    return True


def contract_examples(contract: Contract) -> dict[str, list[Any]]:
    """Field values the contract itself documents: request examples and the sandbox's magic values."""
    found: dict[str, list[Any]] = {}

    def put(field: str, value: Any) -> None:
        if value is not None:
            found.setdefault(field, []).append(value)

    for operation in contract.operations.values():
        body = operation.spec.get("requestBody", {}).get("content", {}).get("application/json", {})
        for example in body.get("examples", {}).values():
            value = example.get("value") if isinstance(example, Mapping) else None
            if isinstance(value, Mapping):
                for field, item in value.items():
                    put(field, item)
    scenarios = contract.scenarios
    for case in scenarios.get("test_codes", {}).get("cases", ()):
        put("redeem_code", case.get("redeem_code"))
    for example in scenarios.get("example_codes", ()):
        put("redeem_code", example.get("redeem_code"))
        put("invoice_code", example.get("invoice_code"))
        put("course_code", example.get("course_code"))
        put("schedule_code", example.get("schedule_code"))
    for course in scenarios.get("test_courses", ()):
        put("course_code", course.get("code"))
        put("schedule_code", course.get("schedule_code"))
    otp = scenarios.get("otp", {}).get("value")
    put("otp", otp)
    for participant in scenarios.get("magic_participants", {}).get("participants", ()):
        put("prakerja_id", participant.get("prakerja_id"))
    return found
