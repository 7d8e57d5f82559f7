"""The ambiguity register (contracts/ambiguities.yaml): its shape, and that what it names exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from prakerja.contract import load_contract

_TEXT = {"type": "string", "minLength": 1}
_READING = {
    "type": "object",
    "required": ["id", "text", "source", "provenance"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9_-]+$"},
        "text": _TEXT,
        "source": _TEXT,
        "provenance": {"enum": ["documented", "inferred", "observed"]},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "warnings", "ambiguities"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "warnings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "ambiguity", "title", "text", "hint", "strict_codes"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^SBXW[0-9]{3}$"},
                    "ambiguity": _TEXT,
                    "title": _TEXT,
                    # a header value: printable ASCII, no double quote (the text is quoted in the header)
                    "text": {"type": "string", "pattern": "^[ !#-~]+$"},
                    "hint": _TEXT,
                    "strict_codes": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                },
            },
        },
        "ambiguities": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "point",
                    "readings",
                    "sdk_sends",
                    "sdk_accepts",
                    "sandbox_default",
                    "sandbox_strict",
                    "warning",
                ],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                    "point": _TEXT,
                    "decision": {"type": ["string", "null"]},
                    "readings": {"type": "array", "minItems": 2, "items": _READING},
                    "sdk_sends": _TEXT,
                    "sdk_accepts": _TEXT,
                    "sandbox_default": _TEXT,
                    "sandbox_strict": _TEXT,
                    "warning": {"type": ["string", "null"], "pattern": "^SBXW[0-9]{3}$"},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def raw() -> Any:
    contract = load_contract()
    with (contract.root / "ambiguities.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def test_the_register_matches_its_schema(raw: Any) -> None:
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(raw), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_refuses_an_entry_without_its_sandbox_columns(raw: Any) -> None:
    broken = {
        **raw,
        "ambiguities": [{k: v for k, v in raw["ambiguities"][0].items() if k != "sandbox_strict"}],
    }
    assert not Draft202012Validator(SCHEMA).is_valid(broken)


def test_ids_codes_and_readings_are_unique(raw: Any) -> None:
    ids = [entry["id"] for entry in raw["ambiguities"]]
    codes = [entry["code"] for entry in raw["warnings"]]
    assert len(ids) == len(set(ids))
    assert len(codes) == len(set(codes))
    for entry in raw["ambiguities"]:
        readings = [reading["id"] for reading in entry["readings"]]
        assert len(readings) == len(set(readings)), entry["id"]


def test_every_warning_belongs_to_exactly_one_entry_and_back() -> None:
    contract = load_contract()
    named = {entry.warning: entry.id for entry in contract.ambiguities.values() if entry.warning}
    assert set(named) == set(contract.sandbox_warnings)
    for code, warning in contract.sandbox_warnings.items():
        assert named[code] == warning.ambiguity
        assert warning.header == f'{code} "{warning.text}"'
        assert warning.header.isascii()


def test_strict_refusals_are_catalogue_codes_and_decisions_exist() -> None:
    contract = load_contract()
    decisions = {item["id"] for item in contract.openapi["x-decisions"]}
    for warning in contract.sandbox_warnings.values():
        for code in warning.strict_codes:
            assert contract.error(code).http_status >= 400
    for entry in contract.ambiguities.values():
        assert entry.decision is None or entry.decision in decisions, entry.id


def test_an_entry_with_a_warning_says_how_default_and_strict_differ() -> None:
    for entry in load_contract().ambiguities.values():
        if entry.warning:
            assert entry.warning in entry.sandbox_default
            assert entry.sandbox_default != entry.sandbox_strict
            codes = set(re.findall(r"ERR[A-Z]+[0-9]+", entry.sandbox_strict))
            assert codes <= set(load_contract().sandbox_warning(entry.warning).strict_codes), entry.id
            assert codes, entry.id
