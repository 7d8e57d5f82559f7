"""Contract-valid requests for one operation, as hypothesis strategies.

A generated request is a :class:`Draft`: the body object (or ``None``), the query pairs and the extra headers
(``Authorization`` on Authorize and Get Profile). :meth:`Draft.build` signs it for the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from prakerja.contract_check.exchange import SentRequest
from prakerja.contract_check.schemas import OperationSchemas
from prakerja.contract_check.target import Target
from prakerja.contract_check.wire import Credentials, encode_query
from prakerja.signing import compact_json

__all__ = ["Draft", "valid_drafts"]

# Header parameters that carry a value the run can know (not the signing headers).
_VALUE_HEADERS = {"authorization"}


@attrs.frozen
class Draft:
    """An unsigned request: body object, query pairs and extra headers."""

    operation_id: str
    body: dict[str, Any] | None
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def body_bytes(self) -> bytes | None:
        """The compact JSON the SDK would send (``None`` for a body-less operation)."""
        return None if self.body is None else compact_json(self.body)

    def build(
        self,
        target: Target,
        credentials: Credentials | None,
        *,
        body: bytes | None = None,
        timestamp: int | str | None = None,
        content_type: str | None = "application/json",
    ) -> SentRequest:
        """The signed request (``body`` overrides the draft's own bytes)."""
        raw = self.body_bytes() if body is None else body
        return target.wire.request(
            target.operation(self.operation_id),
            raw,
            credentials=credentials,
            query=encode_query(self.query),
            headers=self.headers,
            timestamp=timestamp,
            content_type=content_type,
        )


def _header_value(target: Target, schemas: OperationSchemas, name: str) -> st.SearchStrategy[str] | None:
    param = schemas.header(name)
    if param is None:
        return None
    pool_field = (
        "payment_authorization" if schemas.operation.operation_id == "payments.authorize" else "access_token"
    )
    # Header values travel as ASCII; the contract's \S would also allow any other character.
    schema = dict(param.schema)
    if "pattern" in schema:
        schema["pattern"] = str(schema["pattern"]).replace("\\S", "[!-~]")
    return target.pool.strategy(pool_field, schema)


def _body(target: Target, schemas: OperationSchemas) -> st.SearchStrategy[dict[str, Any] | None]:
    if schemas.body is None:
        return st.none()
    parts: dict[str, st.SearchStrategy[Any]] = {}
    optional: list[str] = []
    for spec in schemas.fields:
        parts[spec.name] = target.pool.strategy(spec.name, spec.schema)
        if not spec.required:
            optional.append(spec.name)
    order = [spec.name for spec in schemas.fields]
    records = target.pool.records({spec.name: spec.schema for spec in schemas.fields})

    @st.composite
    def body(draw: st.DrawFn) -> dict[str, Any]:
        sent = {name for name in optional if draw(st.booleans())}
        values = {name: draw(parts[name]) for name in order if name not in optional or name in sent}
        # three times in four, a combination the server knows (a course with its schedule and price ...)
        if records and draw(st.integers(0, 3)) > 0:
            values.update(draw(st.sampled_from(records)))
        return {name: values[name] for name in order if name in values}

    return body()


def _named(name: str) -> Callable[[Any], tuple[str, str]]:
    return lambda value: (name, str(value))


def _query(target: Target, schemas: OperationSchemas) -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    params = schemas.query
    if not params:
        return st.just(())
    parts = [target.pool.strategy(param.name, param.schema).map(_named(param.name)) for param in params]
    records = target.pool.records({param.name: param.schema for param in params})

    @st.composite
    def query(draw: st.DrawFn) -> tuple[tuple[str, str], ...]:
        pairs = dict(draw(st.tuples(*parts)))
        if records and draw(st.integers(0, 3)) > 0:
            pairs.update({name: str(value) for name, value in draw(st.sampled_from(records)).items()})
        return tuple((param.name, pairs[param.name]) for param in params)

    return query()


def valid_drafts(target: Target, operation_id: str) -> st.SearchStrategy[Draft]:
    """Contract-valid requests for ``operation_id``: realistic values first, any schema value sometimes."""
    schemas = target.schemas_of(operation_id)
    header_names = [
        p.name
        for p in schemas.parameters
        if p.location == "header" and p.name.lower() in _VALUE_HEADERS and p.required
    ]
    header_parts = []
    for name in header_names:
        strategy = _header_value(target, schemas, name)
        if strategy is not None:
            header_parts.append(strategy.map(_named(name)))
    return st.builds(
        Draft,
        operation_id=st.just(operation_id),
        body=_body(target, schemas),
        query=_query(target, schemas),
        headers=st.tuples(*header_parts) if header_parts else st.just(()),
    )
