"""TPM and UK, for training institutions (LP): assignments, feedback and their status.

TPM (Tugas Praktik Mandiri) are practice tasks, ``scope="tpm"`` with ``sequence`` 1..998; UK (Unjuk
Keterampilan) is the final skills demonstration, ``scope="uk"`` with ``sequence`` 999. Prakerja refuses a
scope and sequence that do not pair with :class:`~prakerja.errors.ScopeSequenceMismatchError`.
Submissions are never retried by the SDK; read :meth:`Tpm.submission_status` to learn whether a submission
whose answer was lost arrived.
"""

from __future__ import annotations

from typing import Literal

from prakerja._core import Call, CallContext, decoder, post_call
from prakerja._requests import TpmAssignmentRequest, TpmFeedbackRequest, TpmSubmissionStatusRequest
from prakerja.models import AssignmentSubmission, FeedbackSubmission, TpmScope, TpmSubmissionStatus
from prakerja.resources._base import (
    AsyncResource,
    RawAsyncResource,
    RawSyncResource,
    SyncResource,
    async_operation,
    operation,
)

__all__ = ["AsyncTpm", "AsyncTpmWithRawResponse", "Tpm", "TpmWithRawResponse"]

Scope = TpmScope | Literal["tpm", "uk"]


def _submit_assignment(
    context: CallContext, redeem_code: str, *, scope: Scope, sequence: int, url_file: str
) -> Call[AssignmentSubmission]:
    """Report the participant's submitted task: one public file URL per submission."""
    body = TpmAssignmentRequest(redeem_code=redeem_code, scope=scope, sequence=sequence, url_file=url_file)
    return post_call("tpm.submit_assignment", body, decoder(AssignmentSubmission))


def _submit_feedback(
    context: CallContext,
    redeem_code: str,
    *,
    scope: Scope,
    sequence: int,
    notes: str,
    url_file: str | None = None,
) -> Call[FeedbackSubmission]:
    """Send the LP's grading notes (1-2000 characters) on a submitted task, with an optional file URL."""
    body = TpmFeedbackRequest(
        redeem_code=redeem_code, scope=scope, sequence=sequence, notes=notes, url_file=url_file
    )
    return post_call("tpm.submit_feedback", body, decoder(FeedbackSubmission))


def _submission_status(
    context: CallContext, redeem_code: str, *, scope: Scope, sequence: int
) -> Call[TpmSubmissionStatus]:
    """The state of the participant's assignment and of the LP's feedback for one task."""
    body = TpmSubmissionStatusRequest(redeem_code=redeem_code, scope=scope, sequence=sequence)
    needs = ["assignment.status", "feedback.status"]
    return post_call("tpm.submission_status", body, decoder(TpmSubmissionStatus, needs=needs))


class Tpm(SyncResource):
    """TPM/UK assignments and feedback, for training institutions (LP)."""

    submit_assignment = operation(_submit_assignment)
    submit_feedback = operation(_submit_feedback)
    submission_status = operation(_submission_status)

    @property
    def with_raw_response(self) -> TpmWithRawResponse:
        """The same operations, each returning a :class:`~prakerja.RawResponse` (status, headers, request id)."""
        return TpmWithRawResponse(self._send_raw, self._context)


class AsyncTpm(AsyncResource):
    """TPM/UK assignments and feedback, for training institutions (LP)."""

    submit_assignment = async_operation(_submit_assignment)
    submit_feedback = async_operation(_submit_feedback)
    submission_status = async_operation(_submission_status)

    @property
    def with_raw_response(self) -> AsyncTpmWithRawResponse:
        """The same operations, each returning a :class:`~prakerja.RawResponse` (status, headers, request id)."""
        return AsyncTpmWithRawResponse(self._send_raw, self._context)


class TpmWithRawResponse(RawSyncResource):
    """TPM/UK assignments and feedback, for training institutions (LP): each method returns a :class:`~prakerja.RawResponse` of its result."""

    submit_assignment = operation(_submit_assignment)
    submit_feedback = operation(_submit_feedback)
    submission_status = operation(_submission_status)


class AsyncTpmWithRawResponse(RawAsyncResource):
    """TPM/UK assignments and feedback, for training institutions (LP): each method returns a coroutine of a :class:`~prakerja.RawResponse`."""

    submit_assignment = async_operation(_submit_assignment)
    submit_feedback = async_operation(_submit_feedback)
    submission_status = async_operation(_submission_status)
