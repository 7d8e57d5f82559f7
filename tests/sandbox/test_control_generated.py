"""Every control-API route under generated input: any JSON body, any path parameter, never a 5xx.

The routes are read from the app's own URL map, so a new route is covered the day it is added. Bodies are any
JSON value (objects keyed by the control API's field names or by any text, deep or shallow, lone surrogates
included) or bytes that are not JSON at all; path parameters are any text (percent-encoded, invalid UTF-8
included) or any integer; query parameters any text or integer. Each answer is JSON, below 500, and a refusal carries a catalogue code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja.contract import load_contract
from prakerja_sandbox import create_app
from prakerja_sandbox.context import EXTENSION_KEY

CATALOGUE = set(load_contract().errors)
FIELDS = ["advance_seconds", "client_code", "code", "count", "course_code", "has_uk", "keep_request_log", "kind",
          "latency_ms", "lp", "max_age", "min_age", "min_education", "mode", "name", "notes", "operation",
          "participants", "price", "probability", "redeem_code", "redeem_codes", "reset", "result",
          "retry_after", "scope", "seed", "sequence", "sessions", "set", "sold_on", "status", "title",
          "tpm_count", "type", "prakerja_id", "balance", "capacity", "start_at", "schedule_code"]  # fmt: skip

_APP = create_app({"database": ":memory:"})
ROUTES = sorted(
    (rule.rule, method)
    for rule in _APP.url_map.iter_rules()
    if rule.rule.startswith("/_sandbox")
    for method in sorted(rule.methods or ()) if method not in {"HEAD", "OPTIONS"}
)  # fmt: skip
_APP.extensions[EXTENSION_KEY].close()

_TEXT = st.text(max_size=20)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.integers(-(2**80), 2**80),
    st.floats(allow_nan=False, allow_infinity=False), _TEXT,
)  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), _TEXT), inner, max_size=5),
    ),
    max_leaves=12,
)
_OBJECTS = st.dictionaries(st.sampled_from(FIELDS), _JSON, max_size=6)
_BODIES = st.one_of(
    _OBJECTS.map(lambda value: json.dumps(value).encode()),  # ASCII escapes: lone surrogates survive
    _JSON.map(lambda value: json.dumps(value).encode()),
    st.integers(33, 3000).map(lambda depth: b'{"name":' + b"[" * depth + b"]" * depth + b"}"),
    st.binary(max_size=64),
)
_PARAMETERS = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.text(min_size=1, max_size=30).map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")),
)


_QUERIES = st.dictionaries(
    st.sampled_from(["limit", "offset", "q", "participants_offset", "prakerja_id", "kind", "operation",
                     "client_code", "failed", "dp", "lp", "notice", "token"]),
    st.one_of(st.integers(-(10**25), 10**25).map(str), st.text(max_size=20)),
    max_size=3,
)  # fmt: skip


@pytest.fixture(scope="module")
def app() -> Iterator[flask.Flask]:
    """One in-memory sandbox for the whole run (state accumulates, as in a long test session)."""
    sandbox_app = create_app({"database": ":memory:"})
    yield sandbox_app
    sandbox_app.extensions[EXTENSION_KEY].close()


def _path(rule: str, values: list[str]) -> str:
    path = rule
    for value in values:
        start = path.index("<")
        path = path[:start] + value + path[path.index(">", start) + 1 :]
    return path


@pytest.mark.parametrize(("rule", "method"), ROUTES)
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    body=_BODIES,
    parameters=st.lists(_PARAMETERS, min_size=2, max_size=2),
    query=_QUERIES,
    form=st.booleans(),
)
def test_a_control_route_never_answers_a_server_error(
    app: flask.Flask,
    rule: str,
    method: str,
    body: bytes,
    parameters: list[str],
    query: dict[str, str],
    form: bool,
) -> None:
    path = _path(rule, parameters[: rule.count("<")])
    content_type = "application/x-www-form-urlencoded" if form and "/ui/" in rule else "application/json"

    answer = app.test_client().open(
        path, method=method, query_string=query, data=body, headers={"Content-Type": content_type}
    )

    assert answer.status_code < 500, (method, path, body[:200], answer.get_data(as_text=True)[:500])
    if answer.status_code >= 400:
        payload: Any = answer.get_json()
        assert payload["code"] in CATALOGUE, payload
