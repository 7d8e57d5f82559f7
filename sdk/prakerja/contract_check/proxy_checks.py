"""Check one real exchange against the contract and turn it into a redacted :class:`Observation`.

:class:`ExchangeChecker` is pure: it takes the bytes a client sent and the bytes the server answered (an
:class:`~prakerja.contract_check.exchange.Exchange`) and says which operation it was, every way the answer
differs from the contract (envelope, fields, types, value sets, HTTP status, error code, content type), and
which reading of each documented ambiguity the server took. The proxy calls it after forwarding; tests call it
directly.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema

from prakerja.contract import Contract, load_contract
from prakerja.contract_check.exchange import Exchange
from prakerja.contract_check.observations import Observation
from prakerja.contract_check.observations_shape import redact_path, safe_code, shape
from prakerja.contract_check.proxy_readings import Seen, readings
from prakerja.contract_check.proxy_schema import Finding, drift
from prakerja.contract_check.schemas import ContractSchemas, OperationSchemas

__all__ = ["ExchangeChecker"]

# Request headers whose names (never values) the observations keep, in the spelling the client used.
_KEPT_HEADERS = frozenset(
    {"content-type", "client_code", "client-code", "signature", "timestamp", "authorization"}
    | {"x-client-id", "x-signature", "x-timestamp", "content-encoding", "transfer-encoding"}
)
_WARNING_CODE = re.compile(r"^\s*(SBXW[0-9]{3})\b")
_AUTH_SCHEMES = ("Payment", "Bearer")


def _pointer(*parts: str) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _header(headers: tuple[tuple[str, str], ...], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _decoded(body: bytes, encoding: str | None) -> bytes | None:
    """The body without its Content-Encoding (gzip, deflate), or ``None`` when it cannot be read."""
    if not encoding or encoding.strip().lower() == "identity":
        return body
    try:
        if encoding.strip().lower() in {"gzip", "x-gzip"}:
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if encoding.strip().lower() == "deflate":
            return zlib.decompress(body)
    except zlib.error:
        return None
    return None


def _parse(body: bytes, content_type: str) -> Any:
    """The body as JSON (or a form as a mapping); ``None`` when it is neither."""
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    try:
        return json.loads(body.decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


def _media(headers: tuple[tuple[str, str], ...]) -> str:
    return (_header(headers, "content-type") or "").split(";", 1)[0].strip().lower()


def _vocabulary(node: Any, found: set[str]) -> set[str]:
    """Every property and parameter name the OpenAPI document defines."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "properties" and isinstance(value, Mapping):
                found.update(str(name) for name in value)
            if key == "name" and isinstance(value, str):
                found.add(value)
            _vocabulary(value, found)
    elif isinstance(node, list):
        for item in node:
            _vocabulary(item, found)
    return found


class ExchangeChecker:
    """Checks exchanges against one contract; build it once and share it between threads."""

    def __init__(self, contract: Contract | None = None) -> None:
        self.contract = contract or load_contract()
        self.components: Mapping[str, Any] = self.contract.openapi.get("components", {})
        self.schemas = ContractSchemas(self.contract)
        for operation_id in self.contract.operations:
            self.schemas[operation_id]  # resolve every schema now: the proxy's threads only read them
        self.routes = {(op.method, op.path): op.operation_id for op in self.contract.operations.values()}
        self.vocabulary = frozenset(
            _vocabulary(self.contract.openapi, {"success", "message", "data", "code"})
        )
        self.segments = frozenset(s for op in self.contract.operations.values() for s in op.path.split("/"))
        self._request_validators: dict[str, jsonschema.protocols.Validator] = {}
        for op_id in self.contract.operations:
            body = self.schemas[op_id].body
            if body is not None:
                self._request_validators[op_id] = jsonschema.Draft202012Validator(body)

    # which operation ---------------------------------------------------------------------------------
    def operation_for(self, method: str, path: str, request_body: Any) -> str | None:
        """The operationId of ``method path``; a refresh body sent to Create Token's path is a refresh."""
        bare = path.split("?", 1)[0]
        found = self.routes.get((method.upper(), bare)) or self.routes.get((method.upper(), bare.rstrip("/")))
        refresh_body = (
            isinstance(request_body, Mapping) and "token" in request_body and "code" not in request_body
        )
        if found == "sso.create_token" and refresh_body:
            return "sso.refresh_token"
        return found

    # the whole exchange ------------------------------------------------------------------------------
    def observe(
        self, exchange: Exchange, *, at: datetime | None = None, duration_ms: float | None = None
    ) -> Observation:
        """The observation of one exchange: findings and redacted shapes, no value of either body."""
        request = exchange.request
        target = urlsplit(request.url)
        path = target.path or "/"
        request_type = _media(request.headers)
        request_body = _decoded(request.body, _header(request.headers, "content-encoding"))
        request_json = _parse(request_body or b"", request_type)
        operation = self.operation_for(request.method, path, request_json)
        findings: list[Finding] = []
        if operation is None:
            findings.append(
                Finding(
                    "unknown-path",
                    f"{request.method} {redact_path(path, self.segments)} is not an operation of the contract",
                    where=redact_path(path, self.segments),
                )
            )
        response_record: dict[str, Any] | None = None
        status = code = None
        if exchange.response is None:
            findings.append(Finding("no-response", f"no answer from the server ({exchange.transport_error})"))
        else:
            response = exchange.response
            status = response.status_code
            response_type = _media(response.headers)
            body = _decoded(response.body, _header(response.headers, "content-encoding"))
            payload = None if body is None else _parse(body, response_type)
            code = self._code(payload)
            if operation is not None:
                schemas = self.schemas[operation]
                findings += self._response_findings(schemas, status, response_type, body, payload)
                findings += self._code_findings(schemas, status, payload)
                findings += self._crash_findings(operation, status, request_json, request_type)
                entry = self.contract.errors.get(code) if code else None
                findings += readings(
                    Seen(
                        operation=operation,
                        path=path,
                        request_headers=request.headers,
                        request_json=request_json,
                        content_type=request_type,
                        status=status,
                        response_json=payload,
                        code=code,
                        catalogue_status=entry.http_status if entry else None,
                    )
                )
            findings += self._warning_findings(response.headers)
            response_record = {
                "content_type": response_type or None,
                "bytes": len(response.body),
                "shape": self._shape(payload, body, response_type),
                "warnings": sorted(
                    {
                        m[1]
                        for k, v in response.headers
                        if k.lower() == "prakerja-sandbox-warning"
                        for m in [_WARNING_CODE.match(v)]
                        if m
                    }
                ),
            }
        return Observation(
            at=(at or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            operation=operation,
            method=request.method.upper(),
            path=path if operation is not None else redact_path(path, self.segments),
            status=status,
            code=safe_code(code),
            findings=tuple(findings),
            request=self._request_record(
                request.headers, request.body, request_json, request_type, target.query
            ),
            response=response_record,
            duration_ms=None if duration_ms is None else round(duration_ms, 1),
        )

    # parts ---------------------------------------------------------------------------------------------
    @staticmethod
    def _code(payload: Any) -> str | None:
        if not isinstance(payload, Mapping) or payload.get("success") is True:
            return None
        code = payload.get("code") or payload.get("errorCode")
        return code if isinstance(code, str) and code not in ("", "0") else None

    def _shape(self, payload: Any, body: bytes | None, media_type: str) -> Any:
        if payload is not None:
            return shape(payload, vocabulary=self.vocabulary)
        if not body:
            return None
        return f"{media_type or 'untyped'} body, not JSON"

    def _request_record(
        self, headers: tuple[tuple[str, str], ...], raw: bytes, parsed: Any, media_type: str, query: str
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "headers": [name for name, _ in headers if name.lower() in _KEPT_HEADERS],
            "content_type": media_type or None,
            "bytes": len(raw),
            "shape": self._shape(parsed, raw, media_type),
        }
        authorization = _header(headers, "authorization")
        if authorization is not None:
            scheme = authorization.split(" ", 1)[0]
            record["authorization"] = scheme if scheme in _AUTH_SCHEMES and " " in authorization else "bare"
        if query:
            record["query"] = shape(
                dict(parse_qsl(query, keep_blank_values=True)), vocabulary=self.vocabulary
            )
        return record

    def _warning_findings(self, headers: tuple[tuple[str, str], ...]) -> list[Finding]:
        """A sandbox answer that accepted the request only through a lenient reading says so in a header."""
        found: list[Finding] = []
        for name, value in headers:
            match = _WARNING_CODE.match(value) if name.lower() == "prakerja-sandbox-warning" else None
            warning = self.contract.sandbox_warnings.get(match[1]) if match else None
            if warning is not None:
                found.append(
                    Finding(
                        "sandbox-warning",
                        f"{warning.code}: {warning.text}",
                        observed=warning.code,
                        ambiguity=warning.ambiguity,
                    )
                )
        return found

    def _response_findings(
        self, schemas: OperationSchemas, status: int, media_type: str, body: bytes | None, payload: Any
    ) -> list[Finding]:
        op = schemas.operation
        declared = schemas.declared_statuses()
        responses = _pointer("paths", op.path, op.method.lower(), "responses")
        findings: list[Finding] = []
        if status not in declared:
            findings.append(
                Finding(
                    "status",
                    f"HTTP {status} is not a status {op.operation_id} declares "
                    f"({', '.join(str(s) for s in sorted(declared))})",
                    expected=", ".join(str(s) for s in sorted(declared)),
                    observed=str(status),
                    pointer=responses,
                )
            )
        media_types = schemas.response_media_types(status) if status in declared else ("application/json",)
        if not media_types:
            return findings
        if media_type not in media_types and not (status not in declared and status >= 500):
            findings.append(
                Finding(
                    "content-type",
                    f"content type {media_type or '(none)'} for HTTP {status}; the contract says {', '.join(media_types)}",
                    expected=", ".join(media_types),
                    observed=media_type or "(none)",
                    pointer=f"{responses}/{status}/content",
                )
            )
            return findings
        if media_type != "application/json":
            return findings
        if body is None or payload is None:
            findings.append(
                Finding("not-json", f"HTTP {status} body is not JSON", pointer=f"{responses}/{status}")
            )
            return findings
        schema, pointer = self._response_schema(schemas, status)
        if schema is not None:
            findings += drift(schema, pointer, payload, self.components)
        return findings

    def _response_schema(
        self, schemas: OperationSchemas, status: int
    ) -> tuple[Mapping[str, Any] | None, str]:
        op = schemas.operation
        spec = schemas.response_spec(status)
        key = str(status)
        if spec is None:  # an undeclared status: at least the error envelope must hold
            name = "SsoError" if op.operation_id.startswith("sso.") else "ErrorEnvelope"
            if status < 400:
                name = "SsoSuccess" if op.operation_id.startswith("sso.") else "SuccessEnvelope"
            return {"$ref": f"#/components/schemas/{name}"}, f"#/components/schemas/{name}"
        content = spec.get("content", {}).get("application/json")
        if content is None or "schema" not in content:
            return None, ""
        return content["schema"], _pointer(
            "paths", op.path, op.method.lower(), "responses", key, "content", "application/json", "schema"
        )

    def _code_findings(self, schemas: OperationSchemas, status: int, payload: Any) -> list[Finding]:
        op = schemas.operation.operation_id
        code = self._code(payload)
        if code is None:
            return []
        shown = safe_code(code)
        entry = self.contract.errors.get(code)
        if entry is None:
            label = shown or f"<code:{len(code)}>"
            return [
                Finding(
                    "unknown-code",
                    f"unknown code {label} on {op} (HTTP {status})",
                    where="code",
                    observed=shown,
                    expected=str(status),
                    pointer="errors.yaml",
                )
            ]
        findings: list[Finding] = []
        # HTTP 400 for a refusal the catalogue gives another status is the documented reading of the register's
        # refusal-http-status point, reported as that reading; any other mismatch is drift.
        if entry.http_status != status and not (status == 400 and entry.http_status < 500):
            findings.append(
                Finding(
                    "code-status",
                    f"{code} answered with HTTP {status}; the catalogue says {entry.http_status}",
                    where="code",
                    expected=str(entry.http_status),
                    observed=str(status),
                    pointer=code,
                )
            )
        if code not in schemas.error_codes:
            findings.append(
                Finding(
                    "code-operation",
                    f"{code} answered on {op}, which the contract does not list for it",
                    where="code",
                    observed=code,
                    pointer=code,
                )
            )
        message = payload.get("message") if isinstance(payload, Mapping) else None
        if isinstance(message, str) and message != entry.message_id:
            findings.append(
                Finding(
                    "message",
                    f"{code} came with another message than the catalogue's ({len(message)} characters)",
                    where="message",
                    pointer=code,
                )
            )
        return findings

    def _crash_findings(
        self, operation: str, status: int, request_json: Any, media_type: str
    ) -> list[Finding]:
        if status != 500:  # 502-504 speak of the server's health, not of how it handled this input
            return []
        validator = self._request_validators.get(operation)
        broken: list[str] = []
        if media_type not in ("", "application/json"):
            broken.append(f"content type {media_type}")
        elif validator is not None:
            if request_json is None:
                broken.append("a body that is not JSON")
            else:
                errors = sorted(validator.iter_errors(request_json), key=lambda e: list(e.absolute_path))
                broken += [
                    f"{'.'.join(map(str, e.absolute_path)) or '(body)'}: {e.validator} rule"
                    for e in errors[:2]
                ]
        if not broken:
            return []
        return [
            Finding(
                "server-error",
                f"HTTP {status} on {operation} for a request the contract refuses ({'; '.join(broken)}); "
                "the contract expects a 4xx refusal with a catalogue code",
                expected="4xx",
                observed=str(status),
            )
        ]
