"""Realistic values for generated requests.

Purely random codes almost never exist on the server, so every request would stop at "not found". The
checker mixes values that do exist (the sandbox's seed data, the contract's documented examples and test
codes, and what earlier steps of the run created) with values drawn from the contract's schemas. Every
value is checked against the field's schema first, so requests stay contract-valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema
from hypothesis import strategies as st

from prakerja.contract import Contract

__all__ = ["ValuePool", "add_contract_values"]


class ValuePool:
    """Known-good values per field name (``redeem_code``, ``course_code`` ...), in insertion order."""

    def __init__(self) -> None:
        self._values: dict[str, list[Any]] = {}
        self._live: dict[str, list[Any]] = {}
        self._records: list[dict[str, Any]] = []
        self._strategies: dict[tuple[str, str], st.SearchStrategy[Any]] = {}

    def add_record(self, *, live: bool = False, **fields: Any) -> None:
        """Remember values that belong together (a course and its schedule and price; an invoice and its
        transaction), so a request can carry a combination the server knows. Each value is also added alone.
        """
        record = {name: value for name, value in fields.items() if value is not None and value != ""}
        if len(record) >= 2 and record not in self._records:
            self._records.append(record)
        for name, value in record.items():
            self.add(name, value, live=live)

    def records(self, schemas: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Known combinations of at least two of the fields in ``schemas``, each value valid for its field."""
        found: list[dict[str, Any]] = []
        for record in self._records:
            shared = {name: value for name, value in record.items() if name in schemas}
            if len(shared) < 2 or shared in found:
                continue
            if all(_validator(schemas[name]).is_valid(value) for name, value in shared.items()):
                found.append(shared)
        return found

    def add(self, field: str, value: Any, *, live: bool = False) -> None:
        """Remember ``value`` for ``field`` (duplicates and ``None`` are ignored).

        ``live`` values come from the server itself (its control API) and are drawn most often.
        """
        if value is None or value == "":
            return
        for bucket in (
            self._values.setdefault(field, []),
            *([self._live.setdefault(field, [])] if live else []),
        ):
            if value not in bucket:
                bucket.append(value)

    def values(self, field: str, schema: Mapping[str, Any] | None = None, *, live: bool = False) -> list[Any]:
        """The known (or only the live) values of ``field`` that satisfy ``schema``."""
        found = list((self._live if live else self._values).get(field, ()))
        if schema is None:
            return found
        validator = _validator(schema)
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
        live = self.values(field, schema, live=True)
        if live:
            from_server = st.sampled_from(live)
            return st.one_of(from_server, from_server, realistic, generated)
        return st.one_of(realistic, realistic, realistic, generated)

    def _schema_strategy(self, schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        key = ("schema", repr(sorted(schema.items(), key=lambda item: item[0])))
        if key not in self._strategies:
            # imported here: hypothesis-jsonschema builds strategies at import, which pytest start-up dislikes
            from hypothesis_jsonschema import from_schema

            self._strategies[key] = from_schema(dict(schema)).filter(_json_safe)
        return self._strategies[key]


def _validator(schema: Mapping[str, Any]) -> jsonschema.protocols.Validator:
    return jsonschema.Draft202012Validator(dict(schema), format_checker=jsonschema.FormatChecker())


def _json_safe(value: Any) -> bool:
    # Python's "$" also matches before a final newline; ECMA-262 (the contract's regex dialect) does not.
    if isinstance(value, str):
        return not value.endswith("\n") and all(not 0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    return True


def add_contract_values(pool: ValuePool, contract: Contract, *, seed_data: bool) -> None:
    """Add the values the contract documents: request examples, test codes and courses, magic participants.

    With ``seed_data`` (the server is a sandbox) the seeded courses and schedules of ``partners.yaml`` come
    too, each with its price.
    """
    for operation in contract.operations.values():
        body = operation.spec.get("requestBody", {}).get("content", {}).get("application/json", {})
        for example in body.get("examples", {}).values():
            value = example.get("value") if isinstance(example, Mapping) else None
            if isinstance(value, Mapping):
                pool.add_record(**value)
    scenarios = contract.scenarios
    for case in scenarios.get("test_codes", {}).get("cases", ()):
        pool.add_record(redeem_code=case.get("redeem_code"), sequence=case.get("sequence"))
    for example in scenarios.get("example_codes", ()):
        pool.add_record(
            redeem_code=example.get("redeem_code"),
            invoice_code=example.get("invoice_code"),
            course_code=example.get("course_code"),
            schedule_code=example.get("schedule_code"),
        )
        for task in example.get("assignments", ()):
            pool.add_record(
                redeem_code=example.get("redeem_code"), scope=task.get("scope"), sequence=task.get("sequence")
            )
    for course in scenarios.get("test_courses", ()):
        pool.add_record(
            course_code=course.get("code"),
            schedule_code=course.get("schedule_code"),
            amount=course.get("price"),
        )
    pool.add("otp", scenarios.get("otp", {}).get("value"))
    for participant in scenarios.get("magic_participants", {}).get("participants", ()):
        pool.add("prakerja_id", participant.get("prakerja_id"))
    if not seed_data:
        return
    for course in contract.partners.get("courses", ()):
        for schedule in course.get("schedules", ()):
            pool.add_record(
                course_code=course.get("code"), schedule_code=schedule.get("code"), amount=course.get("price")
            )
    for participant in contract.partners.get("participants", ())[:100]:
        pool.add("prakerja_id", participant.get("prakerja_id"))
