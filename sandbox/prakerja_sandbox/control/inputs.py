"""Reading control API input: a JSON object body and query parameters, refused with catalogue codes.

Malformed JSON answers ERRPLT40001, a body that is not an object ERRPLT40002, a missing field ERRPLT40003, a
wrong type ERRPLT40004, a bad value ERRPLT40005 and an unknown field ERRPLT40006, each naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

import flask

from prakerja_sandbox.bodies import decode_json, read_body
from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.errors import ApiError

__all__ = ["INT64_MAX", "INT64_MIN", "Body", "json_body", "query_int", "query_text"]

#: The integers a SQLite column holds.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


def json_body(allowed: Iterable[str]) -> Body:
    """The request's JSON object (an empty body is ``{}``), checked against the ``allowed`` field names.

    Read and decoded as every partner route reads its body (:mod:`prakerja_sandbox.bodies`): size limit on any
    transfer encoding, nesting depth and lone surrogates refused with catalogue codes.
    """
    raw = read_body(current_sandbox().config.max_body_bytes)
    if not raw.strip():
        return Body({}, allowed)
    parsed = decode_json(raw)
    if not isinstance(parsed, dict):
        raise ApiError("ERRPLT40002", detail="send a JSON object, e.g. {}")
    return Body(parsed, allowed)


class Body:
    """Typed access to the fields of a JSON object body."""

    def __init__(self, values: dict[str, Any], allowed: Iterable[str]) -> None:
        known = set(allowed)
        for name in values:
            if name not in known:
                raise ApiError("ERRPLT40006", field=name, detail=f"known fields: {', '.join(sorted(known))}")
        self.values = values

    def __contains__(self, name: str) -> bool:
        return self.values.get(name) is not None

    def _get(self, name: str, required: bool) -> Any:
        value = self.values.get(name)
        if value is None and required:
            raise ApiError("ERRPLT40003", field=name, detail=f"{name} is required")
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        default: int | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An integer field (``true``/``false`` are not integers); unbounded sides stop at SQLite's 64 bits."""
        value = self._get(name, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise ApiError("ERRPLT40004", field=name, detail=f"{name} is an integer")
        _check_range(
            name, value, INT64_MIN if minimum is None else minimum, INT64_MAX if maximum is None else maximum
        )
        return value

    def number(self, name: str, *, default: float, minimum: float, maximum: float) -> float:
        """A number field."""
        value = self._get(name, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a number")
        _check_range(name, value, minimum, maximum)
        return float(value)

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        default: str | None = None,
        pattern: str | None = None,
        choices: Collection[str] | None = None,
        max_length: int = 256,
    ) -> str | None:
        """A string field, optionally matching ``pattern`` or one of ``choices``."""
        value = self._get(name, required)
        if value is None:
            return default
        if not isinstance(value, str):
            raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a string")
        if choices is not None and value not in choices:
            raise ApiError("ERRPLT40005", field=name, detail=f"one of: {', '.join(choices)}")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise ApiError("ERRPLT40005", field=name, detail=f"must match {pattern}")
        if not value.strip() or len(value) > max_length:
            raise ApiError("ERRPLT40005", field=name, detail=f"1 to {max_length} characters")
        return value

    def required_text(
        self,
        name: str,
        *,
        pattern: str | None = None,
        choices: Collection[str] | None = None,
        max_length: int = 256,
    ) -> str:
        """A string field that must be present."""
        value = self.text(name, required=True, pattern=pattern, choices=choices, max_length=max_length)
        assert value is not None  # required=True refused a missing value
        return value

    def flag(self, name: str, *, default: bool) -> bool:
        """A boolean field."""
        value = self._get(name, False)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ApiError("ERRPLT40004", field=name, detail=f"{name} is true or false")
        return value

    def texts(self, name: str) -> list[str] | None:
        """A list of strings."""
        value = self._get(name, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ApiError("ERRPLT40004", field=name, detail=f"{name} is a list of strings")
        return list(value)


def _check_range(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        low = "" if minimum is None else f"{minimum}"
        high = "" if maximum is None else f"{maximum}"
        raise ApiError("ERRPLT40005", field=name, detail=f"{name} must be within [{low}, {high}]")


def query_int(name: str, *, default: int, minimum: int = 0, maximum: int = 1_000_000) -> int:
    """An integer query parameter."""
    text = flask.request.args.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise ApiError("ERRPLT40004", field=name, detail=f"{name} is an integer") from None
    _check_range(name, value, minimum, maximum)
    return value


def query_text(name: str, *, choices: Collection[str] | None = None, max_length: int = 256) -> str | None:
    """A text query parameter (empty counts as absent)."""
    text = flask.request.args.get(name)
    if text is None or text == "":
        return None
    if choices is not None and text not in choices:
        raise ApiError("ERRPLT40005", field=name, detail=f"one of: {', '.join(choices)}")
    if len(text) > max_length:
        raise ApiError("ERRPLT40005", field=name, detail=f"at most {max_length} characters")
    return text
