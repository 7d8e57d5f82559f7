"""The operations of the contract as the SDK calls them: method, path, server and signing convention.

The values repeat ``contracts/openapi.yaml`` and a test holds them to it. ``retry_safe`` is the SDK's own
judgement, following the contract's ``retryable`` decision: only reads are repeated after a transient
failure; authorize, void, commit, reset, submissions and token exchanges never are.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

import attrs

from prakerja.environments import Server

__all__ = ["OPERATIONS", "OperationId", "OperationSpec"]

Signing = Literal["integration", "sso", "none"]

#: Every operation of the contract by its ``operationId`` (a test holds it to :data:`OPERATIONS`).
OperationId = Literal[
    "payments.send_otp",
    "payments.authorize",
    "payments.status",
    "payments.quota",
    "payments.void",
    "attendance.generate_url",
    "attendance.status",
    "attendance.reset",
    "attendance.commit",
    "tpm.submit_assignment",
    "tpm.submit_feedback",
    "tpm.submission_status",
    "sso.login_url",
    "sso.consent_page",
    "sso.create_token",
    "sso.refresh_token",
    "sso.profile",
]


@attrs.frozen
class OperationSpec:
    """One operation of the contract."""

    operation_id: str
    method: Literal["GET", "POST"]
    path: str
    server: Server
    signing: Signing
    retry_safe: bool
    deprecated: bool = False


_INTEGRATION = "/api/v1/integration"

OPERATIONS: Final[Mapping[str, OperationSpec]] = MappingProxyType(
    {
        spec.operation_id: spec
        for spec in (
            OperationSpec(
                "payments.send_otp",
                "POST",
                f"{_INTEGRATION}/payment/send-otp",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "payments.authorize",
                "POST",
                f"{_INTEGRATION}/payment/authorize",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "payments.status",
                "POST",
                f"{_INTEGRATION}/payment/status",
                "integration",
                "integration",
                True,
            ),
            OperationSpec(
                "payments.quota",
                "POST",
                f"{_INTEGRATION}/payment/quota-schedule",
                "integration",
                "integration",
                True,
            ),
            OperationSpec(
                "payments.void", "POST", f"{_INTEGRATION}/payment/void", "integration", "integration", False
            ),
            OperationSpec(
                "attendance.generate_url",
                "POST",
                f"{_INTEGRATION}/oauth/url-generate",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "attendance.status",
                "POST",
                f"{_INTEGRATION}/payment/redeem-code/status",
                "integration",
                "integration",
                True,
            ),
            OperationSpec(
                "attendance.reset",
                "POST",
                f"{_INTEGRATION}/payment/redeem-code/reset",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "attendance.commit",
                "POST",
                f"{_INTEGRATION}/payment/redeem-code/commit",
                "integration",
                "integration",
                False,
                deprecated=True,
            ),
            OperationSpec(
                "tpm.submit_assignment",
                "POST",
                f"{_INTEGRATION}/tpm/submission",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "tpm.submit_feedback",
                "POST",
                f"{_INTEGRATION}/tpm/feedback/submission",
                "integration",
                "integration",
                False,
            ),
            OperationSpec(
                "tpm.submission_status",
                "POST",
                f"{_INTEGRATION}/tpm/submission/status",
                "integration",
                "integration",
                True,
            ),
            OperationSpec("sso.login_url", "GET", "/api/v1/oauth/authorize", "sso", "sso", True),
            OperationSpec("sso.consent_page", "GET", "/consent-sso", "oauth", "none", False),
            OperationSpec("sso.create_token", "POST", "/api/v1/oauth/token", "sso", "sso", False),
            OperationSpec("sso.refresh_token", "POST", "/api/v1/oauth/token/refresh", "sso", "sso", False),
            OperationSpec("sso.profile", "GET", "/api/v1/resource/user_profile", "sso", "sso", True),
        )
    }
)
