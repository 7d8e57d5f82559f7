"""Which reading of each documented ambiguity did the server take? Detectors over one exchange.

``contracts/ambiguities.yaml`` lists the points where Prakerja's docs allow two readings (the refresh path,
the type of ``data.amount``...). Each detector here looks at one exchange and, when the exchange settles the
point, names the ambiguity and the reading by their ids in the register. A proxy without the partner's sign
key cannot tell which signature variant a server accepts (the Authorize and GET signature points, the signed
body bytes), so those points have no detector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from prakerja.contract_check.proxy_schema import Finding

__all__ = ["DETECTORS", "Seen", "readings"]

# The documented example redeem code of the online-course-verification status page (not a participant's).
_DOC_EXAMPLE_CODE = "GHOPNYXUVMT0"
_CLIENT_CODE_SPELLINGS = {
    "client_code": "client_code",
    "Client_code": "Client_code",
    "client-code": "client-code",
}
_TYPE_CODES = {"ERRPLT40004"}
_MISSING_CODES = {"ERRPLT40003"}
_FORMAT_CODES = {"ERRPLT40005", "ERRPLT40004"}


@attrs.frozen
class Seen:
    """What a detector may look at: the operation, the request as sent and the answer, both parsed."""

    operation: str | None
    path: str
    request_headers: tuple[tuple[str, str], ...]
    request_json: Any
    content_type: str
    status: int
    response_json: Any
    code: str | None
    catalogue_status: int | None  # the catalogue's HTTP status for ``code``

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def body_field(self, name: str) -> Any:
        return self.request_json.get(name, _ABSENT) if isinstance(self.request_json, Mapping) else _ABSENT

    def data_field(self, name: str) -> Any:
        payload = self.response_json
        data = payload.get("data") if isinstance(payload, Mapping) else None
        return data.get(name, _ABSENT) if isinstance(data, Mapping) else _ABSENT


_ABSENT = object()
Reading = tuple[str, str, str]  # ambiguity id, reading id, what was seen
Detector = Callable[[Seen], Iterator[Reading]]


def _status_amount(seen: Seen) -> Iterator[Reading]:
    amount = seen.data_field("amount")
    if seen.operation == "payments.status" and seen.ok and amount is not _ABSENT:
        if isinstance(amount, str):
            yield "status-amount-type", "string", "payments.status answered data.amount as a string"
        elif isinstance(amount, int) and not isinstance(amount, bool):
            yield "status-amount-type", "integer", "payments.status answered data.amount as an integer"


def _authorize_invoice_code(seen: Seen) -> Iterator[Reading]:
    value = seen.body_field("invoice_code")
    if seen.operation != "payments.authorize" or value is _ABSENT:
        return
    sent_integer = isinstance(value, int) and not isinstance(value, bool)
    if seen.ok:
        reading = "integer" if sent_integer else "string"
        yield "authorize-invoice-code-type", reading, f"payments.authorize accepted invoice_code as {reading}"
    elif sent_integer and seen.code in _TYPE_CODES:
        yield "authorize-invoice-code-type", "string", "payments.authorize refused invoice_code as an integer"


def _status_sequence(seen: Seen) -> Iterator[Reading]:
    if seen.operation != "attendance.status" or seen.body_field("sequence") is not _ABSENT:
        return
    if seen.ok:
        yield "redeem-status-sequence", "optional-default-1", "attendance.status answered without sequence"
    elif seen.code in _MISSING_CODES:
        yield "redeem-status-sequence", "required", "attendance.status refused a request without sequence"


def _refresh_path(seen: Seen) -> Iterator[Reading]:
    if seen.operation != "sso.refresh_token" or seen.status == 404:
        return
    if seen.path.rstrip("/") == "/api/v1/oauth/token" and seen.ok:
        yield "refresh-token-path", "token", "refresh answered on /oauth/token"
    elif seen.path.rstrip("/") == "/api/v1/oauth/token/refresh" and seen.ok:
        yield "refresh-token-path", "token-refresh", "refresh answered on /oauth/token/refresh"


def _sso_error_envelope(seen: Seen) -> Iterator[Reading]:
    payload = seen.response_json
    if not (seen.operation or "").startswith("sso.") or seen.ok or not isinstance(payload, Mapping):
        return
    if "code" in payload and "errorCode" not in payload:
        yield "sso-error-envelope", "code-only", f"{seen.operation} answered an error with code only"
    elif "code" in payload and "errorCode" in payload:
        yield "sso-error-envelope", "code-and-errorcode", f"{seen.operation} answered code and errorCode"


def _refusal_status(seen: Seen) -> Iterator[Reading]:
    if seen.code is None or seen.catalogue_status in (None, 400) or seen.status >= 500:
        return
    if seen.status == 400:
        yield (
            "refusal-http-status",
            "always-400",
            (f"{seen.code} answered with HTTP 400 (the catalogue says {seen.catalogue_status})"),
        )
    elif seen.status == seen.catalogue_status:
        yield "refusal-http-status", "by-kind", f"{seen.code} answered with HTTP {seen.status}"


def _token_body(seen: Seen) -> Iterator[Reading]:
    if seen.operation not in {"sso.create_token", "sso.refresh_token"}:
        return
    form = seen.content_type == "application/x-www-form-urlencoded"
    if form and seen.ok:
        yield "token-request-body", "form", f"{seen.operation} accepted a form-encoded body"
    elif form and seen.status == 415:
        yield "token-request-body", "json", f"{seen.operation} refused a form-encoded body (415)"


def _header_spelling(seen: Seen) -> Iterator[Reading]:
    hyphenated = any(name.lower() == "client-code" for name, _ in seen.request_headers)
    underscored = any(name.lower() == "client_code" for name, _ in seen.request_headers)
    if hyphenated and not underscored and seen.status not in (400, 401):
        yield (
            "signing-header-spelling",
            "client-code",
            "a request with the header spelled client-code was not refused",
        )


def _otp_length(seen: Seen) -> Iterator[Reading]:
    otp = seen.body_field("otp")
    if seen.operation != "payments.authorize" or not isinstance(otp, str) or len(otp) != 4:
        return
    if seen.ok:
        yield "otp-length", "four-or-six", "payments.authorize accepted a 4-digit OTP"
    elif seen.code in _FORMAT_CODES:
        yield "otp-length", "six-digits", "payments.authorize refused a 4-digit OTP as malformed"


def _example_code_attendance(seen: Seen) -> Iterator[Reading]:
    if seen.operation != "attendance.status" or seen.body_field("redeem_code") != _DOC_EXAMPLE_CODE:
        return
    value = seen.data_field("attendance_status")
    if seen.ok and value in (0, 1) and not isinstance(value, bool):
        reading = "page" if value == 0 else "attended"
        yield (
            "example-code-attendance-status",
            reading,
            f"{_DOC_EXAMPLE_CODE} answered attendance_status {value}",
        )


DETECTORS: tuple[Detector, ...] = (
    _status_amount,
    _authorize_invoice_code,
    _status_sequence,
    _refresh_path,
    _sso_error_envelope,
    _refusal_status,
    _token_body,
    _header_spelling,
    _otp_length,
    _example_code_attendance,
)


def readings(seen: Seen) -> list[Finding]:
    """The readings this exchange settles, as ``reading`` findings."""
    return [
        Finding("reading", text, ambiguity=ambiguity, reading=reading, observed=reading)
        for detector in DETECTORS
        for ambiguity, reading, text in detector(seen)
    ]
