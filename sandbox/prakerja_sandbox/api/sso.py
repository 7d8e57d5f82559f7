"""The SSO operations ("Login with Prakerja") a training institution calls (routes over ``domain/sso.py``).

They answer the SSO envelope: ``{"success": true, "message": "no error", "errorCode": "0", "data": ...}``.
"""

from __future__ import annotations

import flask

from prakerja_sandbox.api.common import Alternate, Call, Reply, sso_operation
from prakerja_sandbox.domain import sso
from prakerja_sandbox.pages.common import public_base_url

__all__ = ["bp"]

bp = flask.Blueprint("sso", __name__)


@bp.get("/api/v1/oauth/authorize")
@sso_operation("sso.login_url", signature_required=True)
def login_url(call: Call) -> Reply:
    """The Prakerja login page URL for this LP."""
    return Reply(
        sso.login_url(
            call.ctx, client=call.partner, params=call.query, base_url=public_base_url(call.sandbox)
        )
    )


def _refresh(call: Call) -> Reply:
    return Reply(sso.refresh_token(call.ctx, client=call.partner, token=call.body["token"]))


#: the Refresh Token page's curl posts `{"token": ...}` to Create Token's URL (ambiguity refresh-token-path)
_REFRESH_ON_TOKEN_PATH = Alternate(
    field="token", unless="code", operation_id="sso.refresh_token", view=_refresh, warning="SBXW006"
)


@bp.post("/api/v1/oauth/token")
@sso_operation("sso.create_token", signature_required=False, form_body=True, alternate=_REFRESH_ON_TOKEN_PATH)
def create_token(call: Call) -> Reply:
    """Exchange the login code for tokens (a body with ``token`` instead is a refresh, with a warning)."""
    return Reply(sso.create_token(call.ctx, client=call.partner, code=call.body["code"]))


@bp.post("/api/v1/oauth/token/refresh")
@sso_operation("sso.refresh_token", signature_required=False, form_body=True)
def refresh_token(call: Call) -> Reply:
    """New tokens for a refresh token."""
    return _refresh(call)


@bp.get("/api/v1/resource/user_profile")
@sso_operation("sso.profile", signature_required=False)
def profile(call: Call) -> Reply:
    """The signed-in participant's Prakerja account."""
    return Reply(sso.profile(call.ctx, client=call.partner, authorization=call.headers.get("Authorization")))
