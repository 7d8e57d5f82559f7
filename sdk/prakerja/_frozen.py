"""Immutable JSON values for models (hashable ``extra``) and models back to plain data.

:class:`FrozenDict` is a read-only, hashable mapping; :func:`freeze` turns decoded JSON (dicts, lists) into
``FrozenDict`` and ``FrozenList`` (a tuple) all the way down, so a model whose ``extra`` holds nested objects still hashes.
:func:`to_builtins` is the reverse, for ``model.to_dict()``: ``mode="json"`` also turns datetimes into ISO 8601
text (UTC as ``Z``) and enums into their values, ready for ``json.dumps``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar

import attrs

__all__ = ["FrozenDict", "FrozenList", "Mode", "freeze", "to_builtins"]

K = TypeVar("K")
V = TypeVar("V")
Mode = Literal["python", "json"]


class FrozenDict(Mapping[K, V]):
    """A read-only mapping that hashes by its items (its values must be hashable: see :func:`freeze`)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._data: dict[K, V] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        # equal to the JSON it was frozen from: {"x": (1,)} == {"x": [1]}
        if isinstance(other, Mapping):
            return bool(_thaw(self) == _thaw(other))
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        return type(self), (self._data,)


class FrozenList(tuple[Any, ...]):
    """A JSON array, frozen: a tuple that also equals the list it was made from."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return list(self) == other
        return tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return repr(list(self))


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(item) for item in value]
    return value


def freeze(value: Any) -> Any:
    """``value`` with every dict made a :class:`FrozenDict` and every list or set a tuple, recursively."""
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple | set | frozenset):
        return FrozenList(freeze(item) for item in value)
    return value


def _datetime_text(value: datetime) -> str:
    if value.tzinfo is not None and value.utcoffset() == UTC.utcoffset(None):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def to_builtins(value: Any, mode: Mode = "python") -> Any:
    """Plain data from a model, a mapping, a sequence or a scalar (fields not compared are left out)."""
    if attrs.has(type(value)):
        return {
            field.name: to_builtins(getattr(value, field.name), mode)
            for field in attrs.fields(type(value))
            if field.eq
        }
    if isinstance(value, Mapping):
        return {key: to_builtins(item, mode) for key, item in value.items()}
    if isinstance(value, list | tuple):
        items = [to_builtins(item, mode) for item in value]
        return items if mode == "json" or isinstance(value, list) else tuple(items)
    if mode == "json":
        if isinstance(value, enum.Enum):
            return to_builtins(value.value, mode)
        if isinstance(value, datetime):
            return _datetime_text(value)
        if isinstance(value, date):
            return value.isoformat()
    return value
