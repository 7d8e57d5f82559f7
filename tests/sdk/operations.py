"""Every operation of the contract as the SDK calls it, fed from the contract's own examples.

``CALLS[operation_id](client, fields)`` calls the SDK method with a request body's fields (or, for the
GET operations, the query's), so tests can drive every operation from examples or generated data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

import pytest

from prakerja._core import Call, CallContext
from prakerja.contract import Contract, Operation, load_contract
from prakerja.resources import Attendance, Payments, Sso, Tpm
from prakerja.resources._base import SyncRawSender, SyncSender

CONTRACT: Contract = load_contract()
PAYMENT_TOKEN = "pt_7c9e2b41d3a84f0e9b1c5d6a7e8f9a0b"
ACCESS_TOKEN = "at_0d9c8b7a6f5e4d3c2b1a"

Caller = Callable[[Any, Mapping[str, Any]], Any]

CALLS: dict[str, Caller] = {
    "payments.send_otp": lambda c, f: c.payments.send_otp(**f),
    "payments.authorize": lambda c, f: c.payments.authorize(PAYMENT_TOKEN, **f),
    "payments.status": lambda c, f: c.payments.status(**f),
    "payments.quota": lambda c, f: c.payments.quota(**f),
    # one operation, one exchange: the record read back after a void is tested in test_void.py
    "payments.void": lambda c, f: c.payments.void(**f, read_back=False),
    "attendance.generate_url": lambda c, f: c.attendance.generate_url(**f),
    "attendance.status": lambda c, f: c.attendance.status(**f),
    "attendance.reset": lambda c, f: c.attendance.reset(**f),
    "attendance.commit": lambda c, f: c.attendance.commit(**f),
    "tpm.submit_assignment": lambda c, f: c.tpm.submit_assignment(**f),
    "tpm.submit_feedback": lambda c, f: c.tpm.submit_feedback(**f),
    "tpm.submission_status": lambda c, f: c.tpm.submission_status(**f),
    "sso.login_url": lambda c, f: c.sso.login_url(**{k: v for k, v in f.items() if k != "client_id"}),
    "sso.create_token": lambda c, f: c.sso.create_token(f["code"]),
    "sso.refresh_token": lambda c, f: c.sso.refresh_token(f["token"]),
    "sso.profile": lambda c, f: c.sso.profile(ACCESS_TOKEN),
}

#: Operations that are API calls (the consent page is a browser page the SDK only builds a URL for).
API_OPERATIONS = sorted(CALLS)


def operation(operation_id: str) -> Operation:
    return CONTRACT.operation(operation_id)


def request_examples(operation_id: str) -> dict[str, dict[str, Any]]:
    """The request body examples of an operation, by name (the query's examples for a GET)."""
    spec = operation(operation_id).spec
    body = spec.get("requestBody")
    if body:
        examples = body["content"]["application/json"].get("examples", {})
        return {name: dict(example["value"]) for name, example in examples.items()}
    query = {
        p["name"]: p["example"]
        for p in spec.get("parameters", [])
        if p.get("in") == "query" and "example" in p
    }
    return {"default": query}


def response_example(operation_id: str, name: str = "default") -> dict[str, Any]:
    """A 200 response example of an operation."""
    content = operation(operation_id).spec["responses"]["200"]["content"]["application/json"]
    return dict(content["examples"][name]["value"])


def request_schema(operation_id: str) -> dict[str, Any] | None:
    """The standalone JSON Schema of an operation's request body."""
    schema = operation(operation_id).request_schema
    return None if schema is None else CONTRACT.resolvable(schema)


def response_schema(operation_id: str) -> dict[str, Any]:
    """The standalone JSON Schema of an operation's 200 response."""
    schema = operation(operation_id).response_schema(200)
    assert schema is not None
    return CONTRACT.resolvable(schema)


def call_builder(context: CallContext) -> Any:
    """Resources whose sender hands back the built call: the pure core, without a client or a transport."""

    def returns_the_call(call: Call[Any]) -> Call[Any]:
        return call

    # deliberately not a sender of the protocol (which returns the call's result): each method hands back
    # the call it built
    send: SyncSender = returns_the_call  # type: ignore[assignment]
    send_raw: SyncRawSender = returns_the_call  # type: ignore[assignment]
    return SimpleNamespace(
        payments=Payments(send, context, send_raw=send_raw),
        attendance=Attendance(send, context, send_raw=send_raw),
        tpm=Tpm(send, context, send_raw=send_raw),
        sso=Sso(send, context, send_raw=send_raw),
    )


def build_call(builder: Any, operation_id: str, fields: Mapping[str, Any]) -> Call[Any]:
    """The call an operation builds from ``fields`` (the legacy commit's deprecation warning expected)."""
    if operation_id == "attendance.commit":
        with pytest.warns(DeprecationWarning, match="legacy redeem"):
            call = CALLS[operation_id](builder, fields)
    else:
        call = CALLS[operation_id](builder, fields)
    assert isinstance(call, Call), call  # the builder's methods hand back the call they built
    return call
