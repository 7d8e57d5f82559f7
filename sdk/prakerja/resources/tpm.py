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
from prakerja.models import AssignmentSubmission, FeedbackSubmission, TpmScope, TpmSubmissions

__all__ = ["Scope"]

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
) -> Call[TpmSubmissions]:
    """The state of the participant's assignment and of the LP's feedback for one task."""
    body = TpmSubmissionStatusRequest(redeem_code=redeem_code, scope=scope, sequence=sequence)
    needs = ["assignment.status", "feedback.status"]
    return post_call("tpm.submission_status", body, decoder(TpmSubmissions, needs=needs))
