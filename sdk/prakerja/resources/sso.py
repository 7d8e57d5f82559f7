"""'Login with Prakerja' (SSO), for training institutions (LP).

Send the user to :meth:`Sso.login_url` (asked of Prakerja, signed) or to :meth:`Sso.consent_url` (built
locally). Prakerja returns the browser to ``redirect_uri?code=..&state=..``; exchange the code with
:meth:`Sso.create_token`, read the account with :meth:`Sso.profile`, and renew with
:meth:`Sso.refresh_token`. SSO calls are signed with the X-Client-Id, X-Signature and X-Timestamp headers,
with the same client code and sign key as integration calls.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from prakerja._core import Call, CallContext, decoder, encode_query, get_call, post_call
from prakerja._operations import OPERATIONS
from prakerja._requests import (
    RULES,
    SsoLoginQuery,
    SsoRefreshTokenRequest,
    SsoTokenRequest,
    check_text,
    scope_text,
)
from prakerja.models import LoginUrl, Profile, SsoScope, Token

__all__ = ["ALL_SCOPES", "ConsentUrl", "ScopeArgument"]

#: Every profile field, the default scope.
ALL_SCOPES: Final = (SsoScope.NAME, SsoScope.EMAIL, SsoScope.PRAKERJA_ID, SsoScope.PHONE)

ScopeArgument = str | Iterable[SsoScope | str]


def _login_url(
    context: CallContext,
    *,
    state: str,
    redirect_uri: str,
    login_uri: str,
    scope: ScopeArgument = ALL_SCOPES,
) -> Call[LoginUrl]:
    """Ask Prakerja for the login URL to send the user to.

    ``state`` is your own value (check it when the user comes back), ``redirect_uri`` receives ``code`` and
    ``state`` after a login, ``login_uri`` the failures; both must be registered with Prakerja.
    """
    query = SsoLoginQuery(
        state=state,
        scope=scope_text(scope),
        client_id=context.client_code,
        redirect_uri=redirect_uri,
        login_uri=login_uri,
    )
    pairs = [
        ("state", query.state),
        ("scope", query.scope),
        ("client_id", query.client_id),
        ("redirect_uri", query.redirect_uri),
        ("login_uri", query.login_uri),
    ]
    return get_call("sso.login_url", decoder(LoginUrl, needs=["redirect_url"]), query=pairs)


def _create_token(context: CallContext, code: str) -> Call[Token]:
    """Exchange the ``code`` Prakerja put on ``redirect_uri`` for tokens. A code works once; not retried."""
    return post_call("sso.create_token", SsoTokenRequest(code=code), decoder(Token))


def _refresh_token(context: CallContext, refresh_token: str) -> Call[Token]:
    """New tokens for an expiring session, from the last ``refresh_token``. Not retried."""
    return post_call("sso.refresh_token", SsoRefreshTokenRequest(token=refresh_token), decoder(Token))


def _profile(context: CallContext, access_token: str) -> Call[Profile]:
    """The logged-in user's Prakerja profile (the fields of the granted scope)."""
    token = check_text("access_token", access_token, RULES["AccessToken"])
    return get_call("sso.profile", decoder(Profile, needs=[]), headers={"Authorization": token})


class ConsentUrl:
    """The consent page URL, built locally; a mixin of the sync and async SSO resources."""

    _context: CallContext

    def consent_url(
        self,
        *,
        state: str,
        redirect_uri: str,
        login_uri: str,
        client_name: str,
        scope: ScopeArgument = ALL_SCOPES,
    ) -> str:
        """The Prakerja consent page URL, built locally (no call is made).

        ``client_name`` is the display name Prakerja gave you; the other arguments are as for
        :meth:`login_url`. Values are encoded as JavaScript's ``encodeURIComponent`` does, as documented.
        """
        query = SsoLoginQuery(
            state=state,
            scope=scope_text(scope),
            client_id=self._context.client_code,
            redirect_uri=redirect_uri,
            login_uri=login_uri,
        )
        name = check_text("client_name", client_name, RULES["SsoClientName"])
        pairs = [
            ("scope", query.scope),
            ("state", query.state),
            ("redirect_uri", query.redirect_uri),
            ("login_uri", query.login_uri),
            ("client_id", query.client_id),
            ("client_name", name),
        ]
        spec = OPERATIONS["sso.consent_page"]
        return f"{self._context.environment.url(spec.server)}{spec.path}?{encode_query(pairs)}"
