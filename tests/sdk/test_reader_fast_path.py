"""The reader's fast path gives exactly what the tolerant walk gives.

:func:`prakerja._converter.read` first tries a fast path that reads only answers fitting their model exactly
and otherwise hands the answer to the tolerant walk (:func:`prakerja._converter.read_tolerantly`). Both must
agree on every answer: the fields, ``extra``, ``raw_data`` and ``decode_warnings`` of the model and of every
model nested in it. Answers come from the contract's response schemas (hypothesis-jsonschema) and from the
contract's examples mutated as the tolerant reader's tests mutate them, plus generated JSON of any shape.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja import models
from prakerja._converter import _exact_model, _Inexact, read, read_tolerantly

from .operations import API_OPERATIONS, CONTRACT, response_example, response_schema
from .schema_strategies import JSON_VALUES, SchemaStrategies
from .test_operations import EXPECTED_RESULT
from .test_tolerant_reader import mutated

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
STRATEGIES = SchemaStrategies(CONTRACT.openapi)
#: Operations whose answer's ``data`` is read into their model (a void's answer has none: its result is
#: built from a read-back, whose answer is the status operation's).
MODEL_OPERATIONS = [op for op in API_OPERATIONS if "data" in response_example(op)]
NOT_WIRE = {"extra", "decode_warnings", "raw_data"}
#: Every model the reader is asked for, nested ones included.
MODELS = sorted(
    {cls for name in models.__all__ if attrs.has(cls := getattr(models, name))}, key=lambda cls: cls.__name__
)


def _everything(value: Any) -> Any:
    """``value`` with every attrs field spelled out, those left out of equality (warnings, raw data) too."""
    if attrs.has(type(value)):
        return (
            type(value),
            {field.name: _everything(getattr(value, field.name)) for field in attrs.fields(type(value))},
        )
    if isinstance(value, tuple):
        return tuple(_everything(item) for item in value)
    return type(value), value


def _same(data: Any, cls: type[Any]) -> Any:
    fast, tolerant = read(data, cls), read_tolerantly(data, cls)
    assert _everything(fast) == _everything(tolerant)
    assert repr(fast) == repr(tolerant)
    return fast


@pytest.mark.parametrize("operation_id", MODEL_OPERATIONS)
def test_a_contract_valid_answer_reads_alike_on_both_paths(operation_id: str) -> None:
    cls = EXPECTED_RESULT[operation_id]

    @PROPERTY
    @given(body=STRATEGIES.strategy(response_schema(operation_id)))
    def check(body: dict[str, Any]) -> None:
        _same(body.get("data"), cls)

    check()


@pytest.mark.parametrize("operation_id", MODEL_OPERATIONS)
def test_a_mutated_answer_reads_alike_on_both_paths(operation_id: str) -> None:
    cls = EXPECTED_RESULT[operation_id]

    @PROPERTY
    @given(case=mutated(operation_id))
    def check(case: tuple[dict[str, Any], Any, Any]) -> None:
        data, done, extras = case
        result = _same(data, cls)
        if not done and not extras:  # the example itself fits the contract: no warnings either way
            assert result.decode_warnings == ()

    check()


def _fitting(kind: Any) -> st.SearchStrategy[Any]:
    """Values of the exact wire type of a field of type ``kind`` (enumerations: known or not)."""
    if attrs.has(kind):
        return st.deferred(lambda: _wire_object(kind))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = [member.value for member in kind]
        unknown = st.integers(-5, 1000) if issubclass(kind, int) else st.text(max_size=8)
        return st.sampled_from(values) | unknown
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(-(2**40), 2**40)
    if kind is datetime:
        return st.datetimes(timezones=st.just(UTC) | st.none()).map(lambda d: d.isoformat()) | st.integers(
            -(2**33), 2**33
        )
    return st.text(max_size=12)


#: Other spellings: what the tolerant walk reads (a numeric string, 0/1, "true", an offset-less time) or
#: refuses (a float, an object), and null.
OTHER = st.one_of(
    st.just(None),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(-3, 3).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["true", "False", " 7 ", "2024-01-02T03:04:05", "2024-01-02 03:04:05+07:00"]),
    JSON_VALUES,
)


@st.composite
def _wire_object(draw: st.DrawFn, cls: type[Any]) -> dict[str, Any]:
    """A JSON object for ``cls``: every wire field of its exact type, then a few fields spelled otherwise
    or left out, and perhaps keys the model does not know."""
    attrs.resolve_types(cls)
    data: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name not in NOT_WIRE:
            kind = field.type
            args = [arg for arg in getattr(kind, "__args__", ()) if arg is not type(None)]
            data[field.name] = draw(_fitting(args[0] if len(args) == 1 else kind))
    for name in draw(st.lists(st.sampled_from(sorted(data)), unique=True, max_size=2)) if data else []:
        if draw(st.booleans()):
            data[name] = draw(OTHER)
        else:
            del data[name]
    for key in draw(st.lists(st.sampled_from(["x_other", "note", "amount_text"]), unique=True, max_size=2)):
        data[key] = draw(JSON_VALUES)
    return data


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_a_generated_object_reads_alike_on_both_paths(cls: type[Any]) -> None:
    @PROPERTY
    @given(data=_wire_object(cls) | JSON_VALUES)
    def check(data: Any) -> None:
        _same(data, cls)

    check()


@pytest.mark.parametrize("operation_id", MODEL_OPERATIONS)
def test_the_contract_examples_take_the_fast_path(operation_id: str) -> None:
    # Not a speed check: the examples fit their models, so the fast path must not give up on them (were it
    # to give up on everything, the properties above would hold and the fast path would never be taken).
    cls = EXPECTED_RESULT[operation_id]
    data = response_example(operation_id)["data"]

    assert _everything(_exact_model(data, cls)) == _everything(read_tolerantly(data, cls))


def test_the_fast_path_gives_up_on_what_needs_a_warning() -> None:
    data = dict(response_example("attendance.status")["data"])
    data["status"] = 77  # a state the SDK does not know

    with pytest.raises(_Inexact):
        _exact_model(data, models.RedeemCodeRecord)
    assert [warning.path for warning in read(data, models.RedeemCodeRecord).decode_warnings] == [
        "data.status"
    ]
