"""The attendance verification page (``/oauth/verification?state=...``).

GET shows the open verification with two buttons; POST records the chosen outcome and redirects the browser
to the LP's ``redirect_uri``. A state that is missing, unknown, expired or used gets an HTML error page with
status 400.
"""

from __future__ import annotations

import flask
from werkzeug.wrappers import Response

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.domain.attendance import VERIFICATION_PATH
from prakerja_sandbox.domain.verification import VerificationClosed, complete, pending
from prakerja_sandbox.pages.common import HTML_HEADERS, render_page

__all__ = ["register"]

_OUTCOMES = ("verified", "failed")

#: (Indonesian title, English title, Indonesian text, English text) of each reason a verification is closed.
_CLOSED_TEXT = {
    "missing": (
        "Tautan verifikasi tidak lengkap",
        "Incomplete verification link",
        "Tautan ini tidak membawa parameter state. Buka tautan dari lembaga pelatihan Anda.",
        "The link carries no state parameter. Open the link your training institution gave you.",
    ),
    "unknown": (
        "Tautan verifikasi tidak dikenal",
        "Unknown verification link",
        "Tautan ini tidak dikenal. Minta tautan baru ke lembaga pelatihan Anda.",
        "This link is not known. Ask your training institution for a new one.",
    ),
    "expired": (
        "Tautan verifikasi sudah kedaluwarsa",
        "Verification link expired",
        "Tautan ini sudah kedaluwarsa. Minta tautan baru ke lembaga pelatihan Anda.",
        "This link has expired. Ask your training institution for a new one.",
    ),
    "used": (
        "Tautan verifikasi sudah digunakan",
        "Verification link already used",
        "Verifikasi ini sudah selesai. Setiap tautan hanya dapat digunakan sekali.",
        "This verification is finished. Each link works once.",
    ),
    "refused": (
        "Verifikasi tidak dapat dilanjutkan",
        "Verification cannot continue",
        "Kode redeem tidak dapat diverifikasi untuk tahap ini.",
        "The redeem code cannot be verified for this stage.",
    ),
    "invalid": (
        "Pilihan tidak valid",
        "Invalid choice",
        "Pilih salah satu tombol pada halaman verifikasi.",
        "Choose one of the buttons of the verification page.",
    ),
}


def _closed(reason: str, *, code: str | None = None) -> flask.Response:
    title_id, title_en, text_id, text_en = _CLOSED_TEXT[reason]
    message = None
    if code is not None:
        message = current_sandbox().contract.error(code).message_id
        flask.g.error_code = code
    return render_page(
        "error.html",
        status=400,
        title_id=title_id,
        title_en=title_en,
        text_id=text_id,
        text_en=text_en,
        code=code,
        code_message=message,
    )


def show() -> flask.Response:
    """The verification page of ``?state=``."""
    state = flask.request.args.get("state", "").strip()
    if not state:
        return _closed("missing")
    try:
        verification = pending(current_sandbox().domain(), state)
    except VerificationClosed as closed:
        return _closed(closed.reason, code=closed.code)
    return render_page("verification.html", verification=verification)


def submit() -> Response:
    """Record the button pressed and send the browser back to the training institution."""
    form = flask.request.form
    state = (form.get("state") or flask.request.args.get("state") or "").strip()
    outcome = form.get("outcome", "")
    if not state:
        return _closed("missing")
    if outcome not in _OUTCOMES:
        return _closed("invalid")
    try:
        target = complete(
            current_sandbox().domain(), state, "verified" if outcome == "verified" else "failed"
        )
    except VerificationClosed as closed:
        return _closed(closed.reason, code=closed.code)
    response = flask.redirect(target, code=302)
    response.headers.update(HTML_HEADERS)
    return response


def register(bp: flask.Blueprint) -> None:
    """Add the verification page to ``bp``."""
    bp.add_url_rule(VERIFICATION_PATH, "verification", show, methods=["GET"])
    bp.add_url_rule(VERIFICATION_PATH, "verification_submit", submit, methods=["POST"])
