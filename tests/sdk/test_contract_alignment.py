"""What the SDK repeats from the contract (paths, hosts, field rules, enums, model fields) matches it."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pytest

from prakerja import models
from prakerja._operations import OPERATIONS
from prakerja._requests import (
    RULES,
    AuthorizeRequest,
    GenerateUrlRequest,
    PaymentStatusRequest,
    QuotaRequest,
    RedeemCodeRequest,
    RedeemCodeStatusRequest,
    Rule,
    SendOtpRequest,
    SsoRefreshTokenRequest,
    SsoTokenRequest,
    TpmAssignmentRequest,
    TpmFeedbackRequest,
    TpmSubmissionStatusRequest,
    VoidRequest,
)
from prakerja.environments import LOCAL, PRODUCTION, SANDBOX

from .operations import CONTRACT

SCHEMAS = CONTRACT.openapi["components"]["schemas"]


def _pointer(path: str) -> Any:
    node: Any = CONTRACT.openapi
    for part in path.split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def test_the_operations_are_the_contracts() -> None:
    assert set(OPERATIONS) == set(CONTRACT.operations)
    for operation_id, spec in OPERATIONS.items():
        contract = CONTRACT.operation(operation_id)
        assert (spec.method, spec.path, spec.server) == (contract.method, contract.path, contract.server)
        assert spec.signing == contract.signing
        assert spec.deprecated == bool(contract.spec.get("deprecated", False))


def test_only_reads_are_safe_to_retry() -> None:
    safe = {op for op, spec in OPERATIONS.items() if spec.retry_safe}

    assert safe == {
        "payments.status",
        "payments.quota",
        "attendance.status",
        "tpm.submission_status",
        "sso.login_url",
        "sso.profile",
    }


@pytest.mark.parametrize("rule", RULES.values(), ids=list(RULES))
def test_each_field_rule_copies_its_schema(rule: Rule) -> None:
    schema = _pointer(rule.source)

    assert rule.pattern == schema.get("pattern")
    assert rule.min_length == schema.get("minLength")
    assert rule.max_length == schema.get("maxLength")


def test_the_client_name_rule_is_the_consent_pages_client_name() -> None:
    assert RULES["SsoClientName"].source.endswith("/parameters/5/schema")
    assert _pointer("paths/~1consent-sso/get/parameters/5")["name"] == "client_name"


def test_numeric_ranges_are_the_contracts() -> None:
    assert [int(s) for s in models.AttendanceSequence] == SCHEMAS["AttendanceSequence"]["enum"]
    assert (SCHEMAS["TpmSequence"]["minimum"], SCHEMAS["TpmSequence"]["maximum"]) == (1, models.UK_SEQUENCE)
    assert (SCHEMAS["Amount"]["minimum"], SCHEMAS["Amount"]["maximum"]) == (1, 100_000_000)


# Contract schema name -> SDK class. The schema names are the wire contract's; the SDK's follow its own naming
# rule (Status/State name enumerations only; docs/sdk.md), so the pairing is spelled out, never derived.
ENUMS = {
    "AttendanceSequence": models.AttendanceSequence,
    "TpmScope": models.TpmScope,
    "SubmissionState": models.SubmissionStatus,
    "TransactionState": models.PaymentStatus,
    "RedeemCodeState": models.RedeemCodeState,
    "AttendanceState": models.AttendanceState,
    "CourseType": models.CourseType,
    "LearningMethod": models.LearningMethod,
}


@pytest.mark.parametrize(("schema", "cls"), ENUMS.items(), ids=list(ENUMS))
def test_enums_have_the_contracts_values_and_names(schema: str, cls: type[enum.Enum]) -> None:
    contract = SCHEMAS[schema]

    assert [member.value for member in cls] == contract["enum"]
    if "x-enum-names" in contract:
        assert [member.name for member in cls] == contract["x-enum-names"]


def test_sso_scopes_are_the_scope_patterns_words() -> None:
    assert {scope.value for scope in models.SsoScope} == {"name", "email", "prakerjaid", "notelp"}
    assert all(scope.value in SCHEMAS["SsoScope"]["pattern"] for scope in models.SsoScope)


@pytest.mark.parametrize("cls", ENUMS.values(), ids=list(ENUMS))
def test_every_response_enum_is_open(cls: type[enum.Enum]) -> None:
    # Prakerja may add values: the reader keeps them (see tests/sdk/test_tolerant_reader.py).
    assert issubclass(cls, models.OpenEnum)


RESPONSE_MODELS = {
    "SendOtpData": models.OtpSent,
    "AuthorizeData": models.PaymentAuthorized,
    "PaymentStatusData": models.PaymentRecord,
    "QuotaData": models.Quota,
    "CourseInfo": models.CourseInfo,
    "GenerateUrlData": models.AttendanceUrl,
    "RedeemCodeStatus": models.RedeemCodeRecord,
    "TpmAssignmentData": models.AssignmentSubmission,
    "TpmFeedbackData": models.FeedbackSubmission,
    "TpmSubmissionState": models.SubmissionRecord,
    "TpmSubmissionStatusData": models.TpmSubmissions,
    "SsoLoginUrlData": models.LoginUrl,
    "SsoTokenData": models.Token,
    "SsoProfileData": models.Profile,
}


@pytest.mark.parametrize(("schema", "cls"), RESPONSE_MODELS.items(), ids=list(RESPONSE_MODELS))
def test_response_models_have_exactly_the_schemas_fields(schema: str, cls: type[Any]) -> None:
    contract = SCHEMAS[schema]
    not_wire = {"extra", *attrs.fields_dict(models.Answer)}
    fields = {f.name: f for f in attrs.fields(cls) if f.name not in not_wire}

    assert list(fields) == list(contract["properties"])
    for name, field in fields.items():
        required = name in contract.get("required", [])
        assert (field.default is attrs.NOTHING) == required, name


REQUEST_MODELS = {
    "SendOtpRequest": SendOtpRequest,
    "AuthorizeRequest": AuthorizeRequest,
    "PaymentStatusRequest": PaymentStatusRequest,
    "QuotaRequest": QuotaRequest,
    "VoidRequest": VoidRequest,
    "GenerateUrlRequest": GenerateUrlRequest,
    "RedeemCodeStatusRequest": RedeemCodeStatusRequest,
    "RedeemCodeResetRequest": RedeemCodeRequest,
    "RedeemCodeCommitRequest": RedeemCodeRequest,
    "TpmAssignmentRequest": TpmAssignmentRequest,
    "TpmFeedbackRequest": TpmFeedbackRequest,
    "TpmSubmissionStatusRequest": TpmSubmissionStatusRequest,
    "SsoTokenRequest": SsoTokenRequest,
    "SsoRefreshTokenRequest": SsoRefreshTokenRequest,
}


@pytest.mark.parametrize(("schema", "cls"), REQUEST_MODELS.items(), ids=list(REQUEST_MODELS))
def test_request_models_send_the_schemas_fields_in_its_order(schema: str, cls: type[Any]) -> None:
    contract = SCHEMAS[schema]
    fields = attrs.fields(cls)

    assert [f.name for f in fields] == list(contract["properties"])
    assert [f.name for f in fields if f.default is attrs.NOTHING] == [
        name for name in contract["properties"] if name in contract["required"]
    ]


def test_the_presets_are_the_contracts_servers() -> None:
    servers = {s["x-environment"]: s["url"] for s in CONTRACT.openapi["servers"]}
    sso_hosts = [s["url"] for s in CONTRACT.openapi["paths"]["/api/v1/oauth/token"]["servers"]]
    oauth_hosts = [s["url"] for s in CONTRACT.openapi["paths"]["/consent-sso"]["servers"]]

    assert PRODUCTION.integration_url == servers["production"]
    assert SANDBOX.integration_url == servers["sandbox"]
    assert LOCAL.integration_url == servers["local"]
    assert PRODUCTION.sso_url == sso_hosts[0]
    assert PRODUCTION.oauth_url == oauth_hosts[0]
    assert LOCAL.sso_url in sso_hosts
    assert LOCAL.oauth_url in oauth_hosts
