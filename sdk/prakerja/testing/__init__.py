"""The partner testing kit: a local Prakerja sandbox for your own tests, and a pytest plugin around it.

With the package installed, pytest finds the plugin by itself; a test asks for the sandbox by name::

    def test_checkout_pays_with_prakerja(prakerja_sandbox):
        buyer = prakerja_sandbox.create_participant(name="Siti Rahayu")
        with prakerja_sandbox.client("SBX-DP-TOKOPEDIA") as client:
            sent = client.payments.send_otp(...)
            otp = prakerja_sandbox.otp(buyer.prakerja_id)

See :class:`LocalSandbox` for the helpers (participants, the SMS inbox, the clock, attendance verification,
faults, reset) and :mod:`prakerja.testing.plugin` for the fixtures and the error-coverage report.
"""

from __future__ import annotations

from prakerja.testing.coverage import ErrorCoverage
from prakerja.testing.harness import (
    IN_PROCESS_URL,
    NO_WAIT_RETRY,
    LocalSandbox,
    Participant,
    PartnerCredentials,
    SandboxError,
    SandboxWarning,
    Sms,
)
from prakerja.testing.records import Course, CourseKind, FaultKind, Schedule
from prakerja.testing.responses import error_response, success_response
from prakerja.testing.server import ServedApp, serve

__all__ = [
    "IN_PROCESS_URL",
    "NO_WAIT_RETRY",
    "Course",
    "CourseKind",
    "ErrorCoverage",
    "FaultKind",
    "LocalSandbox",
    "Participant",
    "PartnerCredentials",
    "SandboxError",
    "SandboxWarning",
    "Schedule",
    "ServedApp",
    "Sms",
    "error_response",
    "serve",
    "success_response",
]
