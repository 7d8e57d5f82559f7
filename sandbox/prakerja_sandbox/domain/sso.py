"""SSO, "Login with Prakerja": a training institution (LP) signs participants in with their Prakerja account.

1. The LP gets a login URL (:func:`login_url`) or builds the consent page URL itself; both are checked by
   :func:`check_login` (ERROAUTH4038 missing or malformed parameter, 4039 unknown scope value, 4029 unknown
   client, 4035 redirect_uri or login_uri not registered).
2. On the consent page the participant signs in and allows (:func:`approve`: a single-use code valid
   5 minutes, sent to ``redirect_uri?code=..&state=..``) or refuses (:func:`deny`:
   ``login_uri?error=access_denied&state=..``).
3. The LP exchanges the code (:func:`create_token`: ERROAUTH4031 unknown, 4032 expired or used) for an access
   token (1 hour) and a refresh token (30 days); ``expires_in`` is the access token's expiry in Unix seconds,
   as a string. :func:`refresh_token` trades a refresh token, once, for a new pair (ERROAUTH4033).
4. :func:`profile` reads the account with the access token (ERROAUTH4040 missing, 4030 unknown, 4034
   expired). Fields outside the granted scope are empty strings.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import attrs

from prakerja_sandbox.clock import format_time, parse_time
from prakerja_sandbox.context import DomainContext
from prakerja_sandbox.domain.partners import Partner, find_by_client_code, uri_registered
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.storage.base import Row, Tx

__all__ = [
    "ACCESS_TOKEN_TTL",
    "CODE_TTL",
    "CONSENT_PATH",
    "REFRESH_TOKEN_TTL",
    "SCOPES",
    "LoginRequest",
    "approve",
    "check_login",
    "create_token",
    "deny",
    "find_participant",
    "login_url",
    "profile",
    "refresh_token",
    "user_id",
]

#: Profile fields an LP may ask for, in the documented order.
SCOPES = ("name", "email", "prakerjaid", "notelp")
#: Lifetimes of an authorization code, an access token and a refresh token.
CODE_TTL = timedelta(minutes=5)
ACCESS_TOKEN_TTL = timedelta(hours=1)
REFRESH_TOKEN_TTL = timedelta(days=30)
#: Path of the consent page the sandbox serves.
CONSENT_PATH = "/consent-sso"

_STATE = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
#: The contract's SsoClientId: what a client code can be.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_URL = re.compile(r"^https?://\S+$")
_URL_MAX = 2048
_LOGIN_PARAMETERS = ("scope", "state", "client_id", "redirect_uri", "login_uri")
_USER_ID_NAMESPACE = uuid.UUID("6f1c2a43-2d7e-5b0e-9a51-7c3b8e9d0f12")


@attrs.frozen
class LoginRequest:
    """A checked login request: the LP client, the scope and where to send the browser back."""

    client: Partner
    scope: str
    state: str
    redirect_uri: str
    login_uri: str

    @property
    def scopes(self) -> tuple[str, ...]:
        """The requested profile fields."""
        return tuple(self.scope.split(" "))


def _sso_client(tx: Tx, client_id: str) -> Partner | None:
    partner = find_by_client_code(tx, client_id)
    if partner is None or not partner.is_lp or partner.sso_client_name is None or not partner.active:
        return None
    return partner


def _check_scope(scope: str) -> None:
    values = scope.split(" ")
    if any(not value for value in values) or len(scope) > 64:
        raise ApiError("ERROAUTH4038", field="scope", detail="scope values are separated by single spaces")
    unknown = [value for value in values if value not in SCOPES]
    if unknown:
        raise ApiError(
            "ERROAUTH4039", field="scope", detail=f"unknown {', '.join(unknown)}; known: {' '.join(SCOPES)}"
        )


def check_login(
    tx: Tx, params: Mapping[str, str], *, caller: Partner | None = None, base_url: str | None = None
) -> LoginRequest:
    """Check the query of a login URL or consent page (``caller``: the X-Client-Id client, when known).

    ``base_url`` is the sandbox's own address, under which its callback catcher also counts as registered.
    """
    for name in _LOGIN_PARAMETERS:
        if not params.get(name, "").strip():
            raise ApiError("ERROAUTH4038", field=name, detail=f"query parameter {name} is required")
    if not _STATE.match(params["state"]):
        raise ApiError(
            "ERROAUTH4038", field="state", detail="state is 1-128 characters, no control characters"
        )
    for name in ("redirect_uri", "login_uri"):
        if not _URL.match(params[name]) or len(params[name]) > _URL_MAX:
            raise ApiError("ERROAUTH4038", field=name, detail=f"{name} is an absolute http(s) URL")
    _check_scope(params["scope"])
    client_id = params["client_id"]
    if not _CLIENT_ID.match(client_id):  # no client has such a code (and PostgreSQL cannot compare U+0000)
        raise ApiError(
            "ERROAUTH4038", field="client_id", detail="client_id is 1-64 letters, digits, '_', '.' or '-'"
        )
    client = _sso_client(tx, client_id)
    if client is None or (caller is not None and caller.client_code != client_id):
        raise ApiError(
            "ERROAUTH4029",
            field="client_id",
            detail=f"{client_id!r} is not a registered SSO client"
            + ("" if caller is None else f" matching X-Client-Id {caller.client_code}"),
        )
    if not uri_registered(params["redirect_uri"], client.sso_redirect_uris, base_url=base_url):
        raise ApiError(
            "ERROAUTH4035", field="redirect_uri", detail=f"registered: {', '.join(client.sso_redirect_uris)}"
        )
    if not uri_registered(params["login_uri"], client.sso_login_uris, base_url=base_url):
        raise ApiError(
            "ERROAUTH4035", field="login_uri", detail=f"registered: {', '.join(client.sso_login_uris)}"
        )
    return LoginRequest(
        client=client,
        scope=params["scope"],
        state=params["state"],
        redirect_uri=params["redirect_uri"],
        login_uri=params["login_uri"],
    )


def login_url(
    ctx: DomainContext, *, client: Partner, params: Mapping[str, str], base_url: str
) -> dict[str, Any]:
    """The consent page URL for a checked login request (values encoded like ``encodeURIComponent``)."""
    with ctx.store.read() as tx:
        request = check_login(tx, params, caller=client, base_url=base_url)
    query = urlencode(
        [
            ("scope", request.scope),
            ("state", request.state),
            ("redirect_uri", request.redirect_uri),
            ("login_uri", request.login_uri),
            ("client_id", request.client.client_code),
            ("client_name", request.client.sso_client_name or ""),
        ],
        quote_via=quote,
        safe="",
    )
    return {"redirect_url": f"{base_url.rstrip('/')}{CONSENT_PATH}?{query}"}


def _with_query(url: str, params: list[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    extra = urlencode(params)
    query = f"{parts.query}&{extra}" if parts.query else extra
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def find_participant(tx: Tx, identifier: str) -> Row | None:
    """The participant with this Kartu Prakerja number or e-mail (case-insensitive).

    ``None`` for text holding U+0000: no number or e-mail has one, and PostgreSQL cannot even compare it.
    """
    value = identifier.strip()
    if not value or "\x00" in value:
        return None
    return tx.one(
        "SELECT * FROM participants WHERE prakerja_id = ? OR lower(email) = lower(?) ORDER BY prakerja_id LIMIT 1",
        (value, value),
    )


def deny(request: LoginRequest) -> str:
    """Where a refused or failed login goes: ``login_uri?error=access_denied&state=..``."""
    return _with_query(request.login_uri, [("error", "access_denied"), ("state", request.state)])


def approve(ctx: DomainContext, request: LoginRequest, participant: Row) -> str:
    """Issue a single-use code for ``participant`` and answer ``redirect_uri?code=..&state=..``.

    An inactive participant cannot sign in: the browser goes to :func:`deny`'s URL instead.
    """
    if participant["status"] != "active":
        return deny(request)
    now = ctx.now()
    code = ctx.ids.opaque()
    with ctx.store.transaction() as tx:
        tx.execute(
            "INSERT INTO sso_codes (code, client_code, prakerja_id, scope, state, redirect_uri, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (code, request.client.client_code, participant["prakerja_id"], request.scope, request.state,
             request.redirect_uri, format_time(now), format_time(now + CODE_TTL)),
        )  # fmt: skip
    return _with_query(request.redirect_uri, [("code", code), ("state", request.state)])


def _issue(ctx: DomainContext, tx: Tx, *, client_code: str, prakerja_id: str, scope: str) -> dict[str, Any]:
    now = ctx.now()
    access, refresh = f"at_{ctx.ids.opaque()}", f"rt_{ctx.ids.opaque()}"
    access_expiry = now + ACCESS_TOKEN_TTL
    for token, kind, pair, expiry in (
        (access, "access", refresh, access_expiry),
        (refresh, "refresh", access, now + REFRESH_TOKEN_TTL),
    ):
        tx.execute(
            "INSERT INTO sso_tokens (token, kind, client_code, prakerja_id, scope, pair, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (token, kind, client_code, prakerja_id, scope, pair, format_time(now), format_time(expiry)),
        )
    return {
        "access_token": access,
        "expires_in": str(int(access_expiry.timestamp())),
        "refresh_token": refresh,
        "scope": scope,
        "token_type": "Bearer",
    }


def _expired(row: Row, now: datetime) -> bool:
    return parse_time(str(row["expires_at"])) <= now


def create_token(ctx: DomainContext, *, client: Partner, code: str) -> dict[str, Any]:
    """Exchange an authorization code, once, for tokens (ERROAUTH4031 unknown, 4032 expired or used).

    A code issued to another client is unknown to this one.
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        row = tx.one("SELECT * FROM sso_codes WHERE code = ? AND client_code = ?", (code, client.client_code))
        if row is None:
            raise ApiError("ERROAUTH4031", field="code", detail="no such code for this client")
        if row["used_at"] is not None:
            raise ApiError("ERROAUTH4032", field="code", detail=f"already exchanged at {row['used_at']}")
        if _expired(row, now):
            raise ApiError("ERROAUTH4032", field="code", detail=f"expired at {row['expires_at']}")
        tx.execute("UPDATE sso_codes SET used_at = ? WHERE code = ?", (format_time(now), code))
        return _issue(
            ctx, tx, client_code=client.client_code, prakerja_id=row["prakerja_id"], scope=row["scope"]
        )


def refresh_token(ctx: DomainContext, *, client: Partner, token: str) -> dict[str, Any]:
    """Trade a refresh token for a new pair; the old refresh token stops working (ERROAUTH4033).

    The access token issued with it keeps working until it expires.
    """
    now = ctx.now()
    with ctx.store.transaction() as tx:
        row = tx.one(
            "SELECT * FROM sso_tokens WHERE token = ? AND kind = 'refresh' AND client_code = ?",
            (token, client.client_code),
        )
        if row is None or row["revoked_at"] is not None or _expired(row, now):
            reason = "unknown" if row is None else ("already used" if row["revoked_at"] else "expired")
            raise ApiError("ERROAUTH4033", field="token", detail=f"refresh token {reason}")
        tx.execute("UPDATE sso_tokens SET revoked_at = ? WHERE token = ?", (format_time(now), token))
        return _issue(
            ctx, tx, client_code=client.client_code, prakerja_id=row["prakerja_id"], scope=row["scope"]
        )


def _bearer(authorization: str | None) -> str:
    value = (authorization or "").strip()
    scheme, _, rest = value.partition(" ")
    if scheme.lower() == "bearer":
        value = rest.strip()
    if not value:
        raise ApiError(
            "ERROAUTH4040",
            field="Authorization",
            detail="send Authorization: <access_token> (a 'Bearer ' prefix is accepted)",
        )
    return value


def user_id(prakerja_id: str) -> str:
    """The participant's stable Prakerja account ID (a UUID)."""
    return str(uuid.uuid5(_USER_ID_NAMESPACE, prakerja_id))


def profile(ctx: DomainContext, *, client: Partner, authorization: str | None) -> dict[str, Any]:
    """The account behind an access token (ERROAUTH4040 no token, 4030 unknown, 4034 expired)."""
    token = _bearer(authorization)
    now = ctx.now()
    with ctx.store.read() as tx:
        row = tx.one(
            "SELECT * FROM sso_tokens WHERE token = ? AND kind = 'access' AND client_code = ? AND revoked_at IS NULL",
            (token, client.client_code),
        )
        if row is None:
            raise ApiError("ERROAUTH4030", field="Authorization", detail="no user for this access token")
        if _expired(row, now):
            raise ApiError("ERROAUTH4034", field="Authorization", detail=f"expired at {row['expires_at']}")
        person = tx.one("SELECT * FROM participants WHERE prakerja_id = ?", (row["prakerja_id"],))
        if person is None:
            raise ApiError("ERROAUTH4030", field="Authorization", detail="the account no longer exists")
        binding = tx.scalar(
            "SELECT user_platform_id FROM platform_bindings WHERE prakerja_id = ? ORDER BY created_at LIMIT 1",
            (person["prakerja_id"],),
        )
    granted = set(str(row["scope"]).split(" "))
    return {
        "dp_user_id": binding or "",
        "email": (person["email"] or "") if "email" in granted else "",
        "name": person["name"] if "name" in granted else "",
        "no_prakerja": person["prakerja_id"] if "prakerjaid" in granted else "",
        "phone_number": person["phone"] if "notelp" in granted else "",
        "user_id": user_id(person["prakerja_id"]),
    }
