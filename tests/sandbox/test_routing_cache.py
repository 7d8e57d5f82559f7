"""URL builders compiled once per process build exactly what Werkzeug's own builders build."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import Map, Rule

from prakerja_sandbox import create_app
from prakerja_sandbox.routing import CachedBuilderRule

_NAMES = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6)
_STATIC = st.text(
    alphabet=string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@% ", min_size=1, max_size=8
)
_CONVERTERS = st.sampled_from(["", "int:", "string:", "path:", "any(a, b, 'c d'):"])


@st.composite
def _rules(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A rule text of static and variable segments, and its variable names."""
    names = draw(st.lists(_NAMES, max_size=3, unique=True))
    segments = [draw(_STATIC) for _ in range(draw(st.integers(0, 3)))]
    for name in names:
        converter = draw(_CONVERTERS)
        segments.insert(draw(st.integers(0, len(segments))), f"<{converter}{name}>")
    if any(s.startswith("<path:") for s in segments[:-1]):  # a path variable eats the rest: keep it last
        segments = [s for s in segments if not s.startswith("<path:")] + [
            s for s in segments if s.startswith("<path:")
        ]
    return "/" + "/".join(segments), names


def _value(rule: str, name: str, data: st.DataObject) -> Any:
    if f"<int:{name}>" in rule:
        return data.draw(st.integers(0, 10**6))
    if f"<any(a, b, 'c d'):{name}>" in rule:
        return data.draw(st.sampled_from(["a", "b", "c d"]))
    return data.draw(st.text(min_size=1, max_size=8).filter(lambda text: "/" not in text or "<path:" in rule))


def _build(rule_class: type[Rule], text: str, values: dict[str, Any], unknown: dict[str, Any]) -> list[Any]:
    adapter = Map([rule_class(text, endpoint="e")]).bind("sandbox.example")
    return [
        adapter.build("e", {**values, **unknown}, append_unknown=True),
        adapter.build("e", values, append_unknown=False),
        adapter.build("e", {**values, **unknown}, force_external=True),
    ]


@given(data=st.data())
def test_a_cached_builder_builds_what_werkzeug_builds(data: st.DataObject) -> None:
    text, names = data.draw(_rules())
    values = {name: _value(text, name, data) for name in names}
    unknown = data.draw(
        st.dictionaries(st.sampled_from(["q", "page", "x y"]), st.text(max_size=5), max_size=2)
    )

    expected = _build(Rule, text, values, unknown)
    first = _build(CachedBuilderRule, text, values, unknown)  # compiles, or reuses an earlier example's
    again = _build(CachedBuilderRule, text, values, unknown)  # reuses

    assert first == expected
    assert again == expected


def test_a_rule_with_defaults_gets_builders_of_its_own() -> None:
    one = CachedBuilderRule("/page/<int:number>", endpoint="e", defaults={"number": 1})
    two = CachedBuilderRule("/page/<int:number>", endpoint="e", defaults={"number": 2})
    adapters = [Map([rule]).bind("sandbox.example") for rule in (one, two)]

    assert [adapter.build("e", {}) for adapter in adapters] == ["/page/1", "/page/2"]
    assert one._build.__func__ is not two._build.__func__  # type: ignore[attr-defined]


def test_every_sandbox_app_after_the_first_reuses_the_builders_and_builds_the_same_urls() -> None:
    first, second = create_app(), create_app()
    try:
        pairs = list(zip(first.url_map.iter_rules(), second.url_map.iter_rules(), strict=True))
        assert pairs
        for old, new in pairs:
            assert isinstance(new, CachedBuilderRule)
            assert (old.rule, old.endpoint) == (new.rule, new.endpoint)
            assert new._build.__func__ is old._build.__func__  # type: ignore[attr-defined]
            assert new._build.__self__ is new  # type: ignore[attr-defined]
        with first.test_request_context(), second.test_request_context():
            for old, new in pairs:
                values = dict.fromkeys(old.arguments, 7)
                plain = Map([Rule(old.rule, endpoint="e")], converters=first.url_map.converters)
                expected = plain.bind("sandbox.example").build("e", values)
                assert first.url_map.bind("sandbox.example").build(old.endpoint, values) == expected
                assert second.url_map.bind("sandbox.example").build(new.endpoint, values) == expected
    finally:
        for app in (first, second):
            app.extensions["prakerja_sandbox"].close()
