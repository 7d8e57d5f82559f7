"""Error classes generated from ``contracts/errors.yaml`` by ``python -m prakerja._errorgen``; do not edit.

Each class is one catalogue code; :data:`ERROR_CLASSES` maps a code to its class.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final

from prakerja._exceptions import (
    AttendanceError,
    AuthenticationError,
    PaymentError,
    PermissionDeniedError,
    PrakerjaAPIError,
    Provenance,
    RateLimitError,
    RequestValidationError,
    RoutingError,
    ServerError,
    SsoError,
    TpmError,
    VoidError,
)

__all__ = [
    "ERROR_CLASSES",
    "AmountMismatchError",
    "AssignmentAcceptedError",
    "AssignmentNotSubmittedError",
    "BadGatewayError",
    "BodyNotObjectError",
    "BodyTooLargeError",
    "ClientCodeMissingError",
    "ClientCodeUnknownError",
    "CourseAlreadyPurchasedError",
    "CourseAlreadyStartedError",
    "CourseNotFoundError",
    "CourseNotOnPlatformError",
    "CourseProviderInactiveError",
    "EmailAlreadyUsedError",
    "FeedbackFinalError",
    "FieldInvalidValueError",
    "FieldWrongTypeError",
    "GatewayTimeoutError",
    "InsufficientBalanceError",
    "InternalError",
    "InvoiceCodeUsedError",
    "InvoiceNotFoundError",
    "InvoiceTransactionMismatchError",
    "MalformedJsonError",
    "MethodNotAllowedError",
    "NotFoundContextClientIdError",
    "NotFoundContextUserIdError",
    "OauthAccessTokenExpiredError",
    "OauthAccessTokenMissingError",
    "OauthAuthCodeExpiredError",
    "OauthAuthCodeNotFoundError",
    "OauthClientIdNotFoundError",
    "OauthParameterMissingError",
    "OauthRedirectUriNotRegisteredError",
    "OauthRefreshTokenInvalidError",
    "OauthScopeInvalidError",
    "OauthSignatureInvalidError",
    "OauthTimestampInvalidError",
    "OperationNotPermittedError",
    "OtpAttemptsExceededError",
    "OtpExpiredError",
    "OtpInvalidError",
    "OutsideRedeemWindowError",
    "ParticipantNotEligibleError",
    "ParticipantNotFoundError",
    "PartnerNotActiveError",
    "PathNotFoundError",
    "PaymentAuthorizationMissingError",
    "PaymentTokenExpiredError",
    "PaymentTokenNotFoundError",
    "PaymentTokenUsedError",
    "PlatformUserBoundError",
    "QuotaExhaustedError",
    "QuotaParamsEmptyError",
    "RedeemCodeAlreadyUsedError",
    "RedeemCodeCancelledError",
    "RedeemCodeNotFoundError",
    "RedeemCodeNotRedeemedError",
    "RedeemCodeOtherInstitutionError",
    "RedirectUriNotRegisteredError",
    "RequiredFieldMissingError",
    "ResetNotPositiveCaseError",
    "ResetNotTestCodeError",
    "SandboxControlTokenInvalidError",
    "SandboxCrossOriginWriteError",
    "SandboxHostNotAllowedError",
    "ScheduleNotFoundError",
    "ScheduleNotInCourseError",
    "ScopeSequenceMismatchError",
    "SequenceAlreadyVerifiedError",
    "SequenceBeyondSessionsError",
    "SequenceNotInCourseError",
    "SequenceOutOfOrderError",
    "ServiceUnavailableError",
    "SignatureInvalidError",
    "SignatureMissingError",
    "TimestampExpiredError",
    "TimestampInFutureError",
    "TimestampMalformedError",
    "TooManyRequestsError",
    "TransactionAlreadyCancelledError",
    "TransactionNotFoundError",
    "UnknownFieldError",
    "UnsupportedContentTypeError",
    "WrongCourseTypeError",
]


class MalformedJsonError(RequestValidationError):
    """ERRPLT40001 (HTTP 400, inferred): The request body is not valid JSON.

    What to do: Send the body as UTF-8 JSON and sign exactly the bytes you send.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40001"
    title: ClassVar[str] = "MalformedJson"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The request body is not valid JSON."
    action: ClassVar[str] = "Send the body as UTF-8 JSON and sign exactly the bytes you send."


class BodyNotObjectError(RequestValidationError):
    """ERRPLT40002 (HTTP 400, inferred): The request body must be a JSON object.

    What to do: Wrap the fields in one JSON object, e.g. {"redeem_code":"..."}.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40002"
    title: ClassVar[str] = "BodyNotObject"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The request body must be a JSON object."
    action: ClassVar[str] = 'Wrap the fields in one JSON object, e.g. {"redeem_code":"..."}.'


class RequiredFieldMissingError(RequestValidationError):
    """ERRPLT40003 (HTTP 400, inferred): A required field is missing or empty.

    What to do: Send every field the operation marks required; the error names the field.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40003"
    title: ClassVar[str] = "RequiredFieldMissing"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "A required field is missing or empty."
    action: ClassVar[str] = "Send every field the operation marks required; the error names the field."


class FieldWrongTypeError(RequestValidationError):
    """ERRPLT40004 (HTTP 400, inferred): A field has the wrong type.

    What to do: Send numbers as JSON numbers ("sequence":1, "amount":20000) and codes as strings.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40004"
    title: ClassVar[str] = "FieldWrongType"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "A field has the wrong type."
    action: ClassVar[str] = (
        'Send numbers as JSON numbers ("sequence":1, "amount":20000) and codes as strings.'
    )


class FieldInvalidValueError(RequestValidationError):
    """ERRPLT40005 (HTTP 400, inferred): A field value is out of range, too long or not in the allowed format.

    What to do: Check the field against the contract (pattern, enum, length); the error names the field.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40005"
    title: ClassVar[str] = "FieldInvalidValue"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "A field value is out of range, too long or not in the allowed format."
    action: ClassVar[str] = (
        "Check the field against the contract (pattern, enum, length); the error names the field."
    )


class UnknownFieldError(RequestValidationError):
    """ERRPLT40006 (HTTP 400, inferred): The body contains a field the operation does not accept.

    What to do: Remove the field or fix its spelling (e.g. "sequense" for "sequence").
    """

    catalogue_code: ClassVar[str] = "ERRPLT40006"
    title: ClassVar[str] = "UnknownField"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The body contains a field the operation does not accept."
    action: ClassVar[str] = 'Remove the field or fix its spelling (e.g. "sequense" for "sequence").'


class TimestampMalformedError(AuthenticationError):
    """ERRPLT40007 (HTTP 400, inferred): The timestamp header must be Unix time in seconds.

    What to do: Send Unix seconds (10 digits), not milliseconds, and use the same string in the signature.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40007"
    title: ClassVar[str] = "TimestampMalformed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The timestamp header must be Unix time in seconds."
    action: ClassVar[str] = (
        "Send Unix seconds (10 digits), not milliseconds, and use the same string in the signature."
    )


class ClientCodeMissingError(AuthenticationError):
    """ERRPLT40101 (HTTP 401, inferred): The client_code header is missing.

    What to do: Send the client_code header; if you are behind nginx or gunicorn, make sure headers with
    underscores are forwarded.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40101"
    title: ClassVar[str] = "ClientCodeMissing"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The client_code header is missing."
    action: ClassVar[str] = (
        "Send the client_code header; if you are behind nginx or gunicorn, make sure headers with "
        "underscores are forwarded."
    )


class ClientCodeUnknownError(AuthenticationError):
    """ERRPLT40102 (HTTP 401, inferred): The client_code is not registered.

    What to do: Use the client_code Prakerja issued for this environment (sandbox and production differ).
    """

    catalogue_code: ClassVar[str] = "ERRPLT40102"
    title: ClassVar[str] = "ClientCodeUnknown"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The client_code is not registered."
    action: ClassVar[str] = (
        "Use the client_code Prakerja issued for this environment (sandbox and production differ)."
    )


class SignatureMissingError(AuthenticationError):
    """ERRPLT40103 (HTTP 401, inferred): The signature header is missing.

    What to do: Send the signature header: hex HMAC-SHA1 of client_code+timestamp+METHOD+path+body.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40103"
    title: ClassVar[str] = "SignatureMissing"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The signature header is missing."
    action: ClassVar[str] = (
        "Send the signature header: hex HMAC-SHA1 of client_code+timestamp+METHOD+path+body."
    )


class SignatureInvalidError(AuthenticationError):
    """ERRPLT40104 (HTTP 401, inferred): The signature does not match the request.

    What to do: Sign exactly the bytes you send (no re-serialisation after signing), with the same timestamp
    string as the header.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40104"
    title: ClassVar[str] = "SignatureInvalid"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The signature does not match the request."
    action: ClassVar[str] = (
        "Sign exactly the bytes you send (no re-serialisation after signing), with the same timestamp "
        "string as the header."
    )


class TimestampExpiredError(AuthenticationError):
    """ERRPLT40105 (HTTP 401, inferred): The timestamp is too old.

    What to do: Use the current Unix time for each call and keep your server clock synchronised (NTP); do
    not replay requests.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40105"
    title: ClassVar[str] = "TimestampExpired"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The timestamp is too old."
    action: ClassVar[str] = (
        "Use the current Unix time for each call and keep your server clock synchronised (NTP); do not "
        "replay requests."
    )


class TimestampInFutureError(AuthenticationError):
    """ERRPLT40106 (HTTP 401, inferred): The timestamp is in the future.

    What to do: Synchronise your server clock; a few seconds of skew are tolerated.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40106"
    title: ClassVar[str] = "TimestampInFuture"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The timestamp is in the future."
    action: ClassVar[str] = "Synchronise your server clock; a few seconds of skew are tolerated."


class PaymentAuthorizationMissingError(AuthenticationError):
    """ERRPLT40107 (HTTP 401, inferred): The Authorization header must be 'Payment <payment_token>'.

    What to do: Send Authorization: Payment <payment_token> with the token returned by send-otp.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40107"
    title: ClassVar[str] = "PaymentAuthorizationMissing"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The Authorization header must be 'Payment <payment_token>'."
    action: ClassVar[str] = "Send Authorization: Payment <payment_token> with the token returned by send-otp."


class SandboxControlTokenInvalidError(AuthenticationError):
    """ERRPLT40108 (HTTP 401, inferred): The sandbox control token is missing or wrong.

    What to do: Send Authorization: Bearer <token> (or X-Sandbox-Token) with the token the sandbox was
    started with (--control-token).
    """

    catalogue_code: ClassVar[str] = "ERRPLT40108"
    title: ClassVar[str] = "SandboxControlTokenInvalid"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The sandbox control token is missing or wrong."
    action: ClassVar[str] = (
        "Send Authorization: Bearer <token> (or X-Sandbox-Token) with the token the sandbox was started "
        "with (--control-token)."
    )


class OperationNotPermittedError(PermissionDeniedError):
    """ERRPLT40301 (HTTP 403, inferred): This partner may not call this operation.

    What to do: Payment operations are for digital platforms; attendance and TPM/UK operations are for
    training institutions. Use the matching credentials.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40301"
    title: ClassVar[str] = "OperationNotPermitted"
    http_status: ClassVar[int] = 403
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "This partner may not call this operation."
    action: ClassVar[str] = (
        "Payment operations are for digital platforms; attendance and TPM/UK operations are for training "
        "institutions. Use the matching credentials."
    )


class PartnerNotActiveError(PermissionDeniedError):
    """ERRPLT40302 (HTTP 403, inferred): The partner is not validated by the programme or is suspended.

    What to do: Complete validation with your curating digital platform and PMO, or contact the PMO about
    the suspension.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40302"
    title: ClassVar[str] = "PartnerNotActive"
    http_status: ClassVar[int] = 403
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The partner is not validated by the programme or is suspended."
    action: ClassVar[str] = (
        "Complete validation with your curating digital platform and PMO, or contact the PMO about the "
        "suspension."
    )


class SandboxHostNotAllowedError(PermissionDeniedError):
    """ERRPLT40303 (HTTP 403, inferred): The sandbox's control API does not answer this Host.

    What to do: Call the sandbox by 127.0.0.1 or localhost, or start it with --allow-host NAME to share it
    under that name.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40303"
    title: ClassVar[str] = "SandboxHostNotAllowed"
    http_status: ClassVar[int] = 403
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The sandbox's control API does not answer this Host."
    action: ClassVar[str] = (
        "Call the sandbox by 127.0.0.1 or localhost, or start it with --allow-host NAME to share it under "
        "that name."
    )


class SandboxCrossOriginWriteError(PermissionDeniedError):
    """ERRPLT40304 (HTTP 403, inferred): The sandbox's control API takes writes from its own origin only.

    What to do: Send control-API writes from a program (no Origin header) or from the dashboard itself; a
    browser page on another site cannot write to the sandbox.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40304"
    title: ClassVar[str] = "SandboxCrossOriginWrite"
    http_status: ClassVar[int] = 403
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The sandbox's control API takes writes from its own origin only."
    action: ClassVar[str] = (
        "Send control-API writes from a program (no Origin header) or from the dashboard itself; a browser "
        "page on another site cannot write to the sandbox."
    )


class PathNotFoundError(RoutingError):
    """ERRPLT40401 (HTTP 404, inferred): No operation exists at this path.

    What to do: Check the path against the contract (e.g. /api/v1/integration/payment/redeem-code/status).
    """

    catalogue_code: ClassVar[str] = "ERRPLT40401"
    title: ClassVar[str] = "PathNotFound"
    http_status: ClassVar[int] = 404
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "No operation exists at this path."
    action: ClassVar[str] = (
        "Check the path against the contract (e.g. /api/v1/integration/payment/redeem-code/status)."
    )


class MethodNotAllowedError(RoutingError):
    """ERRPLT40501 (HTTP 405, inferred): The HTTP method is not allowed for this path.

    What to do: Integration operations are POST; SSO login URL and profile are GET.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40501"
    title: ClassVar[str] = "MethodNotAllowed"
    http_status: ClassVar[int] = 405
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The HTTP method is not allowed for this path."
    action: ClassVar[str] = "Integration operations are POST; SSO login URL and profile are GET."


class BodyTooLargeError(RequestValidationError):
    """ERRPLT41301 (HTTP 413, inferred): The request body is larger than allowed.

    What to do: Keep bodies small (a few KB); send files by URL (url_file), never inline.
    """

    catalogue_code: ClassVar[str] = "ERRPLT41301"
    title: ClassVar[str] = "BodyTooLarge"
    http_status: ClassVar[int] = 413
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The request body is larger than allowed."
    action: ClassVar[str] = "Keep bodies small (a few KB); send files by URL (url_file), never inline."


class UnsupportedContentTypeError(RequestValidationError):
    """ERRPLT41501 (HTTP 415, inferred): The Content-Type must be application/json.

    What to do: Send Content-Type: application/json.
    """

    catalogue_code: ClassVar[str] = "ERRPLT41501"
    title: ClassVar[str] = "UnsupportedContentType"
    http_status: ClassVar[int] = 415
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The Content-Type must be application/json."
    action: ClassVar[str] = "Send Content-Type: application/json."


class TooManyRequestsError(RateLimitError):
    """ERRPLT42901 (HTTP 429, inferred): Too many requests; slow down.

    What to do: Retry read operations after the Retry-After delay with backoff.
    """

    catalogue_code: ClassVar[str] = "ERRPLT42901"
    title: ClassVar[str] = "TooManyRequests"
    http_status: ClassVar[int] = 429
    transient: ClassVar[bool] = True
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Too many requests; slow down."
    action: ClassVar[str] = "Retry read operations after the Retry-After delay with backoff."


class InternalError(ServerError):
    """ERRPLT50001 (HTTP 500, inferred): Internal server error.

    What to do: Retry read operations with backoff; for authorize or void, check payment status by invoice
    before retrying.
    """

    catalogue_code: ClassVar[str] = "ERRPLT50001"
    title: ClassVar[str] = "InternalError"
    http_status: ClassVar[int] = 500
    transient: ClassVar[bool] = True
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Internal server error."
    action: ClassVar[str] = (
        "Retry read operations with backoff; for authorize or void, check payment status by invoice before "
        "retrying."
    )


class BadGatewayError(ServerError):
    """ERRPLT50201 (HTTP 502, inferred): Bad gateway.

    What to do: Retry read operations with backoff; reconcile writes by status.
    """

    catalogue_code: ClassVar[str] = "ERRPLT50201"
    title: ClassVar[str] = "BadGateway"
    http_status: ClassVar[int] = 502
    transient: ClassVar[bool] = True
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Bad gateway."
    action: ClassVar[str] = "Retry read operations with backoff; reconcile writes by status."


class ServiceUnavailableError(ServerError):
    """ERRPLT50301 (HTTP 503, inferred): Service temporarily unavailable.

    What to do: Retry read operations after Retry-After with backoff; reconcile writes by status.
    """

    catalogue_code: ClassVar[str] = "ERRPLT50301"
    title: ClassVar[str] = "ServiceUnavailable"
    http_status: ClassVar[int] = 503
    transient: ClassVar[bool] = True
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Service temporarily unavailable."
    action: ClassVar[str] = (
        "Retry read operations after Retry-After with backoff; reconcile writes by status."
    )


class GatewayTimeoutError(ServerError):
    """ERRPLT50401 (HTTP 504, inferred): Gateway timeout.

    What to do: The outcome of a write is unknown: reconcile authorize with payment status before retrying.
    """

    catalogue_code: ClassVar[str] = "ERRPLT50401"
    title: ClassVar[str] = "GatewayTimeout"
    http_status: ClassVar[int] = 504
    transient: ClassVar[bool] = True
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Gateway timeout."
    action: ClassVar[str] = (
        "The outcome of a write is unknown: reconcile authorize with payment status before retrying."
    )


class ScheduleNotFoundError(PaymentError):
    """ERRPLT40010 (HTTP 400, inferred): The schedule_code does not exist.

    What to do: Refresh the course's schedules from your catalogue and let the participant choose again.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40010"
    title: ClassVar[str] = "ScheduleNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The schedule_code does not exist."
    action: ClassVar[str] = (
        "Refresh the course's schedules from your catalogue and let the participant choose again."
    )


class ScheduleNotInCourseError(PaymentError):
    """ERRPLT40011 (HTTP 400, inferred): The schedule does not belong to the course.

    What to do: Send the schedule_code of the chosen course.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40011"
    title: ClassVar[str] = "ScheduleNotInCourse"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The schedule does not belong to the course."
    action: ClassVar[str] = "Send the schedule_code of the chosen course."


class CourseAlreadyStartedError(PaymentError):
    """ERRPLT40012 (HTTP 400, inferred): The course schedule has already started and can no longer be bought.

    What to do: Offer the participant a later schedule.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40012"
    title: ClassVar[str] = "CourseAlreadyStarted"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The course schedule has already started and can no longer be bought."
    action: ClassVar[str] = "Offer the participant a later schedule."


class QuotaExhaustedError(PaymentError):
    """ERRPLT40013 (HTTP 400, inferred): No seats are left on this schedule.

    What to do: Show the schedule as full (check quota-schedule) and offer another schedule.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40013"
    title: ClassVar[str] = "QuotaExhausted"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "No seats are left on this schedule."
    action: ClassVar[str] = "Show the schedule as full (check quota-schedule) and offer another schedule."


class ParticipantNotEligibleError(PaymentError):
    """ERRPLT40014 (HTTP 400, inferred): The participant's age or education does not meet the course
    requirements.

    What to do: Tell the participant the course requirements; do not retry.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40014"
    title: ClassVar[str] = "ParticipantNotEligible"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The participant's age or education does not meet the course requirements."
    action: ClassVar[str] = "Tell the participant the course requirements; do not retry."


class InsufficientBalanceError(PaymentError):
    """ERRPLT40015 (HTTP 400, inferred): The participant's training balance is not enough for this course.

    What to do: Show the participant the remaining balance; they may pick a cheaper course.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40015"
    title: ClassVar[str] = "InsufficientBalance"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The participant's training balance is not enough for this course."
    action: ClassVar[str] = "Show the participant the remaining balance; they may pick a cheaper course."


class ParticipantNotFoundError(PaymentError):
    """ERRPLT40016 (HTTP 400, inferred): The Kartu Prakerja number is unknown or not active.

    What to do: Ask the participant to check the 16-digit Kartu Prakerja number.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40016"
    title: ClassVar[str] = "ParticipantNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The Kartu Prakerja number is unknown or not active."
    action: ClassVar[str] = "Ask the participant to check the 16-digit Kartu Prakerja number."


class AmountMismatchError(PaymentError):
    """ERRPLT40017 (HTTP 400, inferred): The amount differs from the course price.

    What to do: Send the course price registered with Prakerja as amount.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40017"
    title: ClassVar[str] = "AmountMismatch"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The amount differs from the course price."
    action: ClassVar[str] = "Send the course price registered with Prakerja as amount."


class CourseNotFoundError(PaymentError):
    """ERRPLT40018 (HTTP 400, inferred): The course_code does not exist.

    What to do: Refresh your catalogue; the course may have been withdrawn.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40018"
    title: ClassVar[str] = "CourseNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The course_code does not exist."
    action: ClassVar[str] = "Refresh your catalogue; the course may have been withdrawn."


class CourseNotOnPlatformError(PaymentError):
    """ERRPLT40019 (HTTP 400, inferred): The course is not sold on this digital platform.

    What to do: Only sell courses registered for your platform.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40019"
    title: ClassVar[str] = "CourseNotOnPlatform"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The course is not sold on this digital platform."
    action: ClassVar[str] = "Only sell courses registered for your platform."


class PlatformUserBoundError(PaymentError):
    """ERRPLT40020 (HTTP 400, inferred): This user_platform_id is already linked to another Kartu Prakerja
    number.

    What to do: One platform account may use only one Kartu Prakerja number; ask the participant to use
    their own account.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40020"
    title: ClassVar[str] = "PlatformUserBound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "This user_platform_id is already linked to another Kartu Prakerja number."
    action: ClassVar[str] = (
        "One platform account may use only one Kartu Prakerja number; ask the participant to use their own "
        "account."
    )


class CourseAlreadyPurchasedError(PaymentError):
    """ERRPLT40021 (HTTP 400, inferred): The participant already bought this course.

    What to do: Show the existing purchase instead of selling the course again.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40021"
    title: ClassVar[str] = "CourseAlreadyPurchased"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The participant already bought this course."
    action: ClassVar[str] = "Show the existing purchase instead of selling the course again."


class CourseProviderInactiveError(PaymentError):
    """ERRPLT40022 (HTTP 400, inferred): The course's training institution is not validated or is suspended, so
    the course cannot be sold.

    What to do: Hide the institution's courses until the PMO reactivates it.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40022"
    title: ClassVar[str] = "CourseProviderInactive"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = (
        "The course's training institution is not validated or is suspended, so the course cannot be sold."
    )
    action: ClassVar[str] = "Hide the institution's courses until the PMO reactivates it."


class OtpInvalidError(PaymentError):
    """ERRPLT40023 (HTTP 400, inferred): The OTP is wrong.

    What to do: Let the participant re-enter the OTP; after 3 wrong attempts the token is locked.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40023"
    title: ClassVar[str] = "OtpInvalid"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The OTP is wrong."
    action: ClassVar[str] = (
        "Let the participant re-enter the OTP; after 3 wrong attempts the token is locked."
    )


class OtpExpiredError(PaymentError):
    """ERRPLT40024 (HTTP 400, inferred): The OTP has expired.

    What to do: Call send-otp again to send a new OTP.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40024"
    title: ClassVar[str] = "OtpExpired"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The OTP has expired."
    action: ClassVar[str] = "Call send-otp again to send a new OTP."


class OtpAttemptsExceededError(PaymentError):
    """ERRPLT40025 (HTTP 400, inferred): Too many wrong OTP attempts; the payment token is locked.

    What to do: Start again with send-otp.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40025"
    title: ClassVar[str] = "OtpAttemptsExceeded"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Too many wrong OTP attempts; the payment token is locked."
    action: ClassVar[str] = "Start again with send-otp."


class PaymentTokenNotFoundError(PaymentError):
    """ERRPLT40026 (HTTP 400, inferred): The payment token is unknown.

    What to do: Send the payment_token from this purchase's send-otp response.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40026"
    title: ClassVar[str] = "PaymentTokenNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The payment token is unknown."
    action: ClassVar[str] = "Send the payment_token from this purchase's send-otp response."


class PaymentTokenUsedError(PaymentError):
    """ERRPLT40027 (HTTP 400, inferred): The payment token was already used.

    What to do: The purchase may already be paid: check payment status by invoice_code before doing anything
    else.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40027"
    title: ClassVar[str] = "PaymentTokenUsed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The payment token was already used."
    action: ClassVar[str] = (
        "The purchase may already be paid: check payment status by invoice_code before doing anything else."
    )


class PaymentTokenExpiredError(PaymentError):
    """ERRPLT40029 (HTTP 400, inferred): The payment token has expired.

    What to do: Call send-otp again.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40029"
    title: ClassVar[str] = "PaymentTokenExpired"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The payment token has expired."
    action: ClassVar[str] = "Call send-otp again."


class InvoiceCodeUsedError(PaymentError):
    """ERRPLT40030 (HTTP 400, inferred): The invoice_code is already used by another transaction.

    What to do: Generate a new, unique invoice_code for each purchase.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40030"
    title: ClassVar[str] = "InvoiceCodeUsed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The invoice_code is already used by another transaction."
    action: ClassVar[str] = "Generate a new, unique invoice_code for each purchase."


class InvoiceNotFoundError(PaymentError):
    """ERRPLT40032 (HTTP 400, inferred): No transaction exists for this invoice_code.

    What to do: Check the invoice_code; if authorize timed out, a missing invoice means the payment did not
    happen.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40032"
    title: ClassVar[str] = "InvoiceNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "No transaction exists for this invoice_code."
    action: ClassVar[str] = (
        "Check the invoice_code; if authorize timed out, a missing invoice means the payment did not happen."
    )


class QuotaParamsEmptyError(PaymentError):
    """ERRPLT40036 (HTTP 400, documented): course_code and/or schedule_code is empty.

    What to do: Send both course_code and schedule_code.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40036"
    title: ClassVar[str] = "QuotaParamsEmpty"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "course_code and/or schedule_code is empty."
    action: ClassVar[str] = "Send both course_code and schedule_code."


class TransactionNotFoundError(VoidError):
    """ERRVOD40001 (HTTP 400, documented): The transaction code was not found.

    What to do: Send the transaction_code returned by authorize (or by status).
    """

    catalogue_code: ClassVar[str] = "ERRVOD40001"
    title: ClassVar[str] = "TransactionNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "The transaction code was not found."
    action: ClassVar[str] = "Send the transaction_code returned by authorize (or by status)."


class TransactionAlreadyCancelledError(VoidError):
    """ERRPLT40028 (HTTP 400, documented): The transaction was already cancelled.

    What to do: Nothing to do: the purchase is already void.
    """

    catalogue_code: ClassVar[str] = "ERRPLT40028"
    title: ClassVar[str] = "TransactionAlreadyCancelled"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "The transaction was already cancelled."
    action: ClassVar[str] = "Nothing to do: the purchase is already void."


class InvoiceTransactionMismatchError(VoidError):
    """ERRVOD40002 (HTTP 400, inferred): The invoice_code does not belong to this transaction.

    What to do: Send the invoice_code and transaction_code of the same purchase.
    """

    catalogue_code: ClassVar[str] = "ERRVOD40002"
    title: ClassVar[str] = "InvoiceTransactionMismatch"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The invoice_code does not belong to this transaction."
    action: ClassVar[str] = "Send the invoice_code and transaction_code of the same purchase."


class RedeemCodeAlreadyUsedError(VoidError):
    """ERRVOD40003 (HTTP 400, inferred): The transaction cannot be cancelled: its redeem code has been used.

    What to do: A course already started at the LP cannot be voided; contact the PMO.
    """

    catalogue_code: ClassVar[str] = "ERRVOD40003"
    title: ClassVar[str] = "RedeemCodeAlreadyUsed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The transaction cannot be cancelled: its redeem code has been used."
    action: ClassVar[str] = "A course already started at the LP cannot be voided; contact the PMO."


class RedeemCodeNotFoundError(AttendanceError):
    """ERRRDM40001 (HTTP 400, inferred): The redeem code was not found.

    What to do: Ask the participant to check the code from their Prakerja dashboard.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40001"
    title: ClassVar[str] = "RedeemCodeNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redeem code was not found."
    action: ClassVar[str] = "Ask the participant to check the code from their Prakerja dashboard."


class RedeemCodeOtherInstitutionError(AttendanceError):
    """ERRRDM40002 (HTTP 400, inferred): The redeem code belongs to another training institution.

    What to do: The participant bought another institution's course; they must redeem it there.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40002"
    title: ClassVar[str] = "RedeemCodeOtherInstitution"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redeem code belongs to another training institution."
    action: ClassVar[str] = "The participant bought another institution's course; they must redeem it there."


class WrongCourseTypeError(AttendanceError):
    """ERRRDM40003 (HTTP 400, inferred): The course type does not allow this operation.

    What to do: Online attendance verification is only for webinar and self-paced courses.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40003"
    title: ClassVar[str] = "WrongCourseType"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The course type does not allow this operation."
    action: ClassVar[str] = "Online attendance verification is only for webinar and self-paced courses."


class RedeemCodeCancelledError(AttendanceError):
    """ERRRDM40004 (HTTP 400, inferred): The redeem code was cancelled (its transaction was voided).

    What to do: The purchase was voided; the participant must buy the course again.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40004"
    title: ClassVar[str] = "RedeemCodeCancelled"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redeem code was cancelled (its transaction was voided)."
    action: ClassVar[str] = "The purchase was voided; the participant must buy the course again."


class SequenceAlreadyVerifiedError(AttendanceError):
    """ERRRDM40005 (HTTP 400, inferred): Attendance for this sequence is already verified.

    What to do: Read the state with redeem-code status; there is nothing to redo.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40005"
    title: ClassVar[str] = "SequenceAlreadyVerified"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Attendance for this sequence is already verified."
    action: ClassVar[str] = "Read the state with redeem-code status; there is nothing to redo."


class OutsideRedeemWindowError(AttendanceError):
    """ERRRDM40006 (HTTP 400, inferred): Webinar redeem codes can only be used from 1 hour before to 1 hour
    after the course starts.

    What to do: Ask the participant to redeem within the window around the schedule start.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40006"
    title: ClassVar[str] = "OutsideRedeemWindow"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = (
        "Webinar redeem codes can only be used from 1 hour before to 1 hour after the course starts."
    )
    action: ClassVar[str] = "Ask the participant to redeem within the window around the schedule start."


class SequenceOutOfOrderError(AttendanceError):
    """ERRRDM40007 (HTTP 400, inferred): The previous sequence has not been verified yet.

    What to do: Verify sequence 1 first, then 2..N in order, and the post-test (999) last.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40007"
    title: ClassVar[str] = "SequenceOutOfOrder"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The previous sequence has not been verified yet."
    action: ClassVar[str] = "Verify sequence 1 first, then 2..N in order, and the post-test (999) last."


class SequenceBeyondSessionsError(AttendanceError):
    """ERRRDM40008 (HTTP 400, inferred): The sequence is beyond the course's sessions.

    What to do: Use sequences 1..N for a course with N sessions, and 999 for the post-test.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40008"
    title: ClassVar[str] = "SequenceBeyondSessions"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The sequence is beyond the course's sessions."
    action: ClassVar[str] = "Use sequences 1..N for a course with N sessions, and 999 for the post-test."


class ResetNotTestCodeError(AttendanceError):
    """ERRRDM40009 (HTTP 400, inferred): Only PRAT- test redeem codes can be reset.

    What to do: Reset is for test codes only; real codes cannot be reset.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40009"
    title: ClassVar[str] = "ResetNotTestCode"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Only PRAT- test redeem codes can be reset."
    action: ClassVar[str] = "Reset is for test codes only; real codes cannot be reset."


class RedirectUriNotRegisteredError(AttendanceError):
    """ERRRDM40010 (HTTP 400, inferred): The redirect_uri is not the one registered for this institution.

    What to do: Use the exact callback URL registered with Prakerja (scheme, host, path).
    """

    catalogue_code: ClassVar[str] = "ERRRDM40010"
    title: ClassVar[str] = "RedirectUriNotRegistered"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redirect_uri is not the one registered for this institution."
    action: ClassVar[str] = "Use the exact callback URL registered with Prakerja (scheme, host, path)."


class EmailAlreadyUsedError(AttendanceError):
    """ERRRDM40011 (HTTP 400, inferred): This e-mail is already used for this course by another redeem code.

    What to do: Each participant must use their own e-mail; one e-mail cannot take the same course twice.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40011"
    title: ClassVar[str] = "EmailAlreadyUsed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "This e-mail is already used for this course by another redeem code."
    action: ClassVar[str] = (
        "Each participant must use their own e-mail; one e-mail cannot take the same course twice."
    )


class ResetNotPositiveCaseError(AttendanceError):
    """ERRRDM40012 (HTTP 400, inferred): Only positive test cases can be reset.

    What to do: Negative test codes keep their state; reset only the TC...-200 codes.
    """

    catalogue_code: ClassVar[str] = "ERRRDM40012"
    title: ClassVar[str] = "ResetNotPositiveCase"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "Only positive test cases can be reset."
    action: ClassVar[str] = "Negative test codes keep their state; reset only the TC...-200 codes."


class RedeemCodeNotRedeemedError(TpmError):
    """ERRTPM40001 (HTTP 400, inferred): The redeem code has not been redeemed yet.

    What to do: Redeem the code (attendance sequence 1) before submitting TPM or UK.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40001"
    title: ClassVar[str] = "RedeemCodeNotRedeemed"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redeem code has not been redeemed yet."
    action: ClassVar[str] = "Redeem the code (attendance sequence 1) before submitting TPM or UK."


class ScopeSequenceMismatchError(TpmError):
    """ERRTPM40002 (HTTP 400, inferred): The scope and sequence do not match (tpm: 1-998, uk: 999).

    What to do: Use scope tpm with sequence 1..998, and scope uk with sequence 999.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40002"
    title: ClassVar[str] = "ScopeSequenceMismatch"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The scope and sequence do not match (tpm: 1-998, uk: 999)."
    action: ClassVar[str] = "Use scope tpm with sequence 1..998, and scope uk with sequence 999."


class SequenceNotInCourseError(TpmError):
    """ERRTPM40003 (HTTP 400, inferred): The course has no such TPM or UK.

    What to do: Use the TPM sequences the course defines; UK only for courses with a skills demonstration.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40003"
    title: ClassVar[str] = "SequenceNotInCourse"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The course has no such TPM or UK."
    action: ClassVar[str] = (
        "Use the TPM sequences the course defines; UK only for courses with a skills demonstration."
    )


class AssignmentNotSubmittedError(TpmError):
    """ERRTPM40004 (HTTP 400, inferred): The participant's assignment has not been submitted yet.

    What to do: Submit the assignment (tpm/submission) before the feedback.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40004"
    title: ClassVar[str] = "AssignmentNotSubmitted"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The participant's assignment has not been submitted yet."
    action: ClassVar[str] = "Submit the assignment (tpm/submission) before the feedback."


class FeedbackFinalError(TpmError):
    """ERRTPM40005 (HTTP 400, inferred): The feedback for this task is already final.

    What to do: A graded-success task cannot be graded again.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40005"
    title: ClassVar[str] = "FeedbackFinal"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The feedback for this task is already final."
    action: ClassVar[str] = "A graded-success task cannot be graded again."


class AssignmentAcceptedError(TpmError):
    """ERRTPM40006 (HTTP 400, inferred): The assignment was already accepted and cannot be resubmitted.

    What to do: Nothing to resubmit; the task passed.
    """

    catalogue_code: ClassVar[str] = "ERRTPM40006"
    title: ClassVar[str] = "AssignmentAccepted"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The assignment was already accepted and cannot be resubmitted."
    action: ClassVar[str] = "Nothing to resubmit; the task passed."


class NotFoundContextClientIdError(SsoError):
    """ERROAUTH4024 (HTTP 400, documented): The X-Client-Id header is missing.

    What to do: Send the X-Client-Id header with your client code.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4024"
    title: ClassVar[str] = "NotFoundContextClientId"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "The X-Client-Id header is missing."
    action: ClassVar[str] = "Send the X-Client-Id header with your client code."


class OauthClientIdNotFoundError(SsoError):
    """ERROAUTH4029 (HTTP 400, documented): The client id is not registered for SSO.

    What to do: Use the client id Prakerja issued for SSO.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4029"
    title: ClassVar[str] = "ErrOauthClientIdNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "The client id is not registered for SSO."
    action: ClassVar[str] = "Use the client id Prakerja issued for SSO."


class NotFoundContextUserIdError(SsoError):
    """ERROAUTH4030 (HTTP 400, documented): No user matches the access token.

    What to do: Send the access_token from create-token; obtain a new one if it was revoked.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4030"
    title: ClassVar[str] = "NotFoundContextUserId"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "No user matches the access token."
    action: ClassVar[str] = "Send the access_token from create-token; obtain a new one if it was revoked."


class OauthAuthCodeNotFoundError(SsoError):
    """ERROAUTH4031 (HTTP 400, documented): The authorization code was not found.

    What to do: Exchange the code from the redirect's ?code= parameter, once.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4031"
    title: ClassVar[str] = "ErrOauthAuthCodeNotFound"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "documented"
    message_en: ClassVar[str] = "The authorization code was not found."
    action: ClassVar[str] = "Exchange the code from the redirect's ?code= parameter, once."


class OauthAuthCodeExpiredError(SsoError):
    """ERROAUTH4032 (HTTP 400, inferred): The authorization code has expired or was already exchanged.

    What to do: Restart the login; codes are single-use and short-lived.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4032"
    title: ClassVar[str] = "ErrOauthAuthCodeExpired"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The authorization code has expired or was already exchanged."
    action: ClassVar[str] = "Restart the login; codes are single-use and short-lived."


class OauthRefreshTokenInvalidError(SsoError):
    """ERROAUTH4033 (HTTP 400, inferred): The refresh token is invalid or expired.

    What to do: Send the participant through the login again.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4033"
    title: ClassVar[str] = "ErrOauthRefreshTokenInvalid"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The refresh token is invalid or expired."
    action: ClassVar[str] = "Send the participant through the login again."


class OauthAccessTokenExpiredError(SsoError):
    """ERROAUTH4034 (HTTP 401, inferred): The access token has expired.

    What to do: Refresh the token with the refresh_token, then retry.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4034"
    title: ClassVar[str] = "ErrOauthAccessTokenExpired"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The access token has expired."
    action: ClassVar[str] = "Refresh the token with the refresh_token, then retry."


class OauthRedirectUriNotRegisteredError(SsoError):
    """ERROAUTH4035 (HTTP 400, inferred): The redirect_uri or login_uri is not registered for this client.

    What to do: Use the callback URLs registered with Prakerja.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4035"
    title: ClassVar[str] = "ErrOauthRedirectUriNotRegistered"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The redirect_uri or login_uri is not registered for this client."
    action: ClassVar[str] = "Use the callback URLs registered with Prakerja."


class OauthSignatureInvalidError(SsoError):
    """ERROAUTH4036 (HTTP 401, inferred): The X-Signature is missing or invalid.

    What to do: Sign client_id+timestamp+METHOD+path(+?query)+body with your sign key.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4036"
    title: ClassVar[str] = "ErrOauthSignatureInvalid"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The X-Signature is missing or invalid."
    action: ClassVar[str] = "Sign client_id+timestamp+METHOD+path(+?query)+body with your sign key."


class OauthTimestampInvalidError(SsoError):
    """ERROAUTH4037 (HTTP 401, inferred): The X-Timestamp is missing or outside the allowed window.

    What to do: Send the current Unix time in seconds.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4037"
    title: ClassVar[str] = "ErrOauthTimestampInvalid"
    http_status: ClassVar[int] = 401
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The X-Timestamp is missing or outside the allowed window."
    action: ClassVar[str] = "Send the current Unix time in seconds."


class OauthParameterMissingError(SsoError):
    """ERROAUTH4038 (HTTP 400, inferred): A required parameter is missing or invalid.

    What to do: Send scope, state, redirect_uri and login_uri for login URLs; code or token for token calls.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4038"
    title: ClassVar[str] = "ErrOauthParameterMissing"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "A required parameter is missing or invalid."
    action: ClassVar[str] = (
        "Send scope, state, redirect_uri and login_uri for login URLs; code or token for token calls."
    )


class OauthScopeInvalidError(SsoError):
    """ERROAUTH4039 (HTTP 400, inferred): The scope contains an unknown value.

    What to do: Request a space-separated subset of: name email prakerjaid notelp.
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4039"
    title: ClassVar[str] = "ErrOauthScopeInvalid"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The scope contains an unknown value."
    action: ClassVar[str] = "Request a space-separated subset of: name email prakerjaid notelp."


class OauthAccessTokenMissingError(SsoError):
    """ERROAUTH4040 (HTTP 400, inferred): The Authorization header with the access token is missing.

    What to do: Send Authorization: <access_token> (a 'Bearer ' prefix is accepted).
    """

    catalogue_code: ClassVar[str] = "ERROAUTH4040"
    title: ClassVar[str] = "ErrOauthAccessTokenMissing"
    http_status: ClassVar[int] = 400
    transient: ClassVar[bool] = False
    provenance: ClassVar[Provenance] = "inferred"
    message_en: ClassVar[str] = "The Authorization header with the access token is missing."
    action: ClassVar[str] = "Send Authorization: <access_token> (a 'Bearer ' prefix is accepted)."


ERROR_CLASSES: Final[Mapping[str, type[PrakerjaAPIError]]] = MappingProxyType(
    {
        "ERRPLT40001": MalformedJsonError,
        "ERRPLT40002": BodyNotObjectError,
        "ERRPLT40003": RequiredFieldMissingError,
        "ERRPLT40004": FieldWrongTypeError,
        "ERRPLT40005": FieldInvalidValueError,
        "ERRPLT40006": UnknownFieldError,
        "ERRPLT40007": TimestampMalformedError,
        "ERRPLT40101": ClientCodeMissingError,
        "ERRPLT40102": ClientCodeUnknownError,
        "ERRPLT40103": SignatureMissingError,
        "ERRPLT40104": SignatureInvalidError,
        "ERRPLT40105": TimestampExpiredError,
        "ERRPLT40106": TimestampInFutureError,
        "ERRPLT40107": PaymentAuthorizationMissingError,
        "ERRPLT40108": SandboxControlTokenInvalidError,
        "ERRPLT40301": OperationNotPermittedError,
        "ERRPLT40302": PartnerNotActiveError,
        "ERRPLT40303": SandboxHostNotAllowedError,
        "ERRPLT40304": SandboxCrossOriginWriteError,
        "ERRPLT40401": PathNotFoundError,
        "ERRPLT40501": MethodNotAllowedError,
        "ERRPLT41301": BodyTooLargeError,
        "ERRPLT41501": UnsupportedContentTypeError,
        "ERRPLT42901": TooManyRequestsError,
        "ERRPLT50001": InternalError,
        "ERRPLT50201": BadGatewayError,
        "ERRPLT50301": ServiceUnavailableError,
        "ERRPLT50401": GatewayTimeoutError,
        "ERRPLT40010": ScheduleNotFoundError,
        "ERRPLT40011": ScheduleNotInCourseError,
        "ERRPLT40012": CourseAlreadyStartedError,
        "ERRPLT40013": QuotaExhaustedError,
        "ERRPLT40014": ParticipantNotEligibleError,
        "ERRPLT40015": InsufficientBalanceError,
        "ERRPLT40016": ParticipantNotFoundError,
        "ERRPLT40017": AmountMismatchError,
        "ERRPLT40018": CourseNotFoundError,
        "ERRPLT40019": CourseNotOnPlatformError,
        "ERRPLT40020": PlatformUserBoundError,
        "ERRPLT40021": CourseAlreadyPurchasedError,
        "ERRPLT40022": CourseProviderInactiveError,
        "ERRPLT40023": OtpInvalidError,
        "ERRPLT40024": OtpExpiredError,
        "ERRPLT40025": OtpAttemptsExceededError,
        "ERRPLT40026": PaymentTokenNotFoundError,
        "ERRPLT40027": PaymentTokenUsedError,
        "ERRPLT40029": PaymentTokenExpiredError,
        "ERRPLT40030": InvoiceCodeUsedError,
        "ERRPLT40032": InvoiceNotFoundError,
        "ERRPLT40036": QuotaParamsEmptyError,
        "ERRVOD40001": TransactionNotFoundError,
        "ERRPLT40028": TransactionAlreadyCancelledError,
        "ERRVOD40002": InvoiceTransactionMismatchError,
        "ERRVOD40003": RedeemCodeAlreadyUsedError,
        "ERRRDM40001": RedeemCodeNotFoundError,
        "ERRRDM40002": RedeemCodeOtherInstitutionError,
        "ERRRDM40003": WrongCourseTypeError,
        "ERRRDM40004": RedeemCodeCancelledError,
        "ERRRDM40005": SequenceAlreadyVerifiedError,
        "ERRRDM40006": OutsideRedeemWindowError,
        "ERRRDM40007": SequenceOutOfOrderError,
        "ERRRDM40008": SequenceBeyondSessionsError,
        "ERRRDM40009": ResetNotTestCodeError,
        "ERRRDM40010": RedirectUriNotRegisteredError,
        "ERRRDM40011": EmailAlreadyUsedError,
        "ERRRDM40012": ResetNotPositiveCaseError,
        "ERRTPM40001": RedeemCodeNotRedeemedError,
        "ERRTPM40002": ScopeSequenceMismatchError,
        "ERRTPM40003": SequenceNotInCourseError,
        "ERRTPM40004": AssignmentNotSubmittedError,
        "ERRTPM40005": FeedbackFinalError,
        "ERRTPM40006": AssignmentAcceptedError,
        "ERROAUTH4024": NotFoundContextClientIdError,
        "ERROAUTH4029": OauthClientIdNotFoundError,
        "ERROAUTH4030": NotFoundContextUserIdError,
        "ERROAUTH4031": OauthAuthCodeNotFoundError,
        "ERROAUTH4032": OauthAuthCodeExpiredError,
        "ERROAUTH4033": OauthRefreshTokenInvalidError,
        "ERROAUTH4034": OauthAccessTokenExpiredError,
        "ERROAUTH4035": OauthRedirectUriNotRegisteredError,
        "ERROAUTH4036": OauthSignatureInvalidError,
        "ERROAUTH4037": OauthTimestampInvalidError,
        "ERROAUTH4038": OauthParameterMissingError,
        "ERROAUTH4039": OauthScopeInvalidError,
        "ERROAUTH4040": OauthAccessTokenMissingError,
    }
)
