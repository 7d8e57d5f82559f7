"""Contract-invalid requests: each breaks one rule and must be refused with that rule's code, never a 5xx.

One mutation per request (a field removed, a wrong type, a value out of range, an unknown field, bad JSON,
a body that is not an object, an oversize body, a non-JSON content type, a missing or malformed query
parameter), so the expected code is known exactly (decision validation-codes).
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
from hypothesis import strategies as st

from prakerja.contract_check.conformance import conformance_problems, expect_refusal
from prakerja.contract_check.engine import run_property
from prakerja.contract_check.requests import Draft, valid_drafts
from prakerja.contract_check.results import CheckResult, ContractViolation
from prakerja.contract_check.schemas import FieldSpec, OperationSchemas, Parameter
from prakerja.contract_check.target import Target
from prakerja.contract_check.wire import sendable_header_value
from prakerja.signing import compact_json

__all__ = ["Mutation", "check_invalid_requests", "invalid_values", "wrong_type_values"]

_NON_JSON_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/xml",
    "multipart/form-data",
)


@attrs.frozen
class Mutation:
    """One broken rule: what was changed, the bytes or query to send and the codes that may answer."""

    kind: str
    description: str
    expected: frozenset[str]
    body: bytes | None = None
    query: tuple[tuple[str, str], ...] | None = None
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] | None = None


def wrong_type_values(schema: dict[str, Any] | Any) -> st.SearchStrategy[Any]:
    """JSON values whose type ``schema`` does not allow (``null`` included)."""
    declared = schema.get("type", "string")
    allowed = {declared} if isinstance(declared, str) else set(declared)
    if "number" in allowed:
        allowed.add("integer")
    candidates: dict[str, st.SearchStrategy[Any]] = {
        "string": st.text(max_size=8),
        "integer": st.integers(-100, 10**6),
        "number": st.floats(allow_nan=False, allow_infinity=False, width=32).filter(
            lambda f: not f.is_integer()
        ),
        "boolean": st.booleans(),
        "array": st.lists(st.integers(0, 9), max_size=2),
        "object": st.dictionaries(st.text("abc", max_size=3), st.integers(0, 9), max_size=2),
        "null": st.none(),
    }
    return st.one_of([strategy for name, strategy in candidates.items() if name not in allowed])


def invalid_values(schema: dict[str, Any] | Any) -> st.SearchStrategy[Any] | None:
    """Values of the right JSON type that break ``schema`` (length, pattern, enum or range)."""
    kind = schema.get("type")
    options: list[st.SearchStrategy[Any]] = []
    enum = schema.get("enum")
    if kind == "string":
        longest = schema.get("maxLength")
        shortest = schema.get("minLength", 0)
        pattern = schema.get("pattern")
        if longest is not None:
            options.append(st.integers(longest + 1, longest + 40).map(lambda n: "9" * n))
        if shortest >= 1:
            options.append(st.just(""))
        if pattern:
            compiled = re.compile(pattern)
            upper = min(longest or 24, 24)
            options.append(
                st.text(min_size=max(shortest, 1), max_size=max(upper, max(shortest, 1))).filter(
                    lambda v: compiled.search(v) is None
                )
            )
        if enum:
            options.append(st.text(min_size=1, max_size=10).filter(lambda v: v not in enum))
    elif kind == "integer":
        if enum:
            options.append(st.integers(-1000, 100_000).filter(lambda v: v not in enum))
        if "minimum" in schema:
            low = schema["minimum"]
            options.append(st.integers(low - 1_000_000, low - 1))
        if "maximum" in schema:
            high = schema["maximum"]
            options.append(st.integers(high + 1, high + 1_000_000))
    return st.one_of(options) if options else None


def _missing(spec: FieldSpec | Parameter, default: str) -> frozenset[str]:
    return frozenset({spec.missing_code or default})


def _body_mutations(
    schemas: OperationSchemas, body: dict[str, Any], max_body: int
) -> st.SearchStrategy[Mutation]:
    def dump(value: Any) -> bytes:
        return compact_json(value) if isinstance(value, dict) else json.dumps(value).encode()

    options: list[st.SearchStrategy[Mutation]] = []
    present = [spec for spec in schemas.fields if spec.name in body]
    required = [spec for spec in schemas.fields if spec.required]
    if required:
        options.append(
            st.sampled_from(required).map(
                lambda spec: Mutation(
                    kind="missing-field",
                    description=f"required field {spec.name} left out",
                    expected=_missing(spec, "ERRPLT40003"),
                    body=dump({k: v for k, v in body.items() if k != spec.name}),
                )
            )
        )
    if present:

        @st.composite
        def wrong_type(draw: st.DrawFn) -> Mutation:
            spec = draw(st.sampled_from(present))
            value = draw(wrong_type_values(spec.schema))
            expected = {"ERRPLT40004"} | (set(_missing(spec, "ERRPLT40003")) if value is None else set())
            return Mutation(
                kind="wrong-type",
                description=f"field {spec.name} sent as {json.dumps(value)[:40]}",
                expected=frozenset(expected),
                body=dump({**body, spec.name: value}),
            )

        options.append(wrong_type())
    breakable = [(spec, invalid_values(spec.schema)) for spec in present]
    breakable = [(spec, strategy) for spec, strategy in breakable if strategy is not None]
    if breakable:

        @st.composite
        def bad_value(draw: st.DrawFn) -> Mutation:
            spec, strategy = draw(st.sampled_from(breakable))
            value = draw(strategy)
            expected = {"ERRPLT40005"}
            if value == "":
                expected |= {"ERRPLT40003", *_missing(spec, "ERRPLT40003")}
            return Mutation(
                kind="invalid-value",
                description=f"field {spec.name} = {json.dumps(value, ensure_ascii=False)[:60]} breaks its schema",
                expected=frozenset(expected),
                body=dump({**body, spec.name: value}),
            )

        options.append(bad_value())
    known = {spec.name for spec in schemas.fields}
    options.append(
        st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True)
        .filter(lambda name: name not in known)
        .map(
            lambda name: Mutation(
                kind="unknown-field",
                description=f"unknown field {name}",
                expected=frozenset({"ERRPLT40006"}),
                body=dump({**body, name: "x"}),
            )
        )
    )
    raw = compact_json(body)
    malformed = st.sampled_from(
        [
            (raw[:-1], "the closing brace cut off"),
            (raw[:-1] + b",}" if len(body) else b"{,}", "a trailing comma"),
            (raw.replace(b'"', b"'"), "single quotes"),
            (raw[:2] + b"\xc3\x28" + raw[2:], "bytes that are not UTF-8"),
            (raw + b"}", "a second closing brace"),
        ]
    )
    options.append(
        malformed.map(
            lambda item: Mutation(
                kind="malformed-json",
                description=f"JSON with {item[1]}",
                expected=frozenset({"ERRPLT40001"}),
                body=item[0],
            )
        )
    )
    options.append(
        st.sampled_from([b"[]", b'"text"', b"42", b"null", b"true", b"[" + raw + b"]"]).map(
            lambda raw_body: Mutation(
                kind="not-an-object",
                description=f"body {raw_body[:30].decode()} is not a JSON object",
                expected=frozenset({"ERRPLT40002"}),
                body=raw_body,
            )
        )
    )
    options.append(
        st.integers(1, 4096).map(
            lambda extra: Mutation(
                kind="oversize",
                description=f"a {max_body + extra}-byte body (limit {max_body})",
                expected=frozenset({"ERRPLT41301"}),
                body=compact_json({"padding": "x" * (max_body + extra)}),
            )
        )
    )
    options.append(
        st.sampled_from(_NON_JSON_TYPES).map(
            lambda media: Mutation(
                kind="content-type",
                description=f"Content-Type {media}",
                expected=frozenset({"ERRPLT41501"}),
                body=raw,
                content_type=media,
            )
        )
    )
    return st.one_of(options)


def _query_mutations(
    schemas: OperationSchemas, query: tuple[tuple[str, str], ...]
) -> st.SearchStrategy[Mutation]:
    options: list[st.SearchStrategy[Mutation]] = []
    required = [param for param in schemas.query if param.required]
    if required:
        options.append(
            st.sampled_from(required).map(
                lambda param: Mutation(
                    kind="missing-parameter",
                    description=f"query parameter {param.name} left out",
                    expected=_missing(param, "ERROAUTH4038"),
                    query=tuple(pair for pair in query if pair[0] != param.name),
                )
            )
        )
    breakable = [(param, invalid_values(param.schema)) for param in schemas.query]
    breakable = [(param, strategy) for param, strategy in breakable if strategy is not None]
    if breakable:

        @st.composite
        def bad_parameter(draw: st.DrawFn) -> Mutation:
            param, strategy = draw(st.sampled_from(breakable))
            value = str(draw(strategy))
            expected = set(_missing(param, "ERROAUTH4038"))
            if param.name == "scope":
                expected.add("ERROAUTH4039")  # an unknown scope value has its own code
            if param.name == "client_id":
                expected.add(
                    "ERROAUTH4029"
                )  # it also differs from X-Client-Id (decision sso-client-id-query)
            return Mutation(
                kind="invalid-parameter",
                description=f"query parameter {param.name} = {value[:60]!r} breaks its schema",
                expected=frozenset(expected),
                query=tuple((name, value if name == param.name else old) for name, old in query),
            )

        options.append(bad_parameter())
    return st.one_of(options) if options else st.nothing()


def _header_mutations(schemas: OperationSchemas, draft: Draft) -> list[st.SearchStrategy[Mutation]]:
    """A missing (or, for Authorize, wrongly formed) ``Authorization`` header: its ``x-missing-code``."""
    found: list[Mutation] = []
    for name, value in draft.headers:
        param = schemas.header(name)
        if param is None or not param.required or param.missing_code is None:
            continue
        kept = tuple(pair for pair in draft.headers if pair[0] != name)
        expected = frozenset({param.missing_code})
        found.append(Mutation("missing-header", f"header {name} left out", expected, headers=kept))
        if value.startswith("Payment "):
            token = value.removeprefix("Payment ")
            # "Payment" with no token: as a server receives "Payment " (trailing space is stripped on the wire)
            for bad in (f"Bearer {token}", token, f"payment:{token}", "Payment"):
                found.append(
                    Mutation(
                        "malformed-header",
                        f"header {name}: {bad[:30]!r}",
                        expected,
                        headers=(*kept, (name, bad)),
                    )
                )
    sendable = [m for m in found if all(sendable_header_value(v) for _, v in m.headers or ())]
    return [st.sampled_from(sendable)] if sendable else []


def _html_errors(schemas: OperationSchemas) -> bool:
    return schemas.response_media_types(400) == ("text/html",)


def check_invalid_requests(target: Target, operation_id: str, *, max_body: int = 65536) -> CheckResult:
    """Send requests that break one contract rule each; each must get that rule's code (never a 5xx)."""
    check_id = f"invalid/{operation_id}"
    title = f"contract-invalid requests to {operation_id} get the rule's coded 4xx"
    schemas = target.schemas_of(operation_id)
    credentials = target.credentials_for(operation_id)
    skip = None
    if schemas.body is None and not schemas.query and schemas.header("Authorization") is None:
        skip = f"{operation_id} takes no body, query or value header: nothing to break"
    elif credentials is None and target.operation(operation_id).signing != "none":
        skip = target.missing_role_reason(operation_id)
    if skip is not None:
        return CheckResult(
            check_id=check_id,
            kind="invalid",
            title=title,
            outcome="skipped",
            operation_id=operation_id,
            reason=skip,
        )

    @st.composite
    def cases(draw: st.DrawFn) -> tuple[Draft, Mutation]:
        draft = draw(valid_drafts(target, operation_id))
        options = _header_mutations(schemas, draft)
        if draft.body is not None:
            options.append(_body_mutations(schemas, draft.body, max_body))
        elif schemas.query:
            options.append(_query_mutations(schemas, draft.query))
        return draft, draw(st.one_of(options))

    def prop(case: tuple[Draft, Mutation]) -> None:
        draft, mutation = case
        if mutation.query is not None:
            draft = attrs.evolve(draft, query=mutation.query)
        if mutation.headers is not None:
            draft = attrs.evolve(draft, headers=mutation.headers)
        request = draft.build(target, credentials, body=mutation.body, content_type=mutation.content_type)
        exchange = target.wire.send(request)
        problems = conformance_problems(target.contract, schemas, exchange)
        if _html_errors(schemas):
            status = exchange.response.status_code if exchange.response else None
            if status != 400:
                problems.append(f"{mutation.description}: expected the HTTP 400 error page, got {status}")
        else:
            problems += expect_refusal(exchange, mutation.expected, why=mutation.description)
        if problems:
            raise ContractViolation(problems, exchange)

    return run_property(
        check_id=check_id,
        kind="invalid",
        title=title,
        operation_id=operation_id,
        strategy=cases(),
        prop=prop,
        settings=target.settings,
    )
