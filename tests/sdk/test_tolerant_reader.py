"""The tolerant reader: answers mutated from the contract's own examples never make a call that changes state
raise, and reads return what they can, raising only when the data asked for is absent.

Mutations, at any field of ``data`` (nested objects included): a number sent as a numeric string, text sent as
a number, ``null``, the field left out, a value of an enumeration the SDK does not know, a value of no usable
type, and fields the contract does not know.
"""

from __future__ import annotations

import enum
import logging
import pickle
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import prakerja
from prakerja import errors
from prakerja._converter import read
from prakerja._core import Call, CallContext, parse_response
from prakerja._operations import OPERATIONS
from prakerja.environments import PRODUCTION
from prakerja.models import Answer, OpenEnum

from .operations import API_OPERATIONS, build_call, call_builder, request_examples, response_example
from .test_operations import EXPECTED_RESULT

BUILDER = call_builder(CallContext(client_code="SBX-LP-CIPTAKREASI", environment=PRODUCTION))
#: Operations whose documented answer carries ``data`` to mutate (a void's answer has none: see below).
MODEL_OPERATIONS = [op for op in API_OPERATIONS if "data" in response_example(op)]
#: generate_url changes state but is asked for its URL: it raises without one, like a read.
WRITES = [op for op in MODEL_OPERATIONS if not OPERATIONS[op].retry_safe and op != "attendance.generate_url"]
READS = [op for op in MODEL_OPERATIONS if OPERATIONS[op].retry_safe or op == "attendance.generate_url"]
#: What each read is asked for: the answer may lack anything else.
NEEDS: dict[str, set[tuple[str, ...]]] = {
    "payments.status": {("status",)},
    "payments.quota": {("quota",)},
    "attendance.status": {("status",), ("attendance_status",)},
    "tpm.submission_status": {("assignment", "status"), ("feedback", "status")},
    "sso.login_url": {("redirect_url",)},
    "sso.profile": set(),
    "attendance.generate_url": {("url",)},
}
PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
NOT_WIRE = {"extra", *attrs.fields_dict(Answer)}


def _call(operation_id: str) -> Call[Any]:
    return build_call(BUILDER, operation_id, request_examples(operation_id)["default"])


def _answer(call: Call[Any], data: Any) -> httpx.Response:
    body = {"success": True, "message": "OK", "data": data}
    request = httpx.Request(call.method, PRODUCTION.url(call.server) + call.target, content=call.content)
    return httpx.Response(200, json=body, request=request)


def _field_types(cls: type[Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    types = {}
    for field in attrs.fields(cls):
        if field.name in NOT_WIRE:
            continue
        kind = field.type
        args = [a for a in getattr(kind, "__args__", ()) if a is not type(None)]
        types[field.name] = args[0] if args and type(None) in getattr(kind, "__args__", ()) else kind
    return types


def _leaves(
    cls: type[Any], data: dict[str, Any], prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any]]:
    """(path, field type) of every field of the example, nested objects included."""
    found = []
    for name, kind in _field_types(cls).items():
        if name not in data:
            continue
        found.append(((*prefix, name), kind))
        if attrs.has(kind) and isinstance(data[name], dict):
            found += _leaves(kind, data[name], (*prefix, name))
    return found


def _mutations(kind: Any, value: Any) -> st.SearchStrategy[tuple[str, Any]]:
    """The mutations that apply to one field, each with the value it puts on the wire."""
    options: list[st.SearchStrategy[tuple[str, Any]]] = [
        st.just(("null", None)),
        st.just(("drop", None)),
        # of no usable type: an array, or an object where a value is expected
        st.sampled_from([[1, 2]] if attrs.has(kind) else [[1, 2], {"nested": True}]).map(
            lambda v: ("garbage", v)
        ),
    ]
    if isinstance(value, int) and not isinstance(value, bool):
        options.append(st.just(("numeric string", str(value))))
    if kind is str:
        options.append(st.integers(0, 10**12).map(lambda n: ("number", n)))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = {member.value for member in kind}
        if issubclass(kind, int):
            fresh: st.SearchStrategy[Any] = st.integers(-1000, 100_000).filter(lambda n: n not in values)
        else:
            fresh = st.text(st.characters(codec="ascii"), min_size=1, max_size=12).filter(
                lambda t: t not in values
            )
        options.append(fresh.map(lambda v: ("unknown enum", v)))
    return st.one_of(options)


@st.composite
def mutated(
    draw: st.DrawFn, operation_id: str
) -> tuple[dict[str, Any], dict[tuple[str, ...], str], dict[tuple[str, ...], Any]]:
    """A mutated copy of the operation's example ``data``, what was done where, and the extra keys added."""
    cls = EXPECTED_RESULT[operation_id]
    original = response_example(operation_id)["data"]
    data = pickle.loads(pickle.dumps(original))
    done: dict[tuple[str, ...], str] = {}
    extras: dict[tuple[str, ...], Any] = {}
    chosen = draw(st.lists(st.sampled_from(_leaves(cls, original)), unique=True, max_size=5))
    for path, kind in sorted(chosen, key=lambda pair: len(pair[0])):  # parents before their fields
        if any(
            path[:i] in done and done[path[:i]] in {"null", "drop", "garbage"} for i in range(1, len(path))
        ):
            continue  # its parent is gone already
        parent = data
        for name in path[:-1]:
            parent = parent[name]
        how, value = draw(_mutations(kind, parent[path[-1]]))
        done[path] = how
        if how == "drop":
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    for _ in range(draw(st.integers(0, 2))):
        key = draw(
            st.text(st.characters(codec="ascii", categories=["Ll"]), min_size=3, max_size=8).map(
                lambda k: "x_" + k
            )
        )
        value = draw(
            st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))
        )
        data[key] = value
        extras[(key,)] = value
    return data, done, extras


def _get(result: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        result = getattr(result, name) if result is not None else None
    return result


def _check_fields(result: Any, baseline: Any, data: dict[str, Any], done: dict[tuple[str, ...], str]) -> None:
    cls = type(baseline)
    for path, kind in _leaves(cls, response_example_data(cls, baseline)):
        gone = [
            path[:i] for i in range(1, len(path) + 1) if done.get(path[:i]) in {"null", "drop", "garbage"}
        ]
        got = _get(result, path)
        how = done.get(path)
        if gone:
            assert got is None, path
        elif attrs.has(kind):
            assert isinstance(got, kind), path  # its fields are checked one by one
        elif how == "number":
            wire = data
            for name in path:
                wire = wire[name]
            assert got == str(wire), path
        elif how == "unknown enum":
            assert isinstance(got, OpenEnum), path
            assert isinstance(got, enum.Enum), path
            assert not got.known, path
            wire = data
            for name in path:
                wire = wire[name]
            assert got.value == wire, path
        else:  # untouched, or a number sent as its numeric string
            assert got == _get(baseline, path), path


def response_example_data(cls: type[Any], baseline: Any) -> dict[str, Any]:
    raw: dict[str, Any] = baseline.raw_data
    return raw


def _warned_paths(result: Any) -> set[str]:
    return {warning.path for warning in result.decode_warnings}


@pytest.mark.parametrize("operation_id", WRITES)
def test_an_answer_to_a_call_that_changes_state_never_raises(
    operation_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    call = _call(operation_id)
    baseline = parse_response(call, _answer(call, response_example(operation_id)["data"]))
    assert baseline.decode_warnings == ()

    @PROPERTY
    @given(case=mutated(operation_id))
    def check(case: tuple[dict[str, Any], dict[tuple[str, ...], str], dict[tuple[str, ...], Any]]) -> None:
        data, done, extras = case
        caplog.clear()

        with caplog.at_level(logging.WARNING, logger="prakerja"):
            result = parse_response(call, _answer(call, data))

        assert type(result) is EXPECTED_RESULT[operation_id]
        assert result.raw_data == data
        _check_fields(result, baseline, data, done)
        assert {key: result.extra[key] for (key,) in extras} == {
            key: value for (key,), value in extras.items()
        }
        warned = _warned_paths(result)
        for path, how in done.items():
            if how in {"garbage", "unknown enum"}:
                assert "data." + ".".join(path) in warned, (path, how)
        if warned:
            assert any(operation_id in record.getMessage() for record in caplog.records)

    check()


@pytest.mark.parametrize("operation_id", READS)
def test_a_read_returns_what_it_can_and_raises_only_when_the_data_asked_for_is_absent(
    operation_id: str,
) -> None:
    call = _call(operation_id)
    baseline = parse_response(call, _answer(call, response_example(operation_id)["data"]))

    @PROPERTY
    @given(case=mutated(operation_id))
    def check(case: tuple[dict[str, Any], dict[tuple[str, ...], str], dict[tuple[str, ...], Any]]) -> None:
        data, done, _ = case
        absent = {
            need
            for need in NEEDS[operation_id]
            if any(done.get(need[:i]) in {"null", "drop", "garbage"} for i in range(1, len(need) + 1))
        }

        if absent:
            with pytest.raises(errors.UnexpectedResponseError, match="lacks") as raised:
                parse_response(call, _answer(call, data))
            # A read changed nothing; generate_url may have issued a URL: call it again.
            assert (
                isinstance(raised.value, errors.OutcomeUnknownError)
                is not OPERATIONS[operation_id].retry_safe
            )
            for need in absent:
                assert "data." + ".".join(need) in str(raised.value)
            return
        result = parse_response(call, _answer(call, data))
        _check_fields(result, baseline, data, done)

    check()


# --- the documented ambiguities, one by one ----------------------------------------------------------------


def test_status_amount_is_read_as_a_number_from_a_string() -> None:
    call = _call("payments.status")
    data = {**response_example("payments.status")["data"], "amount": "1950000"}

    record = parse_response(call, _answer(call, data))

    assert record.amount == 1950000
    assert record.decode_warnings == ()


def test_authorize_invoice_code_is_read_as_text_from_a_number() -> None:
    call = _call("payments.authorize")
    data = {**response_example("payments.authorize")["data"], "invoice_code": 20231024001}

    paid = parse_response(call, _answer(call, data))

    assert paid.invoice_code == "20231024001"


def test_an_unknown_payment_status_is_kept_and_flagged() -> None:
    call = _call("payments.authorize")
    data = {**response_example("payments.authorize")["data"], "status": "PENDING"}

    paid = parse_response(call, _answer(call, data))

    assert paid.status.value == "PENDING"
    assert not paid.status.known
    assert paid.status.name == "UNKNOWN"
    assert prakerja.PaymentStatus.SUCCESS.known
    assert [str(w) for w in paid.decode_warnings] == [
        "data.status: 'PENDING' is not a PaymentStatus the SDK knows ('SUCCESS', 'VOID')"
    ]
    assert pickle.loads(pickle.dumps(paid)) == paid


def test_authorize_without_data_still_returns_what_it_can() -> None:
    call = _call("payments.authorize")
    request = httpx.Request("POST", PRODUCTION.url(call.server) + call.target)

    paid = parse_response(call, httpx.Response(200, json={"success": True, "message": "OK"}, request=request))

    assert paid.transaction_code is None
    assert "data" in _warned_paths(paid)


def test_an_envelope_without_success_is_read_with_a_warning() -> None:
    call = _call("payments.authorize")
    request = httpx.Request("POST", PRODUCTION.url(call.server) + call.target)
    data = response_example("payments.authorize")["data"]

    paid = parse_response(call, httpx.Response(200, json={"data": data}, request=request))

    assert paid.transaction_code == data["transaction_code"]
    assert [w.path for w in paid.decode_warnings] == ["success"]


@pytest.mark.parametrize("status", ["PENDING", None])
def test_reconcile_refuses_to_guess_when_the_status_is_unknown_or_absent(status: str | None) -> None:
    call = BUILDER.payments.reconcile("INV-1")
    data = {**response_example("payments.status")["data"], "status": status}

    with pytest.raises(errors.UnexpectedResponseError, match=r"lacks data\.status"):
        parse_response(call, _answer(call, data))


@given(
    value=st.one_of(
        st.integers(-(10**15), 10**15).map(str),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False)
        .filter(float.is_integer)
        .filter(lambda f: abs(f) < 1e15),
    )
)
def test_any_integer_spelling_reads_as_the_integer(value: Any) -> None:
    quota = read({"schedule_code": "S", "course_code": "C", "quota": value}, prakerja.Quota)

    assert quota.quota == int(value)
    assert quota.decode_warnings == ()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@PROPERTY
@given(data=JSON)
def test_any_data_on_a_void_answer_is_kept_and_never_raises(data: Any) -> None:
    """The documented void answer has no ``data``; whatever a server puts there is kept, never refused."""
    call = _call("payments.void")

    result = parse_response(call, _answer(call, data))

    assert type(result) is EXPECTED_RESULT["payments.void"]
    assert result.raw_data == data
    assert result.extra == (data if isinstance(data, dict) else {})
