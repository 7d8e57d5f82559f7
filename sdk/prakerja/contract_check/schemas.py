"""The contract's schemas made concrete for the checker: references inlined, parameters listed.

hypothesis-jsonschema and jsonschema both want plain, standalone JSON Schemas; the contract keeps its
schemas in ``components`` and points at them with ``$ref``. :class:`OperationSchemas` resolves everything one
operation needs once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs
import jsonschema

from prakerja.contract import Contract, Operation

__all__ = ["ContractSchemas", "FieldSpec", "OperationSchemas", "Parameter", "inline_refs"]

_DROP = frozenset(
    {"examples", "example", "description", "deprecated", "externalDocs", "xml", "discriminator"}
)
_RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def inline_refs(node: Any, components: Mapping[str, Any], *, keep_extensions: bool = False) -> Any:
    """``node`` with every local ``$ref`` replaced by its target; ``x-`` keys and prose dropped."""
    if isinstance(node, list):
        return [inline_refs(item, components, keep_extensions=keep_extensions) for item in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    ref = node.get("$ref")
    if isinstance(ref, str):
        section, _, name = ref.removeprefix("#/components/").partition("/")
        out.update(inline_refs(components[section][name], components, keep_extensions=keep_extensions))
    for key, value in node.items():
        if key == "$ref" or key in _DROP or (key.startswith("x-") and not keep_extensions):
            continue
        out[key] = inline_refs(value, components, keep_extensions=keep_extensions)
    return out


@attrs.frozen
class FieldSpec:
    """One property of a request body: its schema, whether it is required and its missing-field code."""

    name: str
    schema: Mapping[str, Any]
    required: bool
    missing_code: str | None


@attrs.frozen
class Parameter:
    """One query or header parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    missing_code: str | None


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()

    @checker.checks("date-time")
    def _utc_instant(value: object) -> bool:
        # The contract's instants are RFC 3339 in UTC with a Z suffix (decision datetime-format).
        return not isinstance(value, str) or bool(_RFC3339_UTC.match(value))

    return checker


class OperationSchemas:
    """Resolved request and response schemas of one operation, with compiled validators."""

    def __init__(self, contract: Contract, operation: Operation) -> None:
        self.operation = operation
        self._components = contract.openapi.get("components", {})
        ref = operation.request_schema
        self.body: dict[str, Any] | None = None if ref is None else inline_refs(ref, self._components)
        raw_body = None if ref is None else inline_refs(ref, self._components, keep_extensions=True)
        self.fields: tuple[FieldSpec, ...] = ()
        if raw_body is not None:
            required = set(raw_body.get("required", ()))
            self.fields = tuple(
                FieldSpec(
                    name=name,
                    schema=inline_refs(prop, self._components),
                    required=name in required,
                    missing_code=prop.get("x-missing-code"),
                )
                for name, prop in raw_body.get("properties", {}).items()
            )
        self.parameters: tuple[Parameter, ...] = tuple(
            Parameter(
                name=param["name"],
                location=param["in"],
                required=bool(param.get("required", False)),
                schema=inline_refs(param.get("schema", {}), self._components),
                missing_code=param.get("x-missing-code"),
            )
            for param in (
                inline_refs(item, self._components, keep_extensions=True)
                for item in operation.spec.get("parameters", ())
            )
        )
        self.error_codes: frozenset[str] = frozenset(operation.spec.get("x-error-codes", ()))
        self._validators: dict[tuple[str, str], jsonschema.protocols.Validator | None] = {}

    @property
    def query(self) -> tuple[Parameter, ...]:
        """The query parameters, in contract order."""
        return tuple(p for p in self.parameters if p.location == "query")

    def header(self, name: str) -> Parameter | None:
        """The header parameter ``name`` (case-insensitive), if the operation declares it."""
        return next(
            (p for p in self.parameters if p.location == "header" and p.name.lower() == name.lower()), None
        )

    def declared_statuses(self) -> frozenset[int]:
        """Every HTTP status the operation declares."""
        return frozenset(int(key) for key in self.operation.spec.get("responses", {}) if key.isdigit())

    def response_spec(self, status: int) -> Mapping[str, Any] | None:
        """The response object declared for ``status``, if any."""
        responses = self.operation.spec.get("responses", {})
        spec = responses.get(str(status))
        return None if spec is None else dict(spec)

    def response_media_types(self, status: int) -> tuple[str, ...]:
        """The media types declared for ``status`` (empty for a body-less response such as a 302)."""
        spec = self.response_spec(status) or {}
        return tuple(spec.get("content", {}))

    def response_validator(self, status: int, media_type: str) -> jsonschema.protocols.Validator | None:
        """A validator for a JSON response body of ``status``, or ``None`` when none is declared."""
        key = (str(status), media_type)
        if key not in self._validators:
            spec = self.response_spec(status) or {}
            content = spec.get("content", {}).get(media_type)
            if content is None or "schema" not in content or media_type != "application/json":
                self._validators[key] = None
            else:
                schema = inline_refs(content["schema"], self._components)
                self._validators[key] = jsonschema.Draft202012Validator(
                    schema, format_checker=_format_checker()
                )
        return self._validators[key]

    def field(self, name: str) -> FieldSpec | None:
        """The body property ``name``, if the operation has it."""
        return next((f for f in self.fields if f.name == name), None)


class ContractSchemas:
    """Every operation's :class:`OperationSchemas`, resolved on first use; one per checker run."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._by_operation: dict[str, OperationSchemas] = {}

    def __getitem__(self, operation_id: str) -> OperationSchemas:
        if operation_id not in self._by_operation:
            self._by_operation[operation_id] = OperationSchemas(
                self.contract, self.contract.operation(operation_id)
            )
        return self._by_operation[operation_id]
