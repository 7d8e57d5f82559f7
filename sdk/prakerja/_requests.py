"""Request bodies as checked attrs classes: only what the documentation states refuses a call locally.

:data:`DOCUMENTED_CHECKS` lists the checks that raise :class:`~prakerja.InvalidInputError` (nothing is sent),
each with its documentary source: types, required values, the documented ranges of ``sequence``, the TPM
scopes, and header values without control characters. Every other rule here is the contract's inference
(code characters, lengths, a 6-digit OTP, a 16-digit card number, URL and e-mail shapes, price range): a value
outside it is still sent, with an :class:`~prakerja.errors.InputWarning`, because the real API may accept
what the contract does not (a 4-digit OTP, a long token). Turn the warnings into errors in your tests with
``warnings.simplefilter("error", prakerja.errors.InputWarning)``.

Each rule repeats a schema of ``contracts/openapi.yaml`` (named in ``source``); a test holds every rule to
its schema so the contract stays the one definition. Patterns are matched as JSON Schema means them: the
whole value, with no trailing newline. Field order is the order of the documented curl examples, which is
the order of the bytes on the wire.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

import attrs

from prakerja._exceptions import InputWarning, InvalidInputError
from prakerja.models import AttendanceSequence, SsoScope, TpmScope

__all__ = [
    "DOCUMENTED_CHECKS",
    "RULES",
    "AuthorizeRequest",
    "DocumentedCheck",
    "GenerateUrlRequest",
    "PaymentStatusRequest",
    "QuotaRequest",
    "RedeemCodeRequest",
    "RedeemCodeStatusRequest",
    "Rule",
    "SendOtpRequest",
    "SsoLoginQuery",
    "SsoRefreshTokenRequest",
    "SsoTokenRequest",
    "TpmAssignmentRequest",
    "TpmFeedbackRequest",
    "TpmSubmissionStatusRequest",
    "VoidRequest",
    "check_text",
    "scope_text",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


@attrs.frozen
class Rule:
    """A string rule copied from the contract: where it lives there, its pattern and length, how to say it."""

    name: str
    source: str
    pattern: str | None
    says: str
    min_length: int = 1
    max_length: int = 1 << 30
    secret: bool = False
    #: Sent in an HTTP header: control characters are refused (a header cannot carry them).
    header: bool = False
    #: A documented reading the contract's pattern leaves out, accepted without a warning.
    tolerated: str | None = None
    compiled: re.Pattern[str] | None = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "compiled", re.compile(self.pattern) if self.pattern else None)

    def accepts(self, value: str) -> bool:
        """Whether ``value`` satisfies the rule (the whole value matches, as JSON Schema means it)."""
        if self.tolerated is not None and re.fullmatch(self.tolerated, value):
            return True
        if not self.min_length <= len(value) <= self.max_length:
            return False
        return self.compiled is None or self.compiled.fullmatch(value) is not None


@attrs.frozen
class DocumentedCheck:
    """A check that refuses an argument before anything is sent, and where the documentation states it."""

    check: str
    source: str


#: Every check that raises InvalidInputError; docs/sdk.md lists the same, with the same sources.
DOCUMENTED_CHECKS: Final = (
    DocumentedCheck(
        "a required argument is given and is not empty",
        "each operation's field table marks the field required (developer.prakerja.go.id)",
    ),
    DocumentedCheck(
        "text arguments are strings; amount and sequence are integers, not strings or booleans",
        "the field tables' types, and the Generate Signature page: numbers are JSON numbers where the page "
        "says integer",
    ),
    DocumentedCheck(
        "attendance sequence is 1 to 10, or 999 for the post-test",
        "online-course-verification/status page",
    ),
    DocumentedCheck(
        "TPM/UK scope is tpm or uk, and sequence is 1 to 998 (tpm) or 999 (uk)",
        "tpm/submission, tpm/feedback and tpm/status pages",
    ),
    DocumentedCheck(
        "a value sent in a header (client code, payment token, access token) has no control characters",
        "HTTP itself (RFC 9110, section 5.5): a header field value cannot carry them",
    ),
)


_SCHEMAS = "components/schemas"
_NO_CONTROL = r"^[^\x00-\x1F\x7F]"
_CODE_CHARS = "letters, digits or _ . : -"

RULES: Final = {
    rule.name: rule
    for rule in (
        Rule(
            "RedeemCode",
            f"{_SCHEMAS}/RedeemCode",
            r"^[A-Za-z0-9-]{1,64}$",
            "1 to 64 letters, digits or '-'",
            1,
            64,
        ),
        Rule(
            "CourseCode",
            f"{_SCHEMAS}/CourseCode",
            r"^[A-Za-z0-9_.:-]{1,64}$",
            f"1 to 64 {_CODE_CHARS}",
            1,
            64,
        ),
        Rule(
            "ScheduleCode",
            f"{_SCHEMAS}/ScheduleCode",
            r"^[A-Za-z0-9_.:-]{1,64}$",
            f"1 to 64 {_CODE_CHARS}",
            1,
            64,
        ),
        Rule(
            "PrakerjaId",
            f"{_SCHEMAS}/PrakerjaId",
            r"^[0-9]{16}$",
            "the 16 digits of a Kartu Prakerja number",
            16,
            16,
        ),
        Rule(
            "UserPlatformId",
            f"{_SCHEMAS}/UserPlatformId",
            _NO_CONTROL + "{1,64}$",
            "1 to 64 characters, no control characters",
            1,
            64,
        ),
        Rule(
            "Otp",
            f"{_SCHEMAS}/Otp",
            r"^[0-9]{6}$",
            "the 4 or 6 digits of the SMS code",
            6,
            6,
            secret=True,
            # The programme's FAQ speaks of 4- or 6-digit OTPs (ambiguity otp-length).
            tolerated=r"[0-9]{4}",
        ),
        Rule(
            "InvoiceCode",
            f"{_SCHEMAS}/InvoiceCode",
            r"^[A-Za-z0-9_./:-]{1,100}$",
            "1 to 100 letters, digits or _ . / : -",
            1,
            100,
        ),
        Rule(
            "TransactionCode",
            f"{_SCHEMAS}/TransactionCode",
            r"^[A-Za-z0-9-]{1,64}$",
            "1 to 64 letters, digits or '-'",
            1,
            64,
        ),
        Rule(
            "HttpUrl",
            f"{_SCHEMAS}/HttpUrl",
            r"^https?://[^\s]+$",
            "an absolute http(s) URL without spaces",
            8,
            2048,
        ),
        Rule("Email", f"{_SCHEMAS}/Email", r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "an e-mail address", 3, 254),
        Rule(
            "SsoState",
            f"{_SCHEMAS}/SsoState",
            _NO_CONTROL + "{1,128}$",
            "1 to 128 characters, no control characters",
            1,
            128,
        ),
        Rule(
            "SsoScope",
            f"{_SCHEMAS}/SsoScope",
            r"^(name|email|prakerjaid|notelp)( (name|email|prakerjaid|notelp))*$",
            "profile fields among name, email, prakerjaid, notelp, separated by spaces",
            1,
            64,
        ),
        Rule(
            "PaymentToken",
            f"{_SCHEMAS}/SendOtpData/properties/payment_token",
            r"^\S{1,512}$",
            "1 to 512 characters without spaces",
            1,
            512,
            secret=True,
            header=True,
        ),
        Rule(
            "AccessToken",
            "components/parameters/AccessTokenAuthorization/schema",
            r"^(Bearer )?\S{1,1017}$",
            "an access token (optionally after 'Bearer ') without spaces",
            1,
            1024,
            secret=True,
            header=True,
        ),
        Rule(
            "ClientCode",
            "components/parameters/ClientCode/schema",
            r"^[A-Za-z0-9_.-]{1,64}$",
            "1 to 64 letters, digits or _ . -",
            1,
            64,
            header=True,
        ),
        Rule(
            "SsoClientName",
            "paths/~1consent-sso/get/parameters/5/schema",
            _NO_CONTROL + "{1,128}$",
            "1 to 128 characters, no control characters",
            1,
            128,
        ),
        Rule(
            "Notes", f"{_SCHEMAS}/TpmFeedbackRequest/properties/notes", None, "1 to 2000 characters", 1, 2000
        ),
        Rule(
            "SsoCode",
            f"{_SCHEMAS}/SsoTokenRequest/properties/code",
            None,
            "1 to 128 characters",
            1,
            128,
            secret=True,
        ),
        Rule(
            "SsoRefreshToken",
            f"{_SCHEMAS}/SsoRefreshTokenRequest/properties/token",
            None,
            "1 to 512 characters",
            1,
            512,
            secret=True,
        ),
    )
}


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r:.80}"
    return f"{type(value).__name__} {value!r:.80}"


_PACKAGE: Final = str(Path(__file__).resolve().parent)
_CONTROL: Final = re.compile(r"[\x00-\x1F\x7F]")


def warn_caller(message: str) -> None:
    """Issue an :class:`InputWarning` pointing at the first frame outside the SDK (the caller's line)."""
    frame, level = sys._getframe(1), 2  # stacklevel 2 is the frame that called this function
    while frame is not None and (
        frame.f_code.co_filename.startswith(_PACKAGE) or "attrs generated" in frame.f_code.co_filename
    ):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    warnings.warn(message, InputWarning, stacklevel=level)


def check_text(field: str, value: Any, rule: Rule) -> str:
    """``value``, refused only by a documented check (:data:`DOCUMENTED_CHECKS`); outside the contract's
    inferred ``rule`` it is still returned, after an :class:`InputWarning`."""
    if not isinstance(value, str):
        got = type(value).__name__ if rule.secret else _describe(value)
        raise InvalidInputError(field=field, message=f"must be a string ({rule.says}), got {got}")
    if not value:
        raise InvalidInputError(field=field, message=f"must not be empty ({rule.says})")
    if rule.header and _CONTROL.search(value):
        raise InvalidInputError(
            field=field, message=f"{_shown(value, rule)} has a control character, which no header can carry"
        )
    if not rule.accepts(value):
        warn_caller(
            f"{field}: {_shown(value, rule)} is not {rule.says} (the contract's inferred rule, not a documented "
            "one); sent as given"
        )
    return value


def _shown(value: str, rule: Rule) -> str:
    return "the value given" if rule.secret else repr(value) if len(value) <= 80 else f"{value[:77]!r}..."


def _text(schema: str) -> Validator:
    rule = RULES[schema]

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_text(attribute.name, value, rule)

    return validate


def _optional(validator: Validator) -> Validator:
    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    return validate


def _integer(
    low: int, high: int, *, allowed: Iterable[int] | None = None, says: str, documented: bool = True
) -> Validator:
    """An integer check; its range refuses only when ``documented``, else it warns."""
    allowed_set = frozenset(allowed) if allowed is not None else None

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInputError(
                field=attribute.name, message=f"must be an integer ({says}), got {_describe(value)}"
            )
        if not low <= value <= high or (allowed_set is not None and value not in allowed_set):
            if documented:
                raise InvalidInputError(field=attribute.name, message=f"must be {says}, got {value}")
            warn_caller(
                f"{attribute.name}: {value} is not {says} (the contract's inferred rule, not a documented one); "
                "sent as given"
            )

    return validate


def _scope(value: Any) -> Any:
    # Accept the plain strings "tpm" and "uk" as well as the enum; anything else fails in the validator.
    return TpmScope(value) if isinstance(value, str) and value in {"tpm", "uk"} else value


def _check_scope(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, TpmScope):
        raise InvalidInputError(
            field=attribute.name, message=f"must be 'tpm' or 'uk', got {_describe(value)}"
        )


_attendance_sequence = _integer(
    1, 999, allowed=(int(member) for member in AttendanceSequence), says="1 to 10, or 999 for the post-test"
)
_tpm_sequence = _integer(1, 999, says="1 to 998 for scope tpm, 999 for scope uk")
_amount = _integer(1, 100_000_000, says="a price in rupiah from 1 to 100000000", documented=False)


def _field(schema: str) -> Any:
    return attrs.field(validator=_text(schema))


def _number_as_text(value: Any) -> Any:
    # The Authorize page types invoice_code as integer while every example sends a string
    # (ambiguity authorize-invoice-code-type): an integer is sent as its text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _invoice_code() -> Any:
    return attrs.field(converter=_number_as_text, validator=_text("InvoiceCode"))


@attrs.frozen(kw_only=True)
class SendOtpRequest:
    user_platform_id: str = _field("UserPlatformId")
    prakerja_id: str = _field("PrakerjaId")
    course_code: str = _field("CourseCode")
    schedule_code: str = _field("ScheduleCode")
    amount: int = attrs.field(validator=_amount)


@attrs.frozen(kw_only=True)
class AuthorizeRequest:
    otp: str = _field("Otp")
    invoice_url: str = _field("HttpUrl")
    invoice_code: str = _invoice_code()


@attrs.frozen(kw_only=True)
class PaymentStatusRequest:
    invoice_code: str = _invoice_code()


@attrs.frozen(kw_only=True)
class QuotaRequest:
    schedule_code: str = _field("ScheduleCode")
    course_code: str = _field("CourseCode")


@attrs.frozen(kw_only=True)
class VoidRequest:
    invoice_code: str = _invoice_code()
    transaction_code: str = _field("TransactionCode")


@attrs.frozen(kw_only=True)
class GenerateUrlRequest:
    redeem_code: str = _field("RedeemCode")
    redirect_uri: str = _field("HttpUrl")
    email: str = _field("Email")
    sequence: int | None = attrs.field(default=None, validator=_optional(_attendance_sequence))


@attrs.frozen(kw_only=True)
class RedeemCodeStatusRequest:
    redeem_code: str = _field("RedeemCode")
    sequence: int | None = attrs.field(default=None, validator=_optional(_attendance_sequence))


@attrs.frozen(kw_only=True)
class RedeemCodeRequest:
    """Reset and the legacy commit: only the redeem code."""

    redeem_code: str = _field("RedeemCode")


@attrs.frozen(kw_only=True)
class TpmAssignmentRequest:
    redeem_code: str = _field("RedeemCode")
    scope: TpmScope = attrs.field(converter=_scope, validator=_check_scope)
    sequence: int = attrs.field(validator=_tpm_sequence)
    url_file: str = _field("HttpUrl")


@attrs.frozen(kw_only=True)
class TpmFeedbackRequest:
    redeem_code: str = _field("RedeemCode")
    scope: TpmScope = attrs.field(converter=_scope, validator=_check_scope)
    sequence: int = attrs.field(validator=_tpm_sequence)
    notes: str = _field("Notes")
    url_file: str | None = attrs.field(default=None, validator=_optional(_text("HttpUrl")))


@attrs.frozen(kw_only=True)
class TpmSubmissionStatusRequest:
    redeem_code: str = _field("RedeemCode")
    scope: TpmScope = attrs.field(converter=_scope, validator=_check_scope)
    sequence: int = attrs.field(validator=_tpm_sequence)


@attrs.frozen(kw_only=True)
class SsoTokenRequest:
    code: str = _field("SsoCode")


@attrs.frozen(kw_only=True)
class SsoRefreshTokenRequest:
    token: str = _field("SsoRefreshToken")


@attrs.frozen(kw_only=True)
class SsoLoginQuery:
    """The query of the login URL, in the documented order."""

    state: str = _field("SsoState")
    scope: str = _field("SsoScope")
    client_id: str
    redirect_uri: str = _field("HttpUrl")
    login_uri: str = _field("HttpUrl")


def scope_text(scope: str | Iterable[str | SsoScope]) -> str:
    """The space-separated scope string for ``scope`` (a string, or SsoScope members / names)."""
    if isinstance(scope, str):
        return check_text("scope", scope, RULES["SsoScope"])
    parts = [
        str(SsoScope(item)) if isinstance(item, str) and item in SsoScope._value2member_map_ else item
        for item in scope
    ]
    if not parts or not all(isinstance(part, str) for part in parts):
        raise InvalidInputError(
            field="scope", message="must name at least one of name, email, prakerjaid, notelp"
        )
    return check_text("scope", " ".join(str(part) for part in parts), RULES["SsoScope"])
