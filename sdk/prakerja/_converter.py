"""The one cattrs converter: every wire concern of the models lives here.

Responses: JSON types are checked strictly (``"1"`` is not an ``int``, ``1`` is not a ``str``), RFC 3339
strings become aware ``datetime`` objects, enum values become enum members, and keys a model does not know
are kept in its ``extra`` mapping. Requests: fields left at their default (``None``) are omitted, enums
become their values, and keys keep the order of the model's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import Enum
from types import UnionType
from typing import Any, Final, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from prakerja import models

__all__ = ["converter", "describe_structure_error", "structure", "unstructure_request"]

T = TypeVar("T")

converter: Final = cattrs.Converter(forbid_extra_keys=False)


def _strict(kind: type[T]) -> Callable[[Any, type[T]], T]:
    def hook(value: Any, _: type[T]) -> T:
        # bool is an int in Python but never one on the wire.
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return value
        raise TypeError(f"expected a JSON {_JSON_NAMES[kind]}, got {_json_name(value)} {value!r:.60}")

    return hook


_JSON_NAMES: Final[Mapping[type, str]] = {str: "string", int: "integer", bool: "boolean", float: "number"}


def _json_name(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (str, "string"), (int, "integer"), (float, "number")):
        if isinstance(value, kind):
            return name
    return "array" if isinstance(value, list) else "object"


def _datetime(value: Any, _: type[datetime]) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an RFC 3339 date-time string, got {_json_name(value)}")
    parsed = datetime.fromisoformat(value.upper())
    # The contract's instants are UTC; a value without an offset is read as UTC rather than refused.
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


for _kind in (str, int, bool, float):
    converter.register_structure_hook(_kind, _strict(_kind))
converter.register_structure_hook(datetime, _datetime)


def _enum_member(cls: type[Enum]) -> Callable[[Any, Any], Enum]:
    # Look members up by value and by exact JSON type: True is not the member 1, nor "1" the member 1.
    members = dict(cls.__members__.items())
    by_value = {member.value: member for member in members.values()}
    value_type = type(next(iter(by_value)))
    allowed = ", ".join(repr(value) for value in by_value)

    def hook(value: Any, _: Any) -> Enum:
        member = by_value.get(value) if type(value) is value_type else None
        if member is None:
            raise ValueError(f"{value!r:.60} is not one of {allowed}")
        return member

    return hook


def _is_optional(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) in {Union, UnionType} and len(args) == 2 and type(None) in args


def _optional(cls: Any) -> Callable[[Any, Any], Any]:
    # Resolve the inner hook once instead of dispatching on every value.
    inner = next(arg for arg in get_args(cls) if arg is not type(None))
    structure_inner = converter.get_structure_hook(inner)

    def hook(value: Any, _: Any) -> Any:
        return None if value is None else structure_inner(value, inner)

    return hook


# Registered class by class, so that each enum, although an int or a str, gets its own hook, not the
# primitive's; every enum of the models is covered, including ones added later.
for _enum in [cls for cls in vars(models).values() if isinstance(cls, type) and issubclass(cls, Enum)]:
    if _enum is not Enum and _enum.__module__ == models.__name__:
        converter.register_structure_hook(_enum, _enum_member(_enum))
converter.register_structure_hook_factory(_is_optional, _optional)


def _has_extra(cls: Any) -> bool:
    return attrs.has(cls) and "extra" in attrs.fields_dict(cls)


def _keeping_extra(cls: type[T]) -> Callable[[Any, type[T]], T]:
    known = frozenset(field.name for field in attrs.fields(cls) if field.name != "extra")  # type: ignore[arg-type]
    structure_known = make_dict_structure_fn(cls, converter, extra=override(omit=True))

    def hook(value: Any, _: type[T]) -> T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected a JSON object, got {_json_name(value)}")
        result = structure_known(value, cls)
        extra = {key: item for key, item in value.items() if key not in known}
        return attrs.evolve(result, extra=extra) if extra else result  # type: ignore[misc]

    return hook


converter.register_structure_hook_factory(_has_extra, _keeping_extra)
converter.register_unstructure_hook_factory(
    attrs.has, lambda cls: make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)
)


def structure(value: Any, cls: type[T]) -> T:
    """``value`` (parsed JSON) as a ``cls``; raises cattrs' errors, see :func:`describe_structure_error`."""
    return converter.structure(value, cls)


def unstructure_request(request: Any) -> dict[str, Any]:
    """A request model as the JSON object to send."""
    payload: dict[str, Any] = converter.unstructure(request)
    return payload


def _reason(error: BaseException, _: Any) -> str:
    if isinstance(error, KeyError):
        return "required field missing"
    return str(error) or type(error).__name__


def describe_structure_error(error: Exception, *, root: str = "data") -> str:
    """A one-line account of why a response did not fit its model, with JSON paths."""
    if isinstance(error, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(error, path=root, format_exception=_reason))
    return f"{root}: {error}"
