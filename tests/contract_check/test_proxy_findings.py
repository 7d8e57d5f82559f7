"""What the proxy's checks find: drift in the contract's own examples, and the readings of the register."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prakerja.contract import load_contract
from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse
from prakerja.contract_check.proxy_checks import ExchangeChecker
from prakerja.contract_check.proxy_readings import DETECTORS, Seen, readings

CONTRACT = load_contract()
CHECKER = ExchangeChecker(CONTRACT)


def _examples() -> list[tuple[str, int, dict[str, Any]]]:
    """Every JSON answer example of the contract: (operationId, status, body)."""
    found = []
    for op in CONTRACT.operations.values():
        for status, response in op.spec.get("responses", {}).items():
            content = response.get("content", {}).get("application/json", {})
            for example in content.get("examples", {}).values():
                if isinstance(example.get("value"), dict):
                    found.append((op.operation_id, int(status), example["value"]))
    return found


EXAMPLES = _examples()
SUCCESSES = [e for e in EXAMPLES if e[1] == 200 and isinstance(e[2].get("data"), dict)]


def _request_example(operation: str) -> Any:
    content = CONTRACT.operation(operation).spec.get("requestBody", {}).get("content", {})
    examples = content.get("application/json", {}).get("examples", {})
    return next((example["value"] for example in examples.values()), {})


def _exchange(operation: str, status: int, body: Any, request: Any = None) -> Exchange:
    op = CONTRACT.operation(operation)
    request = _request_example(operation) if request is None else request
    return Exchange(
        request=SentRequest(
            method=op.method,
            url=op.path,
            headers=(("Content-Type", "application/json"),),
            body=json.dumps(request).encode() if op.method != "GET" else b"",
        ),
        response=SentResponse(status, (("Content-Type", "application/json"),), json.dumps(body).encode()),
    )


def _drift(operation: str, status: int, body: Any) -> list[dict[str, Any]]:
    findings = CHECKER.observe(_exchange(operation, status, body)).findings
    return [f.to_dict() for f in findings if f.kind != "reading"]


def test_the_contract_has_answer_examples_to_mutate() -> None:
    assert len(SUCCESSES) >= 12


@pytest.mark.parametrize(("operation", "status", "body"), EXAMPLES, ids=[f"{e[0]}-{e[1]}" for e in EXAMPLES])
def test_every_answer_example_of_the_contract_is_found_conformant(
    operation: str, status: int, body: Any
) -> None:
    assert _drift(operation, status, body) == []


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, dict[str, Any], str, dict[str, Any]]:
    """A success example with one drift in ``data``, and the finding it must produce."""
    operation, _, example = draw(st.sampled_from(SUCCESSES))
    body = json.loads(json.dumps(example))
    data = body["data"]
    numbers = [k for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)]
    texts = [k for k, v in data.items() if isinstance(v, str)]
    kinds = ["missing", "unknown-field"] + (["type"] if numbers else []) + (["null"] if texts else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "type":
        key = draw(st.sampled_from(numbers))
        data[key] = str(data[key])
        return operation, body, kind, {"where": f"data.{key}", "expected": "integer", "observed": "string"}
    if kind == "null":
        key = draw(st.sampled_from(texts))
        data[key] = None
        return operation, body, kind, {"where": f"data.{key}", "observed": "null"}
    if kind == "unknown-field":
        key = draw(st.from_regex(r"\A[a-z]{3,8}_[a-z]{3,8}\Z").filter(lambda k: k not in CHECKER.vocabulary))
        data[key] = draw(st.one_of(st.integers(), st.text(max_size=5), st.booleans()))
        return operation, body, kind, {"where": f"data.{key}"}
    key = draw(st.sampled_from(sorted(data)))
    del data[key]
    return operation, body, kind, {"where": f"data.{key}"}


@settings(max_examples=150, deadline=None)
@given(mutated())
def test_one_drift_in_an_example_is_found_with_its_field(
    case: tuple[str, dict[str, Any], str, dict[str, Any]],
) -> None:
    operation, body, kind, expected = case
    # The reference: jsonschema on the contract's response schema says whether the drift breaks the contract
    # (an optional field may be absent, a nullable one null); a field the contract does not define is always
    # reported, since the contract lets clients ignore it but a person should see it.
    validator = CHECKER.schemas[operation].response_validator(200, "application/json")
    assert validator is not None
    breaks = kind == "unknown-field" or not validator.is_valid(body)

    found = _drift(operation, 200, body)

    matching = [f for f in found if f["kind"] == kind and all(f.get(k) == v for k, v in expected.items())]
    assert len(matching) == (1 if breaks else 0), (kind, expected, found)
    if not breaks:
        assert found == []


def test_an_unknown_enum_token_is_named_and_a_value_that_is_not_a_token_is_hidden() -> None:
    operation, _, example = next(e for e in SUCCESSES if e[0] == "payments.status")
    pending = json.loads(json.dumps(example))
    pending["data"]["status"] = "PENDING"
    personal = json.loads(json.dumps(example))
    personal["data"]["status"] = "siti@example.com"

    [named] = [f for f in _drift(operation, 200, pending) if f["kind"] == "enum"]
    [hidden] = [f for f in _drift(operation, 200, personal) if f["kind"] == "enum"]

    assert (named["where"], named["observed"]) == ("data.status", "PENDING")
    assert "observed" not in hidden
    assert "siti" not in json.dumps(hidden)


def _seen(operation: str, status: int, **fields: Any) -> Seen:
    entry = CONTRACT.errors.get(fields.get("code") or "")
    return Seen(
        operation=operation,
        path=fields.pop("path", CONTRACT.operation(operation).path),
        request_headers=fields.pop("headers", (("client_code", "X"),)),
        request_json=fields.pop("request", {}),
        content_type=fields.pop("content_type", "application/json"),
        status=status,
        response_json=fields.pop("response", {}),
        code=fields.pop("code", None),
        catalogue_status=entry.http_status if entry else None,
    )


READING_CASES = [
    (_seen("payments.status", 200, response={"data": {"amount": "20000"}}), "status-amount-type", "string"),
    (_seen("payments.status", 200, response={"data": {"amount": 20000}}), "status-amount-type", "integer"),
    (
        _seen("payments.authorize", 200, request={"invoice_code": 77}),
        "authorize-invoice-code-type",
        "integer",
    ),
    (
        _seen("payments.authorize", 400, request={"invoice_code": 77}, code="ERRPLT40004"),
        "authorize-invoice-code-type",
        "string",
    ),
    (
        _seen("attendance.status", 200, request={"redeem_code": "X"}),
        "redeem-status-sequence",
        "optional-default-1",
    ),
    (
        _seen("attendance.status", 400, request={"redeem_code": "X"}, code="ERRPLT40003"),
        "redeem-status-sequence",
        "required",
    ),
    (_seen("sso.refresh_token", 200, path="/api/v1/oauth/token"), "refresh-token-path", "token"),
    (_seen("sso.refresh_token", 200), "refresh-token-path", "token-refresh"),
    (_seen("sso.profile", 400, response={"code": "ERROAUTH4030"}), "sso-error-envelope", "code-only"),
    (
        _seen("sso.profile", 400, response={"code": "ERROAUTH4030", "errorCode": "ERROAUTH4030"}),
        "sso-error-envelope",
        "code-and-errorcode",
    ),
    (_seen("payments.quota", 400, code="ERRPLT40104"), "refusal-http-status", "always-400"),
    (_seen("payments.quota", 401, code="ERRPLT40104"), "refusal-http-status", "by-kind"),
    (
        _seen("sso.create_token", 200, content_type="application/x-www-form-urlencoded"),
        "token-request-body",
        "form",
    ),
    (
        _seen("sso.create_token", 415, content_type="application/x-www-form-urlencoded"),
        "token-request-body",
        "json",
    ),
    (_seen("payments.quota", 200, headers=(("client-code", "X"),)), "signing-header-spelling", "client-code"),
    (_seen("payments.authorize", 200, request={"otp": "1234"}), "otp-length", "four-or-six"),
    (
        _seen("payments.authorize", 400, request={"otp": "1234"}, code="ERRPLT40005"),
        "otp-length",
        "six-digits",
    ),
    (
        _seen(
            "attendance.status",
            200,
            request={"redeem_code": "GHOPNYXUVMT0", "sequence": 1},
            response={"data": {"attendance_status": 0}},
        ),
        "example-code-attendance-status",
        "page",
    ),
    (
        _seen(
            "attendance.status",
            200,
            request={"redeem_code": "GHOPNYXUVMT0", "sequence": 1},
            response={"data": {"attendance_status": 1}},
        ),
        "example-code-attendance-status",
        "attended",
    ),
]


@pytest.mark.parametrize(
    ("seen", "ambiguity", "reading"), READING_CASES, ids=[f"{c[1]}-{c[2]}" for c in READING_CASES]
)
def test_each_reading_is_named_by_its_ids_in_the_register(seen: Seen, ambiguity: str, reading: str) -> None:
    found = [(f.ambiguity, f.reading) for f in readings(seen)]

    assert (ambiguity, reading) in found
    assert reading in {r.id for r in CONTRACT.ambiguities[ambiguity].readings}


def test_every_detector_is_exercised() -> None:
    exercised = {detector for detector in DETECTORS for seen, _, _ in READING_CASES if list(detector(seen))}
    assert exercised == set(DETECTORS)


def test_a_refresh_body_on_the_create_token_path_is_a_refresh_answered_on_oauth_token() -> None:
    exchange = Exchange(
        request=SentRequest(
            "POST", "/api/v1/oauth/token", (("Content-Type", "application/json"),), b'{"token":"rt_1"}'
        ),
        response=SentResponse(
            200,
            (("Content-Type", "application/json"),),
            json.dumps({"success": True, "message": "no error", "errorCode": "0", "data": {}}).encode(),
        ),
    )

    observation = CHECKER.observe(exchange)

    assert observation.operation == "sso.refresh_token"
    assert "refresh answered on /oauth/token" in [f.text for f in observation.findings]


@pytest.mark.parametrize(
    ("status", "kinds", "reading"),
    [
        (401, ["reading"], "by-kind"),
        (400, ["reading"], "always-400"),
        (403, ["code-status"], None),
        (429, ["code-status"], None),
    ],
)
def test_a_catalogue_code_with_another_status_is_drift_unless_a_reading_of_the_register_explains_it(
    status: int, kinds: list[str], reading: str | None
) -> None:
    body = {"success": False, "code": "ERRPLT40104", "message": CONTRACT.error("ERRPLT40104").message_id}

    findings = CHECKER.observe(_exchange("payments.quota", status, body)).findings

    assert sorted(f.kind for f in findings if f.kind != "status") == kinds
    assert [f.reading for f in findings if f.kind == "reading"] == ([reading] if reading else [])


@pytest.mark.parametrize("code", sorted(CONTRACT.sandbox_warnings))
def test_a_sandbox_warning_names_the_ambiguity_the_client_relies_on(code: str) -> None:
    warning = CONTRACT.sandbox_warning(code)
    exchange = _exchange("payments.quota", 200, {"success": True, "message": "OK", "data": {}})
    assert exchange.response is not None
    warned = attrs.evolve(
        exchange,
        response=attrs.evolve(
            exchange.response,
            headers=(*exchange.response.headers, ("Prakerja-Sandbox-Warning", warning.header)),
        ),
    )

    observation = CHECKER.observe(warned)

    [finding] = [f for f in observation.findings if f.kind == "sandbox-warning"]
    assert (finding.observed, finding.ambiguity) == (code, warning.ambiguity)
    assert warning.ambiguity in CONTRACT.ambiguities
    assert observation.response is not None
    assert observation.response["warnings"] == [code]
