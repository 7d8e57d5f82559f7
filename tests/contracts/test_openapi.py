"""The OpenAPI document (``contracts/openapi.yaml``) is valid, complete and self-consistent.

The document is read on its own (not through ``load_contract``) so these checks do not depend on the other
contract files; the error catalogue is read only to check the HTTP statuses of ``x-error-codes``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from prakerja.contract import PROVENANCES, Contract, Operation

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"

# operationId -> (method, path, server, signing), as fixed by the contract design.
DESIGN: dict[str, tuple[str, str, str, str]] = {
    "payments.send_otp": ("POST", "/api/v1/integration/payment/send-otp", "integration", "integration"),
    "payments.authorize": ("POST", "/api/v1/integration/payment/authorize", "integration", "integration"),
    "payments.status": ("POST", "/api/v1/integration/payment/status", "integration", "integration"),
    "payments.quota": ("POST", "/api/v1/integration/payment/quota-schedule", "integration", "integration"),
    "payments.void": ("POST", "/api/v1/integration/payment/void", "integration", "integration"),
    "attendance.generate_url": (
        "POST",
        "/api/v1/integration/oauth/url-generate",
        "integration",
        "integration",
    ),
    "attendance.status": (
        "POST",
        "/api/v1/integration/payment/redeem-code/status",
        "integration",
        "integration",
    ),
    "attendance.reset": (
        "POST",
        "/api/v1/integration/payment/redeem-code/reset",
        "integration",
        "integration",
    ),
    "attendance.commit": (
        "POST",
        "/api/v1/integration/payment/redeem-code/commit",
        "integration",
        "integration",
    ),
    "tpm.submit_assignment": ("POST", "/api/v1/integration/tpm/submission", "integration", "integration"),
    "tpm.submit_feedback": (
        "POST",
        "/api/v1/integration/tpm/feedback/submission",
        "integration",
        "integration",
    ),
    "tpm.submission_status": (
        "POST",
        "/api/v1/integration/tpm/submission/status",
        "integration",
        "integration",
    ),
    "sso.login_url": ("GET", "/api/v1/oauth/authorize", "sso", "sso"),
    "sso.consent_page": ("GET", "/consent-sso", "oauth", "none"),
    "sso.create_token": ("POST", "/api/v1/oauth/token", "sso", "sso"),
    "sso.refresh_token": ("POST", "/api/v1/oauth/token/refresh", "sso", "sso"),
    "sso.profile": ("GET", "/api/v1/resource/user_profile", "sso", "sso"),
}

REQUIRED_FIELDS: dict[str, set[str]] = {
    "payments.send_otp": {"user_platform_id", "prakerja_id", "course_code", "schedule_code", "amount"},
    "payments.authorize": {"otp", "invoice_url", "invoice_code"},
    "payments.status": {"invoice_code"},
    "payments.quota": {"course_code", "schedule_code"},
    "payments.void": {"invoice_code", "transaction_code"},
    "attendance.generate_url": {"redeem_code", "redirect_uri", "email"},
    "attendance.status": {"redeem_code"},
    "attendance.reset": {"redeem_code"},
    "attendance.commit": {"redeem_code"},
    "tpm.submit_assignment": {"redeem_code", "scope", "sequence", "url_file"},
    "tpm.submit_feedback": {"redeem_code", "scope", "sequence", "notes"},
    "tpm.submission_status": {"redeem_code", "scope", "sequence"},
    "sso.create_token": {"code"},
    "sso.refresh_token": {"token"},
}

INTEGRATION_HEADERS = ("client_code", "signature", "timestamp")
SSO_HEADERS = ("X-Client-Id", "X-Signature", "X-Timestamp")
SOURCE_TAGS = ("[ext-LP]", "[ext-repo]")


@functools.cache
def _document() -> dict[str, Any]:
    with (CONTRACTS / "openapi.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@functools.cache
def _contract() -> Contract:
    return Contract(
        openapi=_document(),
        errors={},
        signing_vectors=(),
        scenarios={},
        partners={},
        regions=(),
        root=CONTRACTS,
    )


def _operations() -> list[Operation]:
    return sorted(_contract().operations.values(), key=lambda op: op.operation_id)


def _with_body() -> list[Operation]:
    return [op for op in _operations() if op.request_schema is not None]


def _request_examples() -> list[Any]:
    cases = []
    for op in _with_body():
        examples = op.spec["requestBody"]["content"]["application/json"]["examples"]
        for name, example in examples.items():
            cases.append(pytest.param(op, example["value"], id=f"{op.operation_id}:{name}"))
    return cases


def _response_examples() -> list[Any]:
    cases = []
    for op in _operations():
        for status, response in op.spec["responses"].items():
            media = response.get("content", {}).get("application/json")
            if media is None:
                continue
            for name, example in media["examples"].items():
                cases.append(
                    pytest.param(
                        op, media["schema"], example["value"], id=f"{op.operation_id}:{status}:{name}"
                    )
                )
    return cases


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(
        _contract().resolvable(schema), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/components/...``) to the object it names."""
    while "$ref" in node:
        target: Any = _document()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _header_parameters(op: Operation) -> dict[str, dict[str, Any]]:
    params = (_resolve(p) for p in op.spec.get("parameters", []))
    return {p["name"]: p for p in params if p["in"] == "header"}


def _walk(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{where}/{index}")


def _inline_decisions() -> list[tuple[str, dict[str, Any]]]:
    return [(where, node["x-decision"]) for where, node in _walk(_document()) if "x-decision" in node]


@functools.cache
def _catalogue() -> dict[str, dict[str, Any]]:
    with (CONTRACTS / "errors.yaml").open(encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["errors"]
    return {entry["code"]: entry for entry in entries}


def _catalogue_statuses() -> dict[str, int]:
    return {code: int(entry["http_status"]) for code, entry in _catalogue().items()}


def _some_request_example(op: Operation) -> dict[str, Any]:
    examples = op.spec["requestBody"]["content"]["application/json"]["examples"]
    value: dict[str, Any] = next(iter(examples.values()))["value"]
    return value


def test_document_is_valid_openapi_3_1() -> None:
    document = _document()

    assert document["openapi"].startswith("3.1.")
    validate(document, cls=OpenAPIV31SpecValidator)


def test_operation_ids_are_exactly_the_design_operations() -> None:
    assert set(_contract().operations) == set(DESIGN)


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_operation_route_server_and_signing_match_the_design(op: Operation) -> None:
    assert (op.method, op.path, op.server, op.signing) == DESIGN[op.operation_id]


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_operation_carries_its_metadata(op: Operation) -> None:
    spec = op.spec

    assert spec["tags"] == [op.operation_id.split(".")[0]]
    assert spec["summary"]
    assert spec["description"]
    assert spec["x-provenance"] in PROVENANCES
    assert spec["x-actor"] == ("DP" if op.operation_id.startswith("payments.") else "LP")
    source = spec["x-source"]
    assert source in SOURCE_TAGS or source.startswith("https://developer.prakerja.go.id/")
    assert (spec["x-provenance"] == "inferred") == (source in SOURCE_TAGS)


@pytest.mark.parametrize(("op", "value"), _request_examples())
def test_request_example_matches_its_request_schema(op: Operation, value: dict[str, Any]) -> None:
    assert op.request_schema is not None
    _validator(op.request_schema).validate(value)


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_parameter_examples_match_their_schemas(op: Operation) -> None:
    for param in (_resolve(p) for p in op.spec.get("parameters", [])):
        _validator(param["schema"]).validate(param["example"])


@pytest.mark.parametrize("operation_id", ["sso.login_url", "sso.consent_page"])
def test_login_urls_declare_their_required_query(operation_id: str) -> None:
    op = _contract().operation(operation_id)
    query = {p["name"]: p for p in map(_resolve, op.spec["parameters"]) if p["in"] == "query"}

    assert {"state", "scope", "client_id", "redirect_uri", "login_uri"} <= set(query)
    assert all(param["required"] for param in query.values())


@pytest.mark.parametrize(("op", "schema", "value"), _response_examples())
def test_response_example_matches_its_response_schema(
    op: Operation, schema: dict[str, Any], value: dict[str, Any]
) -> None:
    _validator(schema).validate(value)


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_operation_has_a_success_example_and_error_responses(op: Operation) -> None:
    responses = op.spec["responses"]
    success = responses["200"]["content"]

    assert any(media.get("examples") for media in success.values())
    assert [status for status in responses if status.startswith(("4", "5"))]


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_error_codes_are_catalogued_and_answered_with_their_status(op: Operation) -> None:
    statuses = _catalogue_statuses()
    codes = op.spec["x-error-codes"]

    assert len(codes) == len(set(codes))
    for code in codes:
        assert code in statuses, f"{code} is not in contracts/errors.yaml"
        assert str(statuses[code]) in op.spec["responses"], f"{code} needs a {statuses[code]} response"


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_error_examples_use_the_operation_codes_under_their_status(op: Operation) -> None:
    statuses = _catalogue_statuses()
    for status, response in op.spec["responses"].items():
        if not status.startswith(("4", "5")):
            continue
        for media in response["content"].values():
            for name in media["examples"]:
                assert name in op.spec["x-error-codes"]
                assert str(statuses[name]) == status


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_error_examples_carry_the_catalogue_message(op: Operation) -> None:
    for status, response in op.spec["responses"].items():
        media = response.get("content", {}).get("application/json")
        if media is None or not status.startswith(("4", "5")):
            continue
        for name, example in media["examples"].items():
            assert example["value"]["message"] == _catalogue()[name]["message_id"]


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_errors_use_the_envelope_of_their_host(op: Operation) -> None:
    expected = {"integration": "ErrorEnvelope", "sso": "SsoError"}.get(op.signing)
    for status, response in op.spec["responses"].items():
        if not status.startswith(("4", "5")):
            continue
        if expected is None:
            assert set(response["content"]) == {"text/html"}
        else:
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{expected}"}


@pytest.mark.parametrize("op", _with_body(), ids=lambda op: op.operation_id)
def test_request_body_refuses_unknown_fields(op: Operation) -> None:
    assert op.request_schema is not None
    validator = _validator(op.request_schema)
    body = {**_some_request_example(op), "unexpected_field": 1}

    assert _resolve(op.request_schema)["additionalProperties"] is False
    with pytest.raises(ValidationError, match="unexpected_field"):
        validator.validate(body)


@pytest.mark.parametrize("op", _with_body(), ids=lambda op: op.operation_id)
def test_request_body_requires_the_design_fields(op: Operation) -> None:
    assert op.request_schema is not None
    assert set(_resolve(op.request_schema)["required"]) == REQUIRED_FIELDS[op.operation_id]


@pytest.mark.parametrize("op", _with_body(), ids=lambda op: op.operation_id)
def test_request_body_refuses_a_missing_required_field(op: Operation) -> None:
    assert op.request_schema is not None
    validator = _validator(op.request_schema)
    for field in REQUIRED_FIELDS[op.operation_id]:
        body = {key: value for key, value in _some_request_example(op).items() if key != field}
        with pytest.raises(ValidationError, match=field):
            validator.validate(body)


@pytest.mark.parametrize(("op", "schema", "value"), _response_examples())
def test_response_schema_tolerates_new_fields(
    op: Operation, schema: dict[str, Any], value: dict[str, Any]
) -> None:
    grown = copy.deepcopy(value)
    grown["added_later"] = True
    if isinstance(grown.get("data"), dict):
        grown["data"]["added_later"] = "x"

    _validator(schema).validate(grown)


@pytest.mark.parametrize("op", _operations(), ids=lambda op: op.operation_id)
def test_operation_declares_its_signed_headers(op: Operation) -> None:
    headers = _header_parameters(op)
    if op.signing == "integration":
        assert all(headers[name]["required"] for name in INTEGRATION_HEADERS)
        assert op.spec["security"] == [
            {"clientCode": [], "signature": [], "timestamp": [], **_token_scheme(op)}
        ]
    elif op.operation_id == "sso.login_url":
        assert all(headers[name]["required"] for name in SSO_HEADERS)
    elif op.signing == "sso":
        assert headers["X-Client-Id"]["required"] is True
        assert headers["X-Signature"]["required"] is False
        assert headers["X-Timestamp"]["required"] is False
        assert {"ssoClientId": [], **_token_scheme(op)} in op.spec["security"]
    else:
        assert headers == {}
        assert op.spec["security"] == []


def _token_scheme(op: Operation) -> dict[str, list[str]]:
    scheme = {"payments.authorize": "paymentToken", "sso.profile": "accessToken"}.get(op.operation_id)
    return {} if scheme is None else {scheme: []}


def test_authorize_declares_the_payment_token_header() -> None:
    header = _header_parameters(_contract().operation("payments.authorize"))["Authorization"]
    validator = _validator(header["schema"])

    assert header["required"] is True
    validator.validate("Payment pt_7c9e2b41d3a84f0e9b1c5d6a7e8f9a0b")
    with pytest.raises(ValidationError):
        validator.validate("Bearer pt_7c9e2b41d3a84f0e9b1c5d6a7e8f9a0b")


def test_security_requirements_name_declared_schemes() -> None:
    schemes = _document()["components"]["securitySchemes"]
    for op in _operations():
        for requirement in op.spec["security"]:
            assert set(requirement) <= set(schemes), op.operation_id


def test_every_server_names_itself() -> None:
    document = _document()
    servers = list(document["servers"])
    for item in document["paths"].values():
        servers.extend(item.get("servers", []))

    assert {server["x-server-name"] for server in servers} == {"integration", "sso", "oauth"}
    assert "http://127.0.0.1:5000" in {server["url"] for server in servers}


def test_every_inline_decision_has_decision_and_reason() -> None:
    decisions = _inline_decisions()

    assert decisions
    for where, decision in decisions:
        assert isinstance(decision["inconsistency"], int), where
        assert decision["decision"].strip(), where
        assert decision["reason"].strip(), where


def test_every_documented_inconsistency_is_decided_in_place_and_listed() -> None:
    inline = {decision["inconsistency"] for _, decision in _inline_decisions()}
    listed = {entry["inconsistency"] for entry in _document()["x-decisions"] if "inconsistency" in entry}

    assert inline == set(range(1, 18))
    assert listed == set(range(1, 18))


def test_decision_list_entries_are_complete() -> None:
    entries = _document()["x-decisions"]
    ids = [entry["id"] for entry in entries]

    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry["topic"].strip(), entry["id"]
        assert entry["decision"].strip(), entry["id"]
        assert entry["reason"].strip(), entry["id"]
        assert entry["provenance"] in PROVENANCES, entry["id"]


def test_decision_references_point_at_listed_decisions() -> None:
    ids = {entry["id"] for entry in _document()["x-decisions"]}
    referenced = {node["x-decision-id"] for _, node in _walk(_document()) if "x-decision-id" in node}

    assert referenced
    assert referenced <= ids


def test_every_inferred_item_gives_a_reason() -> None:
    inferred = [(where, node) for where, node in _walk(_document()) if node.get("x-provenance") == "inferred"]

    assert inferred
    for where, node in inferred:
        assert str(node.get("x-reason", "")).strip(), f"{where} is inferred without an x-reason"


def test_attendance_sequence_is_optional_and_defaults_to_one() -> None:
    for operation_id in ("attendance.status", "attendance.generate_url"):
        op = _contract().operation(operation_id)
        assert op.request_schema is not None
        schema = _resolve(op.request_schema)
        sequence = _resolve(schema["properties"]["sequence"])

        assert "sequence" not in schema["required"]
        assert sequence["default"] == 1
        assert sequence["enum"] == [*range(1, 11), 999]


def test_consent_page_answers_html_and_redirects() -> None:
    responses = _contract().operation("sso.consent_page").spec["responses"]
    redirects = responses["302"]["headers"]["Location"]["examples"]

    assert set(responses["200"]["content"]) == {"text/html"}
    assert any("?code=" in example["value"] for example in redirects.values())
    assert any("error=access_denied" in example["value"] for example in redirects.values())


def _schema_properties() -> list[Any]:
    cases = []
    for name, schema in _document()["components"]["schemas"].items():
        for field, spec in schema.get("properties", {}).items():
            cases.append(pytest.param(spec, id=f"{name}.{field}"))
    return cases


@pytest.mark.parametrize("spec", _schema_properties())
def test_every_schema_field_is_typed_and_described(spec: dict[str, Any]) -> None:
    assert spec.get("description", "").strip()
    assert "type" in spec or "$ref" in spec


@pytest.mark.parametrize(
    ("schema_name", "field", "refused"),
    [
        pytest.param("AuthorizeRequest", "invoice_code", 111, id="invoice_code-not-integer"),
        pytest.param("SendOtpRequest", "amount", "20000", id="amount-not-string"),
        pytest.param("SendOtpRequest", "prakerja_id", "41801234", id="prakerja_id-16-digits"),
        pytest.param("AuthorizeRequest", "otp", "12345a", id="otp-6-digits"),
        pytest.param("RedeemCodeStatusRequest", "sequence", 11, id="sequence-1-to-10-or-999"),
        pytest.param("RedeemCodeStatusRequest", "redeem_code", "GHOP/NYX", id="redeem_code-charset"),
        pytest.param("TpmFeedbackRequest", "scope", "ujk", id="scope-enum"),
        pytest.param("GenerateUrlRequest", "redirect_uri", "javascript:alert(1)", id="redirect_uri-http"),
    ],
)
def test_decided_field_rules_are_enforced(schema_name: str, field: str, refused: Any) -> None:
    validator = _validator({"$ref": f"#/components/schemas/{schema_name}"})
    body = dict(_some_request_example_of(schema_name))
    validator.validate(body)

    body[field] = refused
    with pytest.raises(ValidationError):
        validator.validate(body)


def _some_request_example_of(schema_name: str) -> dict[str, Any]:
    for op in _with_body():
        if op.request_schema == {"$ref": f"#/components/schemas/{schema_name}"}:
            return _some_request_example(op)
    raise LookupError(schema_name)


def test_payment_status_amount_is_an_integer() -> None:
    amount = _document()["components"]["schemas"]["PaymentStatusData"]["properties"]["amount"]

    assert _resolve(amount)["type"] == "integer"
    assert amount["x-decision"]["inconsistency"] == 2
