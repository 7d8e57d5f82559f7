"""The operations of the API, grouped as the contract tags them: payments, attendance, tpm and sso.

The builders live in :mod:`~prakerja.resources.payments` and its siblings; the classes with one method per
operation are generated into :mod:`prakerja.resources._generated` (``python -m prakerja._resourcegen``).
"""

from __future__ import annotations

from prakerja.resources._generated import (
    AsyncAttendance,
    AsyncAttendanceWithRawResponse,
    AsyncPayments,
    AsyncPaymentsWithRawResponse,
    AsyncSso,
    AsyncSsoWithRawResponse,
    AsyncTpm,
    AsyncTpmWithRawResponse,
    Attendance,
    AttendanceWithRawResponse,
    Payments,
    PaymentsWithRawResponse,
    Sso,
    SsoWithRawResponse,
    Tpm,
    TpmWithRawResponse,
)
from prakerja.resources.sso import ALL_SCOPES

__all__ = [
    "ALL_SCOPES",
    "AsyncAttendance",
    "AsyncAttendanceWithRawResponse",
    "AsyncPayments",
    "AsyncPaymentsWithRawResponse",
    "AsyncSso",
    "AsyncSsoWithRawResponse",
    "AsyncTpm",
    "AsyncTpmWithRawResponse",
    "Attendance",
    "AttendanceWithRawResponse",
    "Payments",
    "PaymentsWithRawResponse",
    "Sso",
    "SsoWithRawResponse",
    "Tpm",
    "TpmWithRawResponse",
]
