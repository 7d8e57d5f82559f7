"""Every wire concern of the models: the tolerant reader of answers and the writer of request bodies.

Answers are read tolerantly, because the real API's answers are documented only in part and sometimes
contradict themselves (``contracts/ambiguities.yaml``). :func:`read` never raises:

* a number given as a numeric string is read as a number, and a number where text is expected as text
  (``data.amount`` ``"1950000"``, ``invoice_code`` ``12345``); ``0``/``1`` and ``"true"``/``"false"`` as
  booleans; Unix seconds or RFC 3339 text (an offset-less one read as UTC) as an aware ``datetime``;
* a value of an enumeration the SDK does not know is kept as its ``UNKNOWN`` pseudo-member
  (:class:`prakerja.models.OpenEnum`), with a warning;
* a missing or ``null`` optional field is ``None``; a missing, ``null`` or unreadable required field is
  ``None`` with a warning;
* keys the contract does not know are kept in ``extra``.

Each model gets ``decode_warnings`` and ``raw_data`` (what it was read from). :func:`decoder` adds the one
refusal a read may make: the data the caller asked for is absent. Requests: fields left at their default
(``None``) are omitted, enums become their values, and keys keep the order of the model's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from enum import Enum
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Final, TypeVar, Union, get_args, get_origin

import attrs

from prakerja._frozen import FrozenDict

if TYPE_CHECKING:
    import cattrs

    from prakerja.models import DecodeWarning

__all__ = [
    "DataAbsentError",
    "decoder",
    "read",
    "read_tolerantly",
    "request_converter",
    "unstructure_request",
]

T = TypeVar("T")

_REQUEST_CONVERTER: list[cattrs.Converter] = []


def request_converter() -> cattrs.Converter:
    """The cattrs converter that writes request bodies, made on the first request (cattrs loads then)."""
    if not _REQUEST_CONVERTER:
        import cattrs
        from cattrs.gen import make_dict_unstructure_fn

        made = cattrs.Converter()
        made.register_unstructure_hook_factory(
            attrs.has, lambda cls: make_dict_unstructure_fn(cls, made, _cattrs_omit_if_default=True)
        )
        _REQUEST_CONVERTER.append(made)
    return _REQUEST_CONVERTER[0]


_NOT_WIRE: Final = frozenset({"extra", "decode_warnings", "raw_data"})
_INTEGER: Final = re.compile(r"\s*[+-]?[0-9]+\s*")


class DataAbsentError(ValueError):
    """A read's answer lacks what the caller asked for; ``paths`` name it, ``warnings`` say what was read."""

    def __init__(self, paths: Sequence[str], warnings: Sequence[DecodeWarning]) -> None:
        detail = "; ".join(str(warning) for warning in warnings) or "no data"
        super().__init__(f"lacks {', '.join(paths)} ({detail})")
        self.paths = tuple(paths)
        self.warnings = tuple(warnings)


class _Unreadable(Exception):
    pass


def _json_name(value: Any) -> str:
    if value is None:
        return "null"
    for kind, name in ((bool, "boolean"), (str, "string"), (int, "integer"), (float, "number")):
        if isinstance(value, kind):
            return name
    return "array" if isinstance(value, list) else "object"


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise _Unreadable
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise _Unreadable


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Unreadable


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1) and isinstance(value, int):
        return bool(value)
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise _Unreadable


def _datetime(value: Any) -> datetime:
    if isinstance(value, str) and not _INTEGER.fullmatch(value):
        try:
            parsed = datetime.fromisoformat(value.strip().upper())
        except ValueError:
            raise _Unreadable from None
        # The contract's instants are UTC; a value without an offset is read as UTC rather than refused.
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    try:
        return datetime.fromtimestamp(_int(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise _Unreadable from None


_PRIMITIVES: Final[Mapping[Any, Callable[[Any], Any]]] = {
    int: _int,
    str: _str,
    bool: _bool,
    datetime: _datetime,
}


def _enum(value: Any, cls: type[Enum], path: str, warnings: list[DecodeWarning]) -> Any:
    from prakerja.models import DecodeWarning, OpenEnum

    member_type = int if issubclass(cls, int) else str
    wire = _PRIMITIVES[member_type](value)
    member = cls._value2member_map_.get(wire)
    if member is not None:
        return member
    if not issubclass(cls, OpenEnum):
        raise _Unreadable
    known = ", ".join(repr(m.value) for m in cls)
    warnings.append(
        DecodeWarning(path=path, message=f"{wire!r:.60} is not a {cls.__name__} the SDK knows ({known})")
    )
    return cls.unknown(wire)


def _inner(kind: Any) -> tuple[Any, bool]:
    """The type inside ``X | None`` and whether ``None`` is allowed."""
    if get_origin(kind) in {Union, UnionType}:
        args = [arg for arg in get_args(kind) if arg is not NoneType]
        return (args[0] if len(args) == 1 else Any), NoneType in get_args(kind)
    return kind, False


class _Plan:
    """What reading ``cls`` needs, worked out once per model: its wire fields and how to read each exactly."""

    __slots__ = ("cls", "exact", "fields", "has_extra", "is_answer", "known")

    def __init__(self, cls: type[Any]) -> None:
        attrs.resolve_types(cls)
        self.cls = cls
        #: (name, type, may be None, required) of each wire field, for the tolerant walk.
        self.fields: tuple[tuple[str, Any, bool, bool], ...] = tuple(
            (field.name, *_inner(field.type), field.default is attrs.NOTHING)
            for field in attrs.fields(cls)
            if field.name not in _NOT_WIRE
        )
        #: (name, exact wire type or None, reader or None, refused when None) for the fast path.
        self.exact: tuple[tuple[str, type | None, Callable[[Any], Any] | None, bool], ...] = tuple(
            (name, *_exact_reader(kind), required and not nullable)
            for name, kind, nullable, required in self.fields
        )
        self.known = frozenset(name for name, *_ in self.fields)
        from prakerja.models import Answer

        self.is_answer = issubclass(cls, Answer)
        self.has_extra = "extra" in attrs.fields_dict(cls)


_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Any]) -> _Plan:
    found = _PLANS.get(cls)
    if found is None:
        found = _PLANS.setdefault(cls, _Plan(cls))
    return found


def _fields(cls: type[Any]) -> tuple[tuple[str, Any, bool, bool], ...]:
    """(name, type, may be None, required) of each wire field of ``cls``."""
    return _plan(cls).fields


def _value(value: Any, kind: Any, path: str, warnings: list[DecodeWarning]) -> Any:
    if attrs.has(kind):
        if not isinstance(value, Mapping):
            raise _Unreadable
        return _model(value, kind, path, warnings)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum(value, kind, path, warnings)
    reader = _PRIMITIVES.get(kind)
    return value if reader is None else reader(value)


def _model(data: Any, cls: type[T], path: str, warnings: list[DecodeWarning]) -> T:
    """The tolerant walk: reads what it can, notes a warning for everything else."""
    from prakerja.models import DecodeWarning

    if not isinstance(data, Mapping):
        warnings.append(DecodeWarning(path=path, message=f"expected an object, got {_json_name(data)}"))
        data = {}
    plan = _plan(cls)
    values: dict[str, Any] = {}
    for name, kind, nullable, required in plan.fields:
        where = f"{path}.{name}"
        raw = data.get(name)
        if raw is None:
            if required and not nullable:
                problem = "is null" if name in data else "required field missing"
                warnings.append(DecodeWarning(path=where, message=problem))
            values[name] = None
            continue
        try:
            values[name] = _value(raw, kind, where, warnings)
        except _Unreadable:
            what = getattr(kind, "__name__", str(kind))
            warnings.append(
                DecodeWarning(
                    path=where, message=f"expected {what}, got {_json_name(raw)} {raw!r:.60}; read as None"
                )
            )
            values[name] = None
    if plan.is_answer:
        own = tuple(w for w in warnings if w.path == path or w.path.startswith(f"{path}."))
        values |= {"decode_warnings": own, "raw_data": data}
    if plan.has_extra:
        values["extra"] = {key: item for key, item in data.items() if key not in plan.known}
    return cls(**values)


# The fast path. An answer that already fits its model exactly (every value of its wire type, every
# enumeration value known, every required field present) reads to what the tolerant walk would give, with
# no warnings; the fast path reads only such answers and gives up (``_Inexact``) at the first value that
# does not fit, and the tolerant walk then reads the answer from the start. A property test holds both
# paths to equal results.


_NO_EXTRA: Final[FrozenDict[str, Any]] = FrozenDict()


class _Inexact(Exception):
    pass


def _exact_enum(cls: type[Enum]) -> Callable[[Any], Any]:
    wire = int if issubclass(cls, int) else str
    members = cls._value2member_map_

    def member(value: Any) -> Any:
        if type(value) is wire:
            found = members.get(value)
            if found is not None:
                return found
        raise _Inexact

    return member


def _exact_datetime(value: Any) -> datetime:
    try:
        return _datetime(value)
    except _Unreadable:
        raise _Inexact from None


def _exact_reader(kind: Any) -> tuple[type | None, Callable[[Any], Any] | None]:
    """(the wire type read as it is, or else the reader of the exact value; neither: refuse)."""
    if attrs.has(kind):
        return None, lambda value: _exact_model(value, kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return None, _exact_enum(kind)
    if kind is datetime:
        return None, _exact_datetime
    if kind in (int, str, bool):
        return kind, None
    if kind in _PRIMITIVES:  # a primitive without an exact spelling: the tolerant walk reads it
        return None, None
    return None, _same


def _same(value: Any) -> Any:
    return value


def _exact_model(data: Any, cls: type[T]) -> T:
    if type(data) is not dict:
        raise _Inexact
    plan = _plan(cls)
    values: dict[str, Any] = {}
    get = data.get
    for name, wire, reader, refused_when_none in plan.exact:
        raw = get(name)
        if raw is None:
            if refused_when_none:
                raise _Inexact
            values[name] = None
        elif type(raw) is wire:
            values[name] = raw
        elif reader is not None:
            values[name] = reader(raw)
        else:
            raise _Inexact
    if plan.is_answer:
        values["decode_warnings"] = ()
        values["raw_data"] = data
    if plan.has_extra:
        known = plan.known
        # the common case, no unknown keys: one shared empty mapping, already frozen
        values["extra"] = (
            _NO_EXTRA
            if data.keys() <= known
            else {key: item for key, item in data.items() if key not in known}
        )
    return cls(**values)


def read(data: Any, cls: type[T], *, path: str = "data") -> T:
    """``data`` (parsed JSON) read into ``cls`` as well as it can be; never raises for what it is given."""
    try:
        return _exact_model(data, cls)
    except _Inexact:
        return _model(data, cls, path, [])


def read_tolerantly(data: Any, cls: type[T], *, path: str = "data") -> T:
    """:func:`read` without its fast path: always the tolerant walk (what the fast path must equal)."""
    return _model(data, cls, path, [])


def _lookup(result: Any, names: Sequence[str]) -> Any:
    for name in names:
        result = getattr(result, name, None)
    return result


def decoder(cls: type[T], *, needs: Sequence[str] | None = None) -> Callable[[Any], T]:
    """A ``decode`` that reads ``data`` into ``cls``.

    For a call that changes state leave ``needs`` out: its answer never raises. For a read, ``needs`` lists
    the dotted fields the caller asks for (possibly none): :class:`DataAbsentError` is raised when ``data``
    is not an object or one of them could not be read.
    """
    key = (cls, None if needs is None else tuple(needs))
    found = _DECODERS.get(key)
    if found is None:  # one per model and fields asked for: the operations ask for one on every call
        found = _DECODERS.setdefault(key, _decoder(cls, key[1]))
    return found


_DECODERS: dict[tuple[type[Any], tuple[str, ...] | None], Callable[[Any], Any]] = {}


def _decoder(cls: type[T], needs: tuple[str, ...] | None) -> Callable[[Any], T]:
    paths = () if needs is None else tuple((f"data.{path}", path.split(".")) for path in needs)

    def decode(data: Any) -> T:
        result = read(data, cls)
        if needs is None:
            return result
        absent = [where for where, names in paths if _lookup(result, names) is None]
        if not isinstance(data, dict) and not isinstance(data, Mapping):
            absent.insert(0, "data")
        if absent:
            raise DataAbsentError(absent, getattr(result, "decode_warnings", ()))
        return result

    return decode


def unstructure_request(request: Any) -> dict[str, Any]:
    """A request model as the JSON object to send."""
    converter = _REQUEST_CONVERTER[0] if _REQUEST_CONVERTER else request_converter()
    payload: dict[str, Any] = converter.unstructure(request)
    return payload
