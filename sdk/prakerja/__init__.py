"""Kartu Prakerja partner SDK: a typed client for every partner operation, sync and async.

::

    import prakerja

    with prakerja.PrakerjaClient(client_code="...", sign_key="...", base_url="sandbox") as client:
        status = client.attendance.status("PRAT-TC1001", sequence=1)

The names below are imported on first use (PEP 562), so ``import prakerja`` stays cheap for a program that
only needs part of it; ``from prakerja import PrakerjaClient`` loads the client, its models and errors.

Errors live in :mod:`prakerja.errors` (one class per catalogue code), models and enums in
:mod:`prakerja.models`, signing in :mod:`prakerja.signing` and :mod:`prakerja.auth`.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

from prakerja._version import __version__

if TYPE_CHECKING:
    from prakerja import errors, models
    from prakerja._client import AsyncPrakerjaClient, PrakerjaClient
    from prakerja._config import (
        DEFAULT_RETRY,
        DEFAULT_TIMEOUT,
        NOT_GIVEN,
        NotGiven,
        SandboxCredentialsWarning,
    )
    from prakerja._exceptions import (
        ConfigurationError,
        InvalidInputError,
        OutcomeUnknownError,
        PrakerjaAPIError,
        PrakerjaConnectionError,
        PrakerjaError,
        PrakerjaTimeoutError,
        PrakerjaTransportError,
        UnexpectedResponseError,
    )
    from prakerja._raw import RawResponse
    from prakerja._retry import NO_RETRY, RetryPolicy
    from prakerja.auth import PrakerjaAuth
    from prakerja.contract import Contract, load_contract
    from prakerja.environments import LOCAL, PRODUCTION, SANDBOX, Environment
    from prakerja.models import (
        UK_SEQUENCE,
        Answer,
        AssignmentSubmission,
        AttendanceSequence,
        AttendanceState,
        AttendanceUrl,
        CourseInfo,
        CourseType,
        DecodeWarning,
        FeedbackSubmission,
        LearningMethod,
        LoginUrl,
        OpenEnum,
        OtpSent,
        PaymentAuthorized,
        PaymentReconciliation,
        PaymentRecord,
        PaymentStatus,
        PaymentVoided,
        Profile,
        Quota,
        ReconcileOutcome,
        RedeemCodeRecord,
        RedeemCodeState,
        SsoScope,
        SubmissionRecord,
        SubmissionStatus,
        Token,
        TpmScope,
        TpmSubmissions,
    )

    # deprecated old names (prakerja._renamed), re-exported for old code; not in __all__
    from prakerja.models import RedeemCodeStatus as RedeemCodeStatus
    from prakerja.models import SubmissionState as SubmissionState
    from prakerja.models import TpmSubmissionStatus as TpmSubmissionStatus
    from prakerja.resources.sso import ALL_SCOPES
    from prakerja.signing import compact_json, raw_string, sign, verify

#: Where each public name lives, by module: the names above, loaded on first access.
_LAZY_MODULES: dict[str, tuple[str, ...]] = {
    "prakerja.models": (
        "UK_SEQUENCE",
        "Answer",
        "AssignmentSubmission",
        "AttendanceSequence",
        "AttendanceState",
        "AttendanceUrl",
        "CourseInfo",
        "CourseType",
        "DecodeWarning",
        "FeedbackSubmission",
        "LearningMethod",
        "LoginUrl",
        "OpenEnum",
        "OtpSent",
        "PaymentAuthorized",
        "PaymentReconciliation",
        "PaymentRecord",
        "PaymentStatus",
        "PaymentVoided",
        "Profile",
        "Quota",
        "ReconcileOutcome",
        "RedeemCodeRecord",
        "RedeemCodeState",
        "SsoScope",
        "SubmissionRecord",
        "SubmissionStatus",
        "Token",
        "TpmScope",
        "TpmSubmissions",
    ),
    "prakerja._client": (
        "AsyncPrakerjaClient",
        "PrakerjaClient",
    ),
    "prakerja._config": (
        "DEFAULT_RETRY",
        "DEFAULT_TIMEOUT",
        "NOT_GIVEN",
        "NotGiven",
        "SandboxCredentialsWarning",
    ),
    "prakerja._exceptions": (
        "ConfigurationError",
        "InvalidInputError",
        "OutcomeUnknownError",
        "PrakerjaAPIError",
        "PrakerjaConnectionError",
        "PrakerjaError",
        "PrakerjaTimeoutError",
        "PrakerjaTransportError",
        "UnexpectedResponseError",
    ),
    "prakerja._retry": (
        "NO_RETRY",
        "RetryPolicy",
    ),
    "prakerja.auth": ("PrakerjaAuth",),
    "prakerja.environments": (
        "LOCAL",
        "PRODUCTION",
        "SANDBOX",
        "Environment",
    ),
    "prakerja.signing": (
        "compact_json",
        "raw_string",
        "sign",
        "verify",
    ),
    "prakerja.contract": (
        "Contract",
        "load_contract",
    ),
    "prakerja.resources.sso": ("ALL_SCOPES",),
    "prakerja._raw": ("RawResponse",),
}
_WHERE = {name: module for module, names in _LAZY_MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value: Any = getattr(importlib.import_module(_WHERE[name]), name)
    elif name.startswith("__"):
        raise AttributeError(f"module 'prakerja' has no attribute {name!r}")
    elif importlib.util.find_spec(f"prakerja.{name}") is not None:
        value = importlib.import_module(f"prakerja.{name}")  # a submodule, as after an eager import
    else:
        from prakerja._renamed import resolve

        return resolve(__name__, name)  # an old name warns at each use (never cached), else AttributeError
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "ALL_SCOPES",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "LOCAL",
    "NOT_GIVEN",
    "NO_RETRY",
    "PRODUCTION",
    "SANDBOX",
    "UK_SEQUENCE",
    "Answer",
    "AssignmentSubmission",
    "AsyncPrakerjaClient",
    "AttendanceSequence",
    "AttendanceState",
    "AttendanceUrl",
    "ConfigurationError",
    "Contract",
    "CourseInfo",
    "CourseType",
    "DecodeWarning",
    "Environment",
    "FeedbackSubmission",
    "InvalidInputError",
    "LearningMethod",
    "LoginUrl",
    "NotGiven",
    "OpenEnum",
    "OtpSent",
    "OutcomeUnknownError",
    "PaymentAuthorized",
    "PaymentReconciliation",
    "PaymentRecord",
    "PaymentStatus",
    "PaymentVoided",
    "PrakerjaAPIError",
    "PrakerjaAuth",
    "PrakerjaClient",
    "PrakerjaConnectionError",
    "PrakerjaError",
    "PrakerjaTimeoutError",
    "PrakerjaTransportError",
    "Profile",
    "Quota",
    "RawResponse",
    "ReconcileOutcome",
    "RedeemCodeRecord",
    "RedeemCodeState",
    "RetryPolicy",
    "SandboxCredentialsWarning",
    "SsoScope",
    "SubmissionRecord",
    "SubmissionStatus",
    "Token",
    "TpmScope",
    "TpmSubmissions",
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
