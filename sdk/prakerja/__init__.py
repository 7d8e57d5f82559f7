"""Kartu Prakerja partner SDK: a typed client for every partner operation, sync and async.

::

    import prakerja

    with prakerja.PrakerjaClient(client_code="...", sign_key="...", base_url="sandbox") as client:
        status = client.attendance.status("PRAT-TC1001", sequence=1)

Errors live in :mod:`prakerja.errors` (one class per catalogue code), models and enums in
:mod:`prakerja.models`, signing in :mod:`prakerja.signing` and :mod:`prakerja.auth`.
"""

from __future__ import annotations

from prakerja import errors, models
from prakerja._client import AsyncPrakerjaClient, PrakerjaClient
from prakerja._config import DEFAULT_RETRY, DEFAULT_TIMEOUT, NOT_GIVEN, NotGiven
from prakerja._exceptions import (
    ConfigurationError,
    InvalidInputError,
    PrakerjaAPIError,
    PrakerjaConnectionError,
    PrakerjaError,
    PrakerjaTimeoutError,
    PrakerjaTransportError,
    UnexpectedResponseError,
)
from prakerja._retry import NO_RETRY, RetryPolicy
from prakerja._version import __version__
from prakerja.auth import PrakerjaAuth
from prakerja.contract import Contract, load_contract
from prakerja.environments import LOCAL, PRODUCTION, SANDBOX, Environment
from prakerja.models import (
    UK_SEQUENCE,
    AssignmentSubmission,
    AttendanceSequence,
    AttendanceState,
    AttendanceUrl,
    CourseInfo,
    CourseType,
    FeedbackSubmission,
    LearningMethod,
    LoginUrl,
    OtpSent,
    PaymentAuthorized,
    PaymentReconciliation,
    PaymentRecord,
    PaymentStatus,
    Profile,
    Quota,
    ReconcileOutcome,
    RedeemCodeState,
    RedeemCodeStatus,
    SsoScope,
    SubmissionState,
    SubmissionStatus,
    Token,
    TpmScope,
    TpmSubmissionStatus,
)
from prakerja.signing import compact_json, raw_string, sign, verify

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "LOCAL",
    "NOT_GIVEN",
    "NO_RETRY",
    "PRODUCTION",
    "SANDBOX",
    "UK_SEQUENCE",
    "AssignmentSubmission",
    "AsyncPrakerjaClient",
    "AttendanceSequence",
    "AttendanceState",
    "AttendanceUrl",
    "ConfigurationError",
    "Contract",
    "CourseInfo",
    "CourseType",
    "Environment",
    "FeedbackSubmission",
    "InvalidInputError",
    "LearningMethod",
    "LoginUrl",
    "NotGiven",
    "OtpSent",
    "PaymentAuthorized",
    "PaymentReconciliation",
    "PaymentRecord",
    "PaymentStatus",
    "PrakerjaAPIError",
    "PrakerjaAuth",
    "PrakerjaClient",
    "PrakerjaConnectionError",
    "PrakerjaError",
    "PrakerjaTimeoutError",
    "PrakerjaTransportError",
    "Profile",
    "Quota",
    "ReconcileOutcome",
    "RedeemCodeState",
    "RedeemCodeStatus",
    "RetryPolicy",
    "SsoScope",
    "SubmissionState",
    "SubmissionStatus",
    "Token",
    "TpmScope",
    "TpmSubmissionStatus",
    "UnexpectedResponseError",
    "__version__",
    "compact_json",
    "errors",
    "load_contract",
    "models",
    "raw_string",
    "sign",
    "verify",
]
