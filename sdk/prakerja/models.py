"""What the API answers, as frozen attrs classes, and the enumerations of the contract.

Models know nothing of JSON: :mod:`prakerja._converter` reads response bodies into them, tolerantly. Fields
follow the contract's names; a field a response carries that the contract does not know lands in ``extra``
instead of failing, so a Prakerja release that adds fields does not break a partner. Every answer model also
carries ``decode_warnings`` (what did not fit the contract; a field named there is ``None`` when it was
missing, null or unreadable) and ``raw_data`` (the ``data`` object as received). Enumerations are open: a
value the SDK does not know is kept as a member named ``UNKNOWN`` whose ``known`` is false and whose
``value`` is the raw value. Tokens show only their first characters in ``repr``.

Names follow one rule: the suffixes ``Status`` and ``State`` name enumerations only; a model is named for the
record it is (``RedeemCodeRecord.status`` is a ``RedeemCodeState``). Older names of renamed models still import,
with a ``DeprecationWarning``, until the release :mod:`prakerja._renamed` names.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum, IntEnum, StrEnum
from typing import TYPE_CHECKING, Any, Final, Self

import attrs

from prakerja._frozen import FrozenDict, Mode, freeze, to_builtins
from prakerja._logging import mask

__all__ = [
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
]

#: The only ``sequence`` of scope ``uk`` (Unjuk Keterampilan); scope ``tpm`` takes 1..998.
UK_SEQUENCE: Final = 999


def _secret_repr(value: str | None) -> str:
    # None when the answer lacked the token (the tolerant reader says so in decode_warnings)
    return "None" if value is None else repr(mask(value))


def _extra() -> Any:
    # frozen, so a model with extra fields still hashes
    return attrs.field(factory=FrozenDict, converter=freeze, kw_only=True)


class _Data:
    """``to_dict`` and ``to_json`` for the models."""

    def to_dict(self, mode: Mode = "python") -> dict[str, Any]:
        """The model's fields as plain data (``extra`` included; warnings and the raw payload left out).

        ``mode="json"`` gives JSON-ready values: datetimes as ISO 8601 text, enums as their values, tuples as
        lists.
        """
        result: dict[str, Any] = to_builtins(self, mode)
        return result

    def to_json(self, *, indent: int | None = None) -> str:
        """The model as JSON text (``to_dict(mode="json")``)."""
        return json.dumps(self.to_dict(mode="json"), ensure_ascii=False, indent=indent)


_UNKNOWN_MEMBERS: dict[tuple[type[Enum], Any], Any] = {}


def _unknown_member(cls: type[Any], value: Any) -> Any:
    """The ``UNKNOWN`` pseudo-member of ``cls`` for ``value`` (one object per value; pickles by value)."""
    key = (cls, value)
    member = _UNKNOWN_MEMBERS.get(key)
    if member is None:
        member = cls._member_type_.__new__(cls, value)
        member._name_ = "UNKNOWN"
        member._value_ = value
        member = _UNKNOWN_MEMBERS.setdefault(key, member)
    return member


class OpenEnum:
    """A mix-in for the enumerations of answers: values Prakerja may add are kept, not refused.

    ``Cls.unknown(value)`` is a pseudo-member named ``UNKNOWN`` carrying ``value``; ``member.known`` tells a
    member of the contract from it. ``Cls(value)`` still refuses a value that is not a member.
    """

    _value_: Any

    @classmethod
    def unknown(cls, value: Any) -> Self:
        """The pseudo-member for a ``value`` the SDK does not know (the value itself when it is a member)."""
        known = cls._value2member_map_.get(value)  # type: ignore[attr-defined]
        return known if known is not None else _unknown_member(cls, value)  # type: ignore[no-any-return]

    @property
    def known(self) -> bool:
        """Whether this is a member of the contract, not a value the SDK does not know."""
        return type(self)._value2member_map_.get(self._value_) is self  # type: ignore[attr-defined]

    def __reduce_ex__(self, protocol: Any) -> Any:
        if self.known:
            return type(self), (self._value_,)
        return _unknown_member, (type(self), self._value_)


@attrs.frozen(kw_only=True, str=False)
class DecodeWarning:
    """Something in an answer that did not fit the contract: where (``data.amount``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@attrs.frozen(kw_only=True)
class Answer(_Data):
    """What every answer model carries besides the contract's fields (left out of equality and ``repr``)."""

    decode_warnings: tuple[DecodeWarning, ...] = attrs.field(default=(), eq=False, repr=False)
    raw_data: Any = attrs.field(default=None, eq=False, repr=False)


class AttendanceSequence(OpenEnum, IntEnum):
    """An attendance stage: ``SESSION_1`` is the redeem (first session), 2..10 later sessions, 999 the
    post-test."""

    SESSION_1 = 1
    SESSION_2 = 2
    SESSION_3 = 3
    SESSION_4 = 4
    SESSION_5 = 5
    SESSION_6 = 6
    SESSION_7 = 7
    SESSION_8 = 8
    SESSION_9 = 9
    SESSION_10 = 10
    POST_TEST = 999


class TpmScope(OpenEnum, StrEnum):
    """The kind of a graded task: TPM (Tugas Praktik Mandiri, practice task, sequence 1..998) or UK (Unjuk
    Keterampilan, the final skills demonstration, sequence 999)."""

    TPM = "tpm"
    UK = "uk"


class SubmissionStatus(OpenEnum, IntEnum):
    """State of a TPM/UK assignment or of the LP's feedback on it."""

    NOT_SUBMITTED = 0
    PENDING = 1
    SUCCESS = 2
    FAILED = 3


class PaymentStatus(OpenEnum, StrEnum):
    """State of a purchase: paid, or cancelled with Void."""

    SUCCESS = "SUCCESS"
    VOID = "VOID"


class RedeemCodeState(OpenEnum, IntEnum):
    """State of a redeem code."""

    UNUSED = 0
    REDEEMED = 1
    CANCELLED = 2


class AttendanceState(OpenEnum, IntEnum):
    """Attendance of one sequence."""

    NOT_ATTENDED = 0
    ATTENDED = 1
    FAILED = 2


class CourseType(OpenEnum, IntEnum):
    """Self-paced (Pembelajaran Mandiri), webinar, or offline (Luring)."""

    SELF_PACED = 1
    WEBINAR = 2
    OFFLINE = 3


class LearningMethod(OpenEnum, StrEnum):
    """Whether the course is delivered online or offline."""

    ONLINE = "online"
    OFFLINE = "offline"


class SsoScope(StrEnum):
    """A profile field a "Login with Prakerja" user shares."""

    NAME = "name"
    EMAIL = "email"
    PRAKERJA_ID = "prakerjaid"
    PHONE = "notelp"


class ReconcileOutcome(StrEnum):
    """What :meth:`payments.reconcile` found for an invoice."""

    PAID = "paid"
    NOT_PAID = "not_paid"
    VOIDED = "voided"


@attrs.frozen(kw_only=True)
class OtpSent(Answer):
    """Send OTP's answer: the participant got an SMS; authorize with ``payment_token`` and their OTP."""

    payment_token: str = attrs.field(repr=_secret_repr)
    otp_expires_at: datetime | None = None
    token_expires_at: datetime | None = None
    otp_sent_to: str | None = None
    amount: int | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class PaymentAuthorized(Answer):
    """Authorize's answer: the purchase is paid. Keep ``transaction_code`` for Void."""

    invoice_code: str
    transaction_code: str
    amount: int
    status: PaymentStatus
    prakerja_name: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class PaymentRecord(Answer):
    """A purchase as payment status reports it."""

    created_at: datetime
    invoice_code: str
    transaction_code: str
    amount: int
    status: PaymentStatus
    prakerja_name: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class PaymentReconciliation(_Data):
    """The outcome of an invoice whose authorize answer was lost; ``payment`` is ``None`` when not paid."""

    invoice_code: str
    outcome: ReconcileOutcome
    payment: PaymentRecord | None = None

    @property
    def paid(self) -> bool:
        """Whether the participant's balance was charged and the purchase stands."""
        return self.outcome is ReconcileOutcome.PAID


@attrs.frozen(kw_only=True)
class PaymentVoided(Answer):
    """A void that Prakerja accepted, with the purchase as read back after it.

    Prakerja's answer to a void carries no ``data``, so the SDK reads payment status once more after it.
    ``payment`` is that record (its ``status`` is ``VOID``), or ``None`` when the void was called with
    ``read_back=False`` or the read-back failed: the void stands either way, and a failed read-back is named
    in ``decode_warnings``.
    """

    invoice_code: str
    transaction_code: str
    payment: PaymentRecord | None = None
    extra: Mapping[str, Any] = _extra()

    @property
    def voided(self) -> bool:
        """Whether the record read back says ``VOID`` (false when nothing was read back)."""
        return self.payment is not None and self.payment.status is PaymentStatus.VOID


@attrs.frozen(kw_only=True)
class Quota(Answer):
    """Seats left on a course schedule."""

    schedule_code: str
    course_code: str
    quota: int
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class CourseInfo(Answer):
    """The type and delivery of a course."""

    type: CourseType
    learning_method: LearningMethod
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class AttendanceUrl(Answer):
    """Where to send the participant to verify attendance; Prakerja echoes ``state`` on the redirect."""

    url: str
    state: str | None = None
    course: CourseInfo | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class RedeemCodeRecord(Answer):
    """A redeem code and the attendance of one sequence (status, reset and the legacy commit)."""

    redeem_code: str
    course_code: str
    invoice_code: str
    schedule_code: str
    status: RedeemCodeState
    attendance_status: AttendanceState
    redeem_at: datetime | None
    dp_platform: str
    schedule_start_end: str | None = None
    course_type: CourseType | None = None
    course_type_label: str | None = None
    course_learning_method: LearningMethod | None = None
    is_online_attendance: bool | None = None
    sequence: AttendanceSequence | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class AssignmentSubmission(Answer):
    """A participant's TPM/UK assignment as Prakerja recorded it."""

    id: int
    redeem_code: str
    scope: TpmScope
    sequence: int
    status: SubmissionStatus
    url_file: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class FeedbackSubmission(Answer):
    """The LP's feedback on an assignment as Prakerja recorded it."""

    id: int
    redeem_code: str
    scope: TpmScope
    sequence: int
    status: SubmissionStatus
    url_file: str | None
    notes: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class SubmissionRecord(Answer):
    """The state of one side (assignment or feedback) of a TPM/UK task."""

    redeem_code: str
    scope: TpmScope
    sequence: int
    status: SubmissionStatus
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class TpmSubmissions(Answer):
    """Both sides of a TPM/UK task."""

    assignment: SubmissionRecord
    feedback: SubmissionRecord
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class LoginUrl(Answer):
    """Where to send the user to log in with Prakerja."""

    redirect_url: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen(kw_only=True)
class Token(Answer):
    """SSO tokens. ``expires_in`` is, as documented, the access token's expiry in Unix seconds (a string)."""

    access_token: str = attrs.field(repr=_secret_repr)
    refresh_token: str = attrs.field(repr=_secret_repr)
    expires_in: str
    scope: str
    token_type: str
    extra: Mapping[str, Any] = _extra()

    @property
    def expires_at(self) -> datetime | None:
        """When the access token expires (UTC), read from ``expires_in``.

        ``None`` when the answer had no ``expires_in`` or one that is not whole Unix seconds (see
        ``decode_warnings``); the tokens themselves are still good to use.
        """
        value: object = self.expires_in  # the tolerant reader may have left None or a number here
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            return None
        try:
            return datetime.fromtimestamp(int(value), tz=UTC)
        except (ValueError, OverflowError, OSError):
            return None


@attrs.frozen(kw_only=True)
class Profile(Answer):
    """A Prakerja account's profile; fields outside the granted scope may be empty."""

    dp_user_id: str
    email: str
    name: str
    no_prakerja: str
    phone_number: str
    user_id: str
    extra: Mapping[str, Any] = _extra()


if TYPE_CHECKING:
    # To a type checker each old name is a plain alias of the new class, so old code, annotations included,
    # still type-checks. PEP 702 cannot mark an alias deprecated, and a deprecated subclass would make
    # `def f() -> RedeemCodeStatus: return client.attendance.status(...)` an error. At run time the old name
    # is served by __getattr__ below, with a DeprecationWarning. The table is prakerja._renamed.RENAMED.
    RedeemCodeStatus = RedeemCodeRecord
    SubmissionState = SubmissionRecord
    TpmSubmissionStatus = TpmSubmissions

else:

    def __getattr__(name: str) -> Any:
        from prakerja._renamed import resolve  # loaded only when an old name is used

        return resolve(__name__, name)
