"""Request checks before any rule runs: size, content type, JSON syntax and the contract's body schema.

Size and syntax are :mod:`prakerja_sandbox.bodies` (``read_body``, ``parse_json``), shared by every route.

Schema failures map to the catalogue: a missing (or empty) required field is ERRPLT40003, an unknown field
ERRPLT40006, a wrong JSON type ERRPLT40004, anything else (pattern, enum, range, length, format) ERRPLT40005.
The error's debug block names the field.

Each operation's schema is compiled twice: once for ``jsonschema_rs`` (a fast yes/no for the common, valid
body) and once for ``jsonschema`` (which names and ranks the errors of a refused one). The compiled copy
reads ``pattern`` and ``format`` through the same Python checks as the other, so both give one verdict.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs
import flask
import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from prakerja_sandbox.bodies import decode_json as parse_json
from prakerja_sandbox.bodies import read_body
from prakerja_sandbox.context import Sandbox
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.redaction import is_secret_field

__all__ = ["check_content_type", "parse_json", "read_body", "validate_body"]

_FORMATS = FormatChecker()
_log = logging.getLogger(__name__)


@_FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(ch.isspace() or ord(ch) < 0x20 for ch in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme not in {"http", "https"})


def check_content_type(*, required: bool) -> None:
    """Refuse a body declared as anything but JSON (ERRPLT41501); with ``required`` a missing type too."""
    mimetype = flask.request.mimetype
    if not mimetype:
        if required:
            raise ApiError("ERRPLT41501", detail="send Content-Type: application/json")
        return
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError("ERRPLT41501", detail=f"Content-Type {mimetype!r}; send application/json")


def _resolve(document: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema and str(schema["$ref"]).startswith("#/"):
        target: Any = document
        for part in str(schema["$ref"])[2:].split("/"):
            target = target[part]
        schema = target
    return schema


class _PythonPattern:
    """``pattern`` read as Python's ``re.search`` reads it, as ``jsonschema`` does (not ECMA-262).

    The two dialects differ on real input: ECMA ``\\s`` leaves out ``\\x1c``-``\\x1f`` and ``\\x85``, which
    Python counts as space, so ``[^\\s]`` would let through a value the error path refuses.
    """

    def __init__(self, parent_schema: Mapping[str, Any], value: str, schema_path: list[str | int]) -> None:
        self._regex = re.compile(value)

    def validate(self, instance: Any) -> None:
        """Raise when ``instance`` is a string the pattern does not find."""
        if isinstance(instance, str) and self._regex.search(instance) is None:
            raise ValueError(f"{instance!r} does not match {self._regex.pattern!r}")


def _conforms(format_name: str, value: object) -> bool:
    return _FORMATS.conforms(value, format_name)


def _format_names(document: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            if isinstance(node.get("format"), str):
                names.add(node["format"])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return names


def _fast_validator(operation_id: str, document: dict[str, Any]) -> jsonschema_rs.Validator | None:
    try:
        return jsonschema_rs.Draft202012Validator(
            document,
            # every format the document names is checked by the same Python checker as the error path
            formats={name: functools.partial(_conforms, name) for name in _format_names(document)},
            validate_formats=True,
            keywords={"pattern": _PythonPattern},
            offline=True,
        )
    except Exception:
        _log.debug(
            "%s: no compiled validator; jsonschema alone checks its bodies", operation_id, exc_info=True
        )
        return None


@attrs.frozen
class _Compiled:
    validator: Draft202012Validator
    #: the compiled yes/no check, or ``None`` when ``jsonschema_rs`` could not build one for this schema
    fast: jsonschema_rs.Validator | None
    #: per top-level field, the code a missing, null or empty value answers (``x-missing-code``)
    missing_codes: Mapping[str, str]


def _compiled(sandbox: Sandbox, operation_id: str) -> _Compiled | None:
    if operation_id not in sandbox.validators:
        schema = sandbox.contract.operation(operation_id).request_schema
        compiled = None
        if schema is not None:
            root = _resolve(sandbox.contract.openapi, schema)
            missing = {
                name: str(spec["x-missing-code"])
                for name, spec in root.get("properties", {}).items()
                if isinstance(spec, Mapping) and "x-missing-code" in spec
            }
            document = sandbox.contract.resolvable(schema)
            compiled = _Compiled(
                validator=Draft202012Validator(document, format_checker=_FORMATS),
                fast=_fast_validator(operation_id, document),
                missing_codes=missing,
            )
        sandbox.validators[operation_id] = compiled
    found: _Compiled | None = sandbox.validators[operation_id]
    return found


def _known_valid(compiled: _Compiled, parsed: Any) -> bool:
    if compiled.fast is None:
        return False
    try:
        return compiled.fast.is_valid(parsed)
    except Exception:  # a value it cannot take (a lone surrogate in a string): the error path decides
        return False


def _path(error: ValidationError, name: str | None = None) -> str:
    parts = [str(part) for part in error.absolute_path]
    if name is not None:
        parts.append(name)
    return ".".join(parts) or "$"


def _message(field: str, error: ValidationError) -> str:
    """The validator's message, which quotes the value: not for a secret (an OTP), named by its rule instead."""
    if is_secret_field(field):
        return f"fails the {error.validator} rule of the contract (the value is not shown)"
    return error.message


def _classify(error: ValidationError, required_code: str, missing_codes: Mapping[str, str]) -> ApiError:
    keyword = error.validator
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        required: Any = error.validator_value
        missing = [name for name in required if name not in instance]
        field = _path(error, missing[0] if missing else None)
        code = missing_codes.get(field, required_code) if not error.absolute_path else required_code
        return ApiError(code, field=field, detail=f"{field} is required")
    if keyword in {"additionalProperties", "unevaluatedProperties"}:
        instance = error.instance if isinstance(error.instance, dict) else {}
        known = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        extra = [name for name in instance if name not in known]
        field = _path(error, extra[0] if extra else None)
        return ApiError("ERRPLT40006", field=field, detail=f"unknown field {field}")
    field = _path(error)
    if len(error.absolute_path) == 1 and field in missing_codes and error.instance in (None, ""):
        return ApiError(missing_codes[field], field=field, detail=f"{field} is null or empty")
    if keyword == "type":
        return ApiError("ERRPLT40004", field=field, detail=f"{field}: {_message(field, error)}")
    if keyword == "minLength" and error.instance == "":
        return ApiError(required_code, field=field, detail=f"{field} is empty")
    return ApiError("ERRPLT40005", field=field, detail=f"{field}: {_message(field, error)}")


_PRIORITY = {"ERRPLT40006": 1, "ERRPLT40004": 2}


def _rank(error: ApiError, required_codes: set[str]) -> int:
    return 0 if error.code in required_codes else _PRIORITY.get(error.code, 3)


def _first(errors: Iterable[ValidationError], required_code: str, compiled: _Compiled) -> ApiError | None:
    found: list[ApiError] = []
    for error in errors:
        if error.validator in {"oneOf", "anyOf"} and error.context:
            error = best_match(error.context)
        found.append(_classify(error, required_code, compiled.missing_codes))
    if not found:
        return None
    required_codes = {required_code, *compiled.missing_codes.values()}
    return min(found, key=lambda item: _rank(item, required_codes))


def validate_body(
    sandbox: Sandbox, operation_id: str, parsed: Any, *, required_code: str = "ERRPLT40003"
) -> dict[str, Any]:
    """``parsed`` checked against the operation's request schema; ``required_code`` replaces ERRPLT40003."""
    if not isinstance(parsed, dict):
        raise ApiError("ERRPLT40002", detail=f"the body is a JSON {type(parsed).__name__}, not an object")
    compiled = _compiled(sandbox, operation_id)
    if compiled is not None and not _known_valid(compiled, parsed):
        problem = _first(compiled.validator.iter_errors(parsed), required_code, compiled)
        if problem is not None:
            raise problem
    return parsed
