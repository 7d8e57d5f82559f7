"""The SSO login and consent page (``/consent-sso?scope&state&redirect_uri&login_uri&client_id&client_name``).

GET checks the query like the login URL operation does and shows a sign-in form: the participant types their
Kartu Prakerja number or e-mail and allows ("Izinkan") or refuses ("Tolak"). POST (to the same URL) sends the
browser to ``redirect_uri?code=..&state=..`` or ``login_uri?error=access_denied&state=..``. A bad query never
redirects: it gets an HTML error page naming its catalogue code (status 400), so an unregistered URI cannot be
used as an open redirect.
"""

from __future__ import annotations

import re
from typing import Any

import flask
from werkzeug.wrappers import Response

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.domain import sso
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.pages.common import HTML_HEADERS, public_base_url, render_page

__all__ = ["register"]

_OPERATION = "sso.consent_page"
#: Indonesian and English names of the profile fields of each scope value.
_SCOPE_LABELS = {
    "name": ("Nama lengkap", "Full name"),
    "email": ("Alamat e-mail", "E-mail address"),
    "prakerjaid": ("Nomor Kartu Prakerja", "Kartu Prakerja number"),
    "notelp": ("Nomor telepon", "Phone number"),
}
_EXAMPLES = 5


def _refused(error: ApiError) -> flask.Response:
    flask.g.error_code = error.code
    entry = current_sandbox().contract.error(error.code)
    return render_page(
        "error.html",
        status=entry.http_status,
        title_id="Permintaan masuk tidak valid",
        title_en="Invalid sign-in request",
        text_id="Lembaga pelatihan mengirim permintaan yang tidak dapat diproses.",
        text_en=f"The training institution sent a request that cannot be processed: {entry.message_en}",
        code=error.code,
        code_message=error.detail,
    )


# The contract's pattern for client_name.
_CLIENT_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,128}")


def _login_request() -> sso.LoginRequest:
    params = flask.request.args.to_dict(flat=True)
    client_name = params.get("client_name", "")
    if not client_name.strip():
        raise ApiError("ERROAUTH4038", field="client_name", detail="query parameter client_name is required")
    if not _CLIENT_NAME.fullmatch(client_name):
        raise ApiError(
            "ERROAUTH4038",
            field="client_name",
            detail="client_name is 1-128 characters, no control characters",
        )
    with current_sandbox().store.read() as tx:
        return sso.check_login(tx, params, base_url=public_base_url(current_sandbox()))


def _examples() -> list[dict[str, Any]]:
    with current_sandbox().store.read() as tx:
        return tx.all(
            "SELECT prakerja_id, name, email FROM participants WHERE status = 'active' AND magic_step IS NULL "
            "ORDER BY prakerja_id LIMIT ?",
            (_EXAMPLES,),
        )


def _form(
    request: sso.LoginRequest, *, status: int = 200, problem: str | None = None, identifier: str = ""
) -> flask.Response:
    return render_page(
        "consent.html",
        status=status,
        client_name=request.client.sso_client_name,
        scopes=[_SCOPE_LABELS[value] for value in dict.fromkeys(request.scopes)],
        examples=_examples(),
        problem=problem,
        identifier=identifier,
    )


def _redirect(target: str) -> Response:
    response = flask.redirect(target, code=302)
    response.headers.update(HTML_HEADERS)
    return response


def show() -> flask.Response:
    """The sign-in and consent form."""
    flask.g.operation_id = _OPERATION
    try:
        request = _login_request()
    except ApiError as error:
        return _refused(error)
    return _form(request)


def submit() -> Response:
    """Allow or refuse, then back to the training institution."""
    flask.g.operation_id = _OPERATION
    try:
        request = _login_request()
    except ApiError as error:
        return _refused(error)
    form = flask.request.form
    decision = form.get("decision", "")
    if decision == "deny":
        return _redirect(sso.deny(request))
    identifier = form.get("identifier", "").strip()
    if decision != "allow":
        return _form(request, status=400, problem="Pilih Izinkan atau Tolak.", identifier=identifier)
    if not identifier:
        return _form(
            request, status=400, problem="Isi nomor Kartu Prakerja atau e-mail Anda.", identifier=identifier
        )
    with current_sandbox().store.read() as tx:
        participant = sso.find_participant(tx, identifier)
    if participant is None:
        return _form(
            request,
            status=400,
            problem="Nomor Kartu Prakerja atau e-mail tidak terdaftar.",
            identifier=identifier,
        )
    return _redirect(sso.approve(current_sandbox().domain(), request, participant))


def register(bp: flask.Blueprint) -> None:
    """Add the consent page to ``bp``."""
    bp.add_url_rule(sso.CONSENT_PATH, "consent", show, methods=["GET"])
    bp.add_url_rule(sso.CONSENT_PATH, "consent_submit", submit, methods=["POST"])
