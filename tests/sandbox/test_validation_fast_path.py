"""The compiled body check (jsonschema_rs) and the error path (jsonschema) give one verdict on every body.

``validate_body`` accepts a body as soon as the compiled check says valid, so a body the compiled check passes
but ``jsonschema`` refuses would slip through; these properties look for one, operation by operation, among
bodies generated from each request schema and among the same bodies broken on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from prakerja.contract import load_contract
from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.validation import _Compiled, _compiled, _first, _known_valid, _resolve, validate_body

CONTRACT = load_contract()
OPERATIONS = sorted(op.operation_id for op in CONTRACT.operations.values() if op.request_schema is not None)
PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Strings where the two engines could part: URI edge cases, Python-only whitespace (\x1c-\x1f, \x85) that
# ECMA-262 regexes do not count as space, a final newline (Python's `$` matches before it), non-ASCII digits,
# a lone surrogate (valid JSON, not encodable as UTF-8), lengths at the limits.
EDGE_STRINGS = [
    "",
    " ",
    "http://",
    "https://",
    "http:// a",
    "http://a b",
    "https://example.com/x\n",
    "https://example.com/\x1cx",
    "https://example.com/\x85x",
    "http://[::1",
    "http:///path",
    "//example.com",
    "ftp://example.com",
    "mailto:a@b.c",
    "a@b.c",
    "a\x1c@b.c",
    "a@b\x85.c",
    "a@b.c\n",
    "@",
    "123456",
    "123456\n",
    "١٢٣٤٥٦",
    "1234567890123456",
    "GHOPNYXUVMT0\n",
    "\ufeff",
    "x\u2028y",
    "\x7f",
    "\ud800",
    "é" * 64,
    "a" * 65,
    "uk",
    "tpm",
]
ODD_VALUES: st.SearchStrategy[object] = st.sampled_from(
    [None, True, False, 0, -1, 1.0, 1.5, 2**63, 10**30, -(10**30), 1e308, [], {}]
)
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=5,
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    app = create_app()
    found = app.extensions[EXTENSION_KEY]
    assert isinstance(found, Sandbox)
    yield found
    found.close()


def _compiled_for(sandbox: Sandbox, operation_id: str) -> _Compiled:
    compiled = _compiled(sandbox, operation_id)
    assert compiled is not None
    return compiled


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _assert_same_verdict(compiled: _Compiled, body: dict[str, Any]) -> bool:
    python_valid = not any(True for _ in compiled.validator.iter_errors(body))
    fast_valid = _known_valid(compiled, body)
    if _has_lone_surrogate(body):
        # jsonschema-rs may refuse to take such a string (then it leaves the verdict to jsonschema) or check
        # it; either way it never calls valid what jsonschema refuses
        assert fast_valid in (False, python_valid), (
            f"jsonschema says {python_valid}, jsonschema_rs {fast_valid}"
        )
    else:
        assert fast_valid == python_valid, f"jsonschema says {python_valid}, jsonschema_rs {fast_valid}"
    return python_valid


def _an_object(value: object) -> dict[str, Any]:
    assert isinstance(value, dict), value  # every request body's schema is an object's
    return value


def _valid_bodies(operation_id: str) -> st.SearchStrategy[dict[str, Any]]:
    schema = CONTRACT.operation(operation_id).request_schema
    assert schema is not None
    return from_schema(CONTRACT.resolvable(schema)).map(_an_object)


def _properties(operation_id: str) -> tuple[list[str], list[str]]:
    schema = CONTRACT.operation(operation_id).request_schema
    assert schema is not None
    root = _resolve(CONTRACT.openapi, schema)
    return list(root.get("properties", {})), list(root.get("required", []))


@st.composite
def _broken_bodies(draw: st.DrawFn, operation_id: str) -> dict[str, Any]:
    body = dict(draw(_valid_bodies(operation_id)))
    names, required = _properties(operation_id)
    for _ in range(draw(st.integers(1, 2))):
        mutation = draw(st.sampled_from(["drop", "wrong_type", "extra", "edge_string", "text"]))
        name = draw(st.sampled_from(names))
        if mutation == "drop" and required:
            body.pop(draw(st.sampled_from(required)), None)
        elif mutation == "wrong_type":
            body[name] = draw(ODD_VALUES | ANY_JSON)
        elif mutation == "extra":
            body[draw(st.text(min_size=1, max_size=10).filter(lambda key: key not in names))] = draw(ANY_JSON)
        elif mutation == "edge_string":
            body[name] = draw(st.sampled_from(EDGE_STRINGS))
        else:
            body[name] = draw(st.text(max_size=70))
    return body


def test_every_operation_with_a_body_has_a_compiled_check(sandbox: Sandbox) -> None:
    assert len(OPERATIONS) >= 10
    missing = [op for op in OPERATIONS if _compiled_for(sandbox, op).fast is None]
    assert missing == []


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_generated_bodies_pass_both_checks(sandbox: Sandbox, operation_id: str) -> None:
    compiled = _compiled_for(sandbox, operation_id)

    @PROPERTY_SETTINGS
    @given(body=_valid_bodies(operation_id))
    def check(body: dict[str, Any]) -> None:
        assert _assert_same_verdict(compiled, body)

    check()


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_broken_bodies_get_one_verdict_and_the_same_answer(sandbox: Sandbox, operation_id: str) -> None:
    compiled = _compiled_for(sandbox, operation_id)

    @settings(PROPERTY_SETTINGS, max_examples=60)
    @given(body=_broken_bodies(operation_id))
    def check(body: dict[str, Any]) -> None:
        _assert_same_verdict(compiled, body)
        expected = _first(compiled.validator.iter_errors(body), "ERRPLT40003", compiled)
        if expected is None:
            assert validate_body(sandbox, operation_id, body) is body
        else:
            with pytest.raises(ApiError) as refused:
                validate_body(sandbox, operation_id, body)
            assert (refused.value.code, refused.value.field) == (expected.code, expected.field)

    check()


@pytest.mark.parametrize(
    ("operation_id", "field", "value", "valid"),
    [
        ("attendance.generate_url", "redirect_uri", "http://", False),
        ("attendance.generate_url", "redirect_uri", "https://example.com/a b", False),
        ("attendance.generate_url", "redirect_uri", "https://example.com/\x1cx", False),
        ("attendance.generate_url", "email", "a\x1c@b.c", False),
        ("attendance.generate_url", "email", "a@b\x85.c", False),
        ("attendance.generate_url", "email", "a@b.c\n", True),
        ("attendance.generate_url", "redeem_code", "GHOPNYXUVMT0", True),
    ],
)
def test_python_only_whitespace_and_uri_edges_get_jsonschemas_verdict(
    sandbox: Sandbox, operation_id: str, field: str, value: str, valid: bool
) -> None:
    body = {
        "redeem_code": "GHOPNYXUVMT0",
        "sequence": 1,
        "redirect_uri": "https://partner.example/back",
        "email": "peserta@example.com",
        field: value,
    }
    assert _assert_same_verdict(_compiled_for(sandbox, operation_id), body) is valid


def test_a_lone_surrogate_is_left_to_jsonschema(sandbox: Sandbox) -> None:
    body = {
        "redeem_code": "GHOPNYXUVMT0",
        "sequence": 1,
        "redirect_uri": "https://partner.example/back",
        "email": "a\ud800@b.c",
    }
    compiled = _compiled_for(sandbox, "attendance.generate_url")
    assert _known_valid(compiled, body) is False
    assert validate_body(sandbox, "attendance.generate_url", body) is body
