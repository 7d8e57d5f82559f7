"""The Prakerja partner contract, loaded from the files in ``contracts/``.

The contract is the one place where an operation, a field, an error code or a sandbox scenario is defined.
The SDK, the sandbox and the contract checks all read it through :func:`load_contract`::

    from prakerja.contract import load_contract

    contract = load_contract()
    contract.error("ERRVOD40001").http_status      # 400
    contract.operation("payments.void").path        # "/api/v1/integration/payment/void"

An installed wheel carries the files as package data (``prakerja/_contracts``); a source checkout reads the
repository's ``contracts/`` folder directly.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

from prakerja._extras import require_extra

__all__ = [
    "CONTROL_API",
    "PROVENANCES",
    "REFUSALS_ANSWERED_400",
    "Ambiguity",
    "Contract",
    "ErrorEntry",
    "Operation",
    "Provenance",
    "Reading",
    "Region",
    "SandboxWarning",
    "contract_dir",
    "load_contract",
]

Provenance = Literal["documented", "inferred", "observed"]
#: Where a fact of the contract comes from: ``documented`` on developer.prakerja.go.id, ``inferred`` by us where
#: the docs are silent, or ``observed`` in real exchanges recorded by ``prakerja-contract proxy``.
PROVENANCES: tuple[Provenance, ...] = ("documented", "inferred", "observed")

#: In a catalogue entry's ``operations``: the code is answered by the sandbox's control API (``/_sandbox``)
#: only, never by an operation of Prakerja's API (``*`` means every operation).
CONTROL_API = "sandbox.control"

#: catalogue statuses that a server may answer as HTTP 400 instead, since every documented Prakerja refusal
#: is 400 ("Unauthorized" ones included; ambiguity ``refusal-http-status``). 404/405, 429 and 5xx keep theirs.
REFUSALS_ANSWERED_400 = frozenset({401, 403, 413, 415})


def contract_dir() -> Path:
    """The folder holding the contract files, for an installed wheel or a source checkout."""
    packaged = Path(__file__).with_name("_contracts")
    if (packaged / "openapi.yaml").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "contracts"
    if (checkout / "openapi.yaml").is_file():
        return checkout
    raise FileNotFoundError(
        "the Prakerja contract files were not found: expected prakerja/_contracts in the installed package "
        f"or contracts/ in a source checkout (looked in {packaged} and {checkout})"
    )


@attrs.frozen
class ErrorEntry:
    """One code of the error catalogue (``contracts/errors.yaml``)."""

    code: str
    http_status: int
    title: str
    message_id: str
    message_en: str
    operations: tuple[str, ...]
    """Operation ids that may answer the code; ``*`` for every operation, :data:`CONTROL_API` for none."""
    retryable: bool
    provenance: Provenance
    family: str
    action: str
    reasoning: str | None = None
    dp_must_handle: bool = False
    #: provenance of ``message_id`` itself: a documented code may carry a message written here (cut-off page)
    message_provenance: Provenance | None = None
    message_reasoning: str | None = None
    observed: str | None = None
    """For ``provenance: observed``: where and when it was seen (``payments.send_otp, first seen 2026-12-06``)."""

    @property
    def message(self) -> str:
        """The message Prakerja returns (Indonesian, as the real API answers)."""
        return self.message_id


@attrs.frozen
class Operation:
    """One operation of ``contracts/openapi.yaml``, by its ``operationId``."""

    operation_id: str
    method: str
    path: str
    server: str
    spec: Mapping[str, Any] = attrs.field(repr=False)

    @property
    def signing(self) -> str:
        """``integration`` (client_code/signature/timestamp headers), ``sso`` (X- headers) or ``none``."""
        value = self.spec.get("x-signing", "integration")
        return str(value)

    @property
    def request_schema(self) -> dict[str, Any] | None:
        """The JSON body schema as a ``$ref`` into the document, or ``None`` for a body-less operation."""
        body = self.spec.get("requestBody")
        if not body:
            return None
        schema = body["content"]["application/json"]["schema"]
        return dict(schema)

    def response_schema(self, status: int | str) -> dict[str, Any] | None:
        """The JSON schema of the response with ``status`` (falling back to ``default``)."""
        responses = self.spec.get("responses", {})
        response = responses.get(str(status)) or responses.get("default")
        if response is None:
            return None
        content = response.get("content", {}).get("application/json")
        return None if content is None else dict(content["schema"])


@attrs.frozen
class Region:
    """A regency or city (kabupaten/kota) with its official Kemendagri code, e.g. ``11.01``."""

    code: str
    province_code: str
    name: str
    province_name: str


@attrs.frozen
class Reading:
    """One way to read an ambiguous point of the docs, with where it comes from."""

    id: str
    text: str
    source: str
    provenance: Provenance
    #: for ``provenance: observed``: where and when the real API was seen taking this reading
    observed: str | None = None


@attrs.frozen
class Ambiguity:
    """A point where the published docs allow more than one reading (``contracts/ambiguities.yaml``)."""

    id: str
    point: str
    readings: tuple[Reading, ...]
    sdk_sends: str
    sdk_accepts: str
    sandbox_default: str
    sandbox_strict: str
    #: the sandbox warning code sent when a request is accepted only through the less documented reading
    warning: str | None = None
    #: the ``x-decisions`` id of ``openapi.yaml`` that settles the point for this contract, if any
    decision: str | None = None


@attrs.frozen
class SandboxWarning:
    """A ``Prakerja-Sandbox-Warning`` code: a request the sandbox accepted only through a lenient path."""

    code: str
    ambiguity: str
    title: str
    text: str
    hint: str
    #: the catalogue codes a strict sandbox refuses such a request with (integration first, then SSO)
    strict_codes: tuple[str, ...]

    @property
    def header(self) -> str:
        """The header value: ``<code> "<text>"``."""
        return f'{self.code} "{self.text}"'


@attrs.frozen
class Contract:
    """The parsed contract. Build it with :func:`load_contract`; it is immutable and cached."""

    openapi: Mapping[str, Any] = attrs.field(repr=False)
    errors: Mapping[str, ErrorEntry] = attrs.field(repr=False)
    signing_vectors: tuple[Mapping[str, Any], ...] = attrs.field(repr=False)
    scenarios: Mapping[str, Any] = attrs.field(repr=False)
    partners: Mapping[str, Any] = attrs.field(repr=False)
    regions: tuple[Region, ...] = attrs.field(repr=False)
    root: Path
    ambiguities: Mapping[str, Ambiguity] = attrs.field(factory=dict, repr=False)
    sandbox_warnings: Mapping[str, SandboxWarning] = attrs.field(factory=dict, repr=False)

    @functools.cached_property
    def operations(self) -> Mapping[str, Operation]:
        """Every operation keyed by ``operationId`` (``payments.send_otp``, ``sso.profile``, ...)."""
        found: dict[str, Operation] = {}
        for path, item in self.openapi.get("paths", {}).items():
            servers = item.get("servers") or self.openapi.get("servers") or [{"url": ""}]
            for method, spec in item.items():
                if method not in {"get", "post", "put", "patch", "delete"}:
                    continue
                op_servers = spec.get("servers") or servers
                server = str(op_servers[0].get("x-server-name", op_servers[0]["url"]))
                found[spec["operationId"]] = Operation(
                    operation_id=spec["operationId"],
                    method=method.upper(),
                    path=path,
                    server=server,
                    spec=spec,
                )
        return found

    def operation(self, operation_id: str) -> Operation:
        """The operation with ``operation_id``; ``KeyError`` names the known ones when it is missing."""
        try:
            return self.operations[operation_id]
        except KeyError:
            known = ", ".join(sorted(self.operations))
            raise KeyError(f"no operation {operation_id!r} in the contract; known: {known}") from None

    def error(self, code: str) -> ErrorEntry:
        """The catalogue entry for ``code``."""
        try:
            return self.errors[code]
        except KeyError:
            raise KeyError(f"{code!r} is not in the error catalogue (contracts/errors.yaml)") from None

    def sandbox_warning(self, code: str) -> SandboxWarning:
        """The sandbox warning ``code`` (``SBXW001``...)."""
        try:
            return self.sandbox_warnings[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a sandbox warning (contracts/ambiguities.yaml)") from None

    def schema(self, name: str) -> dict[str, Any]:
        """A standalone JSON Schema for ``components/schemas/<name>``, its references resolvable."""
        return self.resolvable({"$ref": f"#/components/schemas/{name}"})

    def resolvable(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` made standalone: the document's components ride along so ``$ref`` resolves."""
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            **schema,
            "components": self.openapi.get("components", {}),
        }


def _read_yaml(path: Path) -> Any:
    require_extra("contract", "Loading the Prakerja contract files", modules=("yaml",))
    import yaml

    with path.open(encoding="utf-8") as handle:
        # The C loader (when PyYAML was built with libyaml) parses the 7,000-line OpenAPI document ~10x faster.
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _error_entry(raw: Mapping[str, Any]) -> ErrorEntry:
    if raw["provenance"] not in PROVENANCES:
        raise ValueError(
            f"errors.yaml: {raw['code']} has provenance {raw['provenance']!r}; "
            f"expected one of {', '.join(PROVENANCES)}"
        )
    if raw["provenance"] == "observed" and not raw.get("observed"):
        raise ValueError(f"errors.yaml: {raw['code']} is observed; say where and when in `observed`")
    return ErrorEntry(
        code=raw["code"],
        http_status=int(raw["http_status"]),
        title=raw["title"],
        message_id=raw["message_id"],
        message_en=raw["message_en"],
        operations=tuple(raw.get("operations", ())),
        retryable=bool(raw["retryable"]),
        provenance=raw["provenance"],
        family=raw["family"],
        action=raw["action"],
        reasoning=raw.get("reasoning"),
        dp_must_handle=bool(raw.get("dp_must_handle", False)),
        message_provenance=raw.get("message_provenance", raw["provenance"]),
        message_reasoning=raw.get("message_reasoning"),
        observed=raw.get("observed"),
    )


def _read_regions(folder: Path) -> tuple[Region, ...]:
    with (folder / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        provinces = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    with (folder / "regencies.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            Region(
                code=row["code"],
                province_code=row["province_code"],
                name=row["name"],
                province_name=provinces[row["province_code"]],
            )
            for row in csv.DictReader(handle)
        )


def _reading(ambiguity: str, raw: Mapping[str, Any]) -> Reading:
    where = f"ambiguities.yaml: {ambiguity}/{raw.get('id')}"
    if raw.get("provenance") not in PROVENANCES:
        raise ValueError(
            f"{where} has provenance {raw.get('provenance')!r}; expected one of {', '.join(PROVENANCES)}"
        )
    if raw["provenance"] == "observed" and not raw.get("observed"):
        raise ValueError(f"{where} is observed; say where and when in `observed`")
    return Reading(**raw)


def _ambiguity(raw: Mapping[str, Any]) -> Ambiguity:
    return Ambiguity(
        id=raw["id"],
        point=raw["point"],
        readings=tuple(_reading(raw["id"], reading) for reading in raw["readings"]),
        sdk_sends=raw["sdk_sends"],
        sdk_accepts=raw["sdk_accepts"],
        sandbox_default=raw["sandbox_default"],
        sandbox_strict=raw["sandbox_strict"],
        warning=raw.get("warning"),
        decision=raw.get("decision"),
    )


def _sandbox_warning(raw: Mapping[str, Any]) -> SandboxWarning:
    return SandboxWarning(
        code=raw["code"],
        ambiguity=raw["ambiguity"],
        title=raw["title"],
        text=" ".join(str(raw["text"]).split()),
        hint=" ".join(str(raw["hint"]).split()),
        strict_codes=tuple(raw["strict_codes"]),
    )


@functools.cache
def _load(root: Path) -> Contract:
    errors_raw = _read_yaml(root / "errors.yaml")
    errors = {entry["code"]: _error_entry(entry) for entry in errors_raw["errors"]}
    with (root / "signing.json").open(encoding="utf-8") as handle:
        vectors = tuple(json.load(handle)["vectors"])
    register = _read_yaml(root / "ambiguities.yaml")
    return Contract(
        openapi=_read_yaml(root / "openapi.yaml"),
        errors=errors,
        signing_vectors=vectors,
        scenarios=_read_yaml(root / "scenarios.yaml"),
        partners=_read_yaml(root / "partners.yaml"),
        regions=_read_regions(root / "regions"),
        root=root,
        ambiguities={entry["id"]: _ambiguity(entry) for entry in register["ambiguities"]},
        sandbox_warnings={entry["code"]: _sandbox_warning(entry) for entry in register["warnings"]},
    )


def load_contract(root: str | Path | None = None) -> Contract:
    """Load (once, then from cache) the contract from ``root`` or from the packaged contract files."""
    return _load(Path(root).resolve() if root is not None else contract_dir())
