"""A tiny attendance handler of a training institution (Lembaga Pelatihan, LP).

A participant enters their redeem code on the LP's site; the LP asks Prakerja for a verification page
(Generate URL) and sends the browser there. Prakerja verifies the participant and sends the browser back to
the LP's callback with ``state``, ``redeem_code``, ``sequence`` and ``status``; the LP confirms with
redeem-code Status before recording the attendance, because a callback URL can be forged.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import attrs
import flask
from flask.typing import ResponseReturnValue

import prakerja

#: What the participant reads when Prakerja refuses a redeem code.
PARTICIPANT_MESSAGES = {
    "ERRRDM40001": "Kode redeem tidak ditemukan. Periksa kembali kodenya.",
    "ERRRDM40002": "Kode redeem ini bukan untuk pelatihan di lembaga kami.",
    "ERRRDM40003": "Pelatihan luring tidak memakai verifikasi daring.",
    "ERRRDM40004": "Kode redeem sudah dibatalkan.",
    "ERRRDM40005": "Kehadiran sesi ini sudah tercatat.",
    "ERRRDM40006": "Kode redeem hanya dapat dipakai 1 jam sebelum sampai 1 jam setelah pelatihan dimulai.",
    "ERRRDM40007": "Selesaikan sesi sebelumnya terlebih dahulu.",
    "ERRRDM40008": "Sesi ini tidak ada dalam pelatihan.",
    "ERRRDM40011": "E-mail ini sudah dipakai kode redeem lain untuk pelatihan yang sama.",
}
SOMETHING_WRONG = "Verifikasi belum dapat dimulai. Coba lagi beberapa saat lagi."


@attrs.frozen
class Outcome:
    """What the desk tells the participant, and whether the attendance is now recorded."""

    recorded: bool
    message: str


@attrs.frozen
class _Pending:
    redeem_code: str
    sequence: int


class AttendanceDesk:
    """Starts verifications and records attendance confirmed by Prakerja."""

    def __init__(self, client: prakerja.PrakerjaClient, *, callback_url: str) -> None:
        self.client = client
        self.callback_url = callback_url
        self.pending: dict[str, _Pending] = {}
        self.attended: dict[str, set[int]] = {}

    def start(self, redeem_code: str, *, email: str, sequence: int = 1) -> str | Outcome:
        """The verification page to send the browser to, or why Prakerja refused."""
        try:
            page = self.client.attendance.generate_url(
                redeem_code, redirect_uri=self.callback_url, email=email, sequence=sequence
            )
        except prakerja.PrakerjaAPIError as error:
            return Outcome(recorded=False, message=PARTICIPANT_MESSAGES.get(error.code, SOMETHING_WRONG))
        self.pending[page.state or secrets.token_urlsafe(8)] = _Pending(redeem_code, sequence)
        return page.url

    def callback(self, query: Mapping[str, str]) -> Outcome:
        """Handle the browser coming back from Prakerja; only a confirmed attendance is recorded."""
        pending = self.pending.pop(query.get("state", ""), None)
        if pending is None or query.get("redeem_code") != pending.redeem_code:
            return Outcome(
                recorded=False, message="Sesi verifikasi tidak dikenal. Mulai lagi dari halaman kelas."
            )
        if query.get("status") != "verified":
            return Outcome(recorded=False, message="Verifikasi gagal. Silakan coba lagi.")
        status = self.client.attendance.status(pending.redeem_code, sequence=pending.sequence)
        if status.attendance_status is not prakerja.AttendanceState.ATTENDED:
            return Outcome(recorded=False, message="Prakerja belum mencatat kehadiranmu. Silakan coba lagi.")
        self.attended.setdefault(pending.redeem_code, set()).add(pending.sequence)
        return Outcome(recorded=True, message=f"Kehadiran sesi {pending.sequence} tercatat. Selamat belajar!")


def make_app(desk: AttendanceDesk) -> flask.Flask:
    """The two pages of the desk: start a verification, and Prakerja's callback."""
    app = flask.Flask(__name__)

    @app.post("/prakerja/attendance/start")
    def start() -> ResponseReturnValue:
        form = flask.request.form
        result = desk.start(form["redeem_code"], email=form["email"], sequence=int(form.get("sequence", 1)))
        if isinstance(result, Outcome):
            return result.message, 400
        return flask.redirect(result, code=302)

    @app.get("/prakerja/attendance/callback")
    def callback() -> ResponseReturnValue:
        outcome = desk.callback(flask.request.args)
        return outcome.message, 200 if outcome.recorded else 400

    return app
