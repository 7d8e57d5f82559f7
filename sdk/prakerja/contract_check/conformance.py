"""Does a response conform to the contract? Pure functions over an :class:`Exchange`.

Every answer is checked the same way whatever the request was: the status is declared for the operation,
the content type is the declared one, the body matches the declared schema (success or error envelope),
and an error carries a catalogue code whose HTTP status is the response's and which the operation lists in
``x-error-codes``. The checks that depend on the request's intent (``expect_refusal`` ...) build on it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

import hypothesis

from prakerja.contract import REFUSALS_ANSWERED_400, Contract
from prakerja.contract_check.exchange import Exchange
from prakerja.contract_check.schemas import OperationSchemas

__all__ = ["REQUEST_VALIDATION_CODES", "conformance_problems", "expect_refusal", "problems_for_valid_request"]

# Codes that say "your request is not what the contract describes": a contract-valid, correctly signed
# request must never get them.
REQUEST_VALIDATION_CODES = frozenset(
    {
        "ERRPLT40001",
        "ERRPLT40002",
        "ERRPLT40003",
        "ERRPLT40004",
        "ERRPLT40005",
        "ERRPLT40006",
        "ERRPLT40007",
        "ERRPLT40101",
        "ERRPLT40102",
        "ERRPLT40103",
        "ERRPLT40104",
        "ERRPLT40105",
        "ERRPLT40106",
        "ERRPLT40107",
        "ERRPLT41301",
        "ERRPLT41501",
        "ERROAUTH4024",
        "ERROAUTH4036",
        "ERROAUTH4037",
        "ERROAUTH4038",
        "ERROAUTH4039",
        "ERROAUTH4040",
    }
)


def _schema_errors(validator: Any, payload: Any, limit: int = 3) -> list[str]:
    errors = sorted(validator.iter_errors(payload), key=lambda err: list(err.absolute_path))
    out = []
    for err in errors[:limit]:
        where = "/".join(str(part) for part in err.absolute_path) or "(body)"
        out.append(f"{where}: {err.message}")
    return out


def _error_code_problems(
    contract: Contract, schemas: OperationSchemas, status: int, payload: Mapping[str, Any]
) -> list[str]:
    problems: list[str] = []
    code = payload.get("code")
    if not isinstance(code, str):
        return problems  # the envelope schema already reported it
    entry = contract.errors.get(code)
    if entry is None:
        return [f"error code {code} is not in the error catalogue (contracts/errors.yaml)"]
    # Prakerja documents every refusal as 400, so 400 is a conforming answer for any catalogue 401/403/413/415
    documented_400 = status == 400 and entry.http_status in REFUSALS_ANSWERED_400
    if entry.http_status != status and not documented_400:
        problems.append(f"{code} must be sent with HTTP {entry.http_status} (catalogue), got {status}")
    if code not in schemas.error_codes:
        problems.append(f"{code} is not declared in x-error-codes of {schemas.operation.operation_id}")
    if "errorCode" in payload and payload.get("errorCode") != code:
        problems.append(f"SSO error carries code {code} but errorCode {payload.get('errorCode')!r}")
    message = payload.get("message")
    if isinstance(message, str) and message != entry.message_id:
        problems.append(f"{code} message is {message!r}; the catalogue's message is {entry.message_id!r}")
    return problems


def conformance_problems(contract: Contract, schemas: OperationSchemas, exchange: Exchange) -> list[str]:
    """Every way the response breaks the contract, whatever the request was (empty when it conforms)."""
    response = exchange.response
    op = schemas.operation.operation_id
    if exchange.client_refused:
        # the generated request could not be sent: discard the example, never blame the server
        hypothesis.reject()
    if response is None:
        return [f"no response from the server ({exchange.transport_error})"]
    status = response.status_code
    if status not in schemas.declared_statuses():
        declared = ", ".join(str(s) for s in sorted(schemas.declared_statuses()))
        return [f"HTTP {status} is not a status {op} declares ({declared}); body: {response.preview()[:300]}"]
    media_types = schemas.response_media_types(status)
    problems: list[str] = []
    if not media_types:
        spec = schemas.response_spec(status) or {}
        for name, header in spec.get("headers", {}).items():
            if header.get("required") and not any(k.lower() == name.lower() for k, _ in response.headers):
                problems.append(f"HTTP {status} must carry the {name} header")
        return problems
    if response.content_type not in media_types:
        return [
            f"content type {response.content_type or '(none)'!r} for HTTP {status}; declared: {', '.join(media_types)}"
        ]
    if response.content_type != "application/json":
        return problems
    payload = response.json_or_none()
    if payload is None:
        return [f"HTTP {status} body is not JSON: {response.preview()[:300]}"]
    validator = schemas.response_validator(status, "application/json")
    if validator is not None:
        problems += [f"response body {msg}" for msg in _schema_errors(validator, payload)]
    if isinstance(payload, Mapping) and status >= 400:
        problems += _error_code_problems(contract, schemas, status, payload)
    return problems


def expect_refusal(exchange: Exchange, codes: Collection[str], *, why: str) -> list[str]:
    """Problems when the response is not a refusal with one of ``codes``."""
    response = exchange.response
    if response is None:
        return []  # conformance_problems reports it
    code = response.error_code
    wanted = " or ".join(sorted(codes))
    if response.status_code < 400:
        return [
            f"{why}: expected refusal {wanted}, but the server answered HTTP {response.status_code} (accepted)"
        ]
    if response.status_code >= 500:
        return [
            f"{why}: expected refusal {wanted}, got a server error HTTP {response.status_code} ({code or 'no code'})"
        ]
    if code not in codes:
        return [f"{why}: expected {wanted}, got HTTP {response.status_code} {code or '(no code)'}"]
    return []


def problems_for_valid_request(exchange: Exchange, *, also_refused: Iterable[str] = ()) -> list[str]:
    """Problems when a contract-valid, correctly signed request was refused as invalid or crashed the server.

    ``also_refused`` names further codes that this request must not get (e.g. ERRPLT40301 when the
    credentials hold the operation's role).
    """
    response = exchange.response
    if response is None:
        return []
    code = response.error_code
    if response.status_code >= 500:
        return [
            f"a contract-valid request got a server error HTTP {response.status_code} ({code or 'no code'})"
        ]
    forbidden = REQUEST_VALIDATION_CODES | frozenset(also_refused)
    if code in forbidden:
        return [
            f"a contract-valid, correctly signed request was refused with {code} (HTTP {response.status_code})"
        ]
    return []
