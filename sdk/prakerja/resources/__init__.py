"""The operations of the API, grouped as the contract tags them: payments, attendance, tpm and sso."""

from __future__ import annotations

from prakerja.resources.attendance import AsyncAttendance, Attendance
from prakerja.resources.payments import AsyncPayments, Payments
from prakerja.resources.sso import ALL_SCOPES, AsyncSso, Sso
from prakerja.resources.tpm import AsyncTpm, Tpm

__all__ = [
    "ALL_SCOPES",
    "AsyncAttendance",
    "AsyncPayments",
    "AsyncSso",
    "AsyncTpm",
    "Attendance",
    "Payments",
    "Sso",
    "Tpm",
]
