"""URL rules whose builders are compiled once per process, not once per app.

Werkzeug compiles two URL builders for every rule when the rule is bound to an app's URL map: it writes a
small function as Python syntax and runs ``compile()`` on it. The sandbox has some sixty rules, so this was
more than half of the cost of making a sandbox app, which the testing kit does for every test
(``LocalSandbox.in_process()``, the ``prakerja_sandbox`` fixture).

A builder's code depends only on the rule's parts (static text, variable names, host or subdomain) and on
whether unknown values are appended as a query; the converters, the map's settings and the rule itself are
read at call time through the rule the builder is bound to. So :class:`CachedBuilderRule` keeps each compiled
builder, keyed by exactly those inputs, and binds it to every later rule of the same shape. A rule with
``defaults`` (whose values are turned into text by its converters at compile time) and a Werkzeug without the
internals this relies on both compile as usual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar

import flask
from werkzeug.routing import Rule

__all__ = ["CachedBuilderRule", "SandboxFlask"]

_Key = tuple[str, tuple[tuple[bool, str], ...], bool]


class CachedBuilderRule(Rule):
    """A :class:`werkzeug.routing.Rule` that reuses URL builders compiled for an equal rule (see the module)."""

    _builders: ClassVar[dict[_Key, Callable[..., tuple[str, str]]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        trace = getattr(self, "_trace", None)
        if self.defaults or not isinstance(trace, list):
            return super()._compile_builder(append_unknown)
        key: _Key = (self.rule, tuple(trace), append_unknown)
        builder = self._builders.get(key)
        if builder is None:
            builder = super()._compile_builder(append_unknown)
            with self._lock:
                builder = self._builders.setdefault(key, builder)
        return builder


class SandboxFlask(flask.Flask):
    """The sandbox's Flask app: its rules, the static route included, are :class:`CachedBuilderRule`."""

    url_rule_class = CachedBuilderRule
