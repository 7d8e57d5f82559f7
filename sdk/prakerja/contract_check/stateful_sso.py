"""The SSO steps of a lifecycle run: sign a participant in, exchange the code, refresh, read the profile.

A sign-in plays the participant's browser over HTTP against the server under check: ``sso.login_url`` gives
the consent page, the participant signs in there (Kartu Prakerja number or e-mail) and allows, and the page
redirects to the LP's ``redirect_uri`` with a ``code``. A server without such a page (Prakerja itself, or a
partner's mock) cannot be signed in to without a person: the SSO steps are then skipped, and the report says
so (``Lifecycle.sso_unavailable``).

What the model holds, from the contract (``inferred`` marks the catalogue's inferred rules):

* a code is exchanged once; a second exchange is ERROAUTH4032 (inferred);
* a refresh token is traded once; the old one is then ERROAUTH4033 (inferred). The contract gives no
  lifetime for a refresh token, so after a day of server time ERROAUTH4033 is accepted too;
* an access token works until ``expires_in`` (Unix seconds); after it, Get Profile is ERROAUTH4034;
* Get Profile answers the signed-in participant's name, e-mail and card number for the fields in the scope.
"""

from __future__ import annotations

import secrets
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, multiple, precondition, rule

from prakerja.contract_check.exchange import Exchange
from prakerja.contract_check.model import SLACK, Buyer, Expect, refusal
from prakerja.contract_check.wire import encode_query

if TYPE_CHECKING:
    from prakerja.contract_check.lifecycle import Lifecycle

__all__ = ["SCOPES", "SsoLogin", "SsoRules"]

#: Scopes the sign-ins ask for: one to four fields, in varied orders.
SCOPES = ("name email prakerjaid notelp", "name", "notelp email", "prakerjaid", "email name")
#: Profile field of each scope value the run can know (``notelp``: the run does not set a phone number).
_PROFILE_FIELDS = {"name": "name", "email": "email", "prakerjaid": "no_prakerja"}
#: After this much server time a refresh token may have expired (the contract gives no lifetime).
_REFRESH_LIFETIME_UNKNOWN = timedelta(days=1)
_SUCCESS = Expect(why="a call the model expects to succeed")
#: Sign-ins per lifecycle: enough for refresh and profile to have tokens, few enough to leave steps to the rest.
SIGN_INS = 2


@attrs.define(eq=False)
class SsoLogin:
    """A participant signed in to the run's LP: the tokens the server answered last."""

    buyer: Buyer
    scope: str
    access_token: str
    access_expires: datetime
    refresh_token: str
    issued: datetime
    #: Refresh tokens already traded (each must now be refused).
    spent: list[str] = attrs.field(factory=list)


class SsoRules:
    """Rules mixed into the lifecycle machine (``self.life`` is its :class:`Lifecycle`)."""

    life: Lifecycle
    buyers = Bundle("buyers")
    logins = Bundle("sso_logins")

    # signing in ---------------------------------------------------------------------------------------
    def _consent_code(self, buyer: Buyer, scope: str, by_email: bool) -> str | None:
        """Sign ``buyer`` in on the consent page and allow; the ``code`` it redirects with (or ``None``)."""
        life = self.life
        sso = life.sso
        state = f"check-{secrets.token_hex(6)}"
        redirect_uri, login_uri = sso["redirect_uris"][0], sso["login_uris"][0]
        query = (
            ("state", state),
            ("scope", scope),
            ("client_id", life.lp.client_code),
            ("redirect_uri", redirect_uri),
            ("login_uri", login_uri),
        )
        request = life.target.wire.request(
            life.target.operation("sso.login_url"), None, credentials=life.lp, query=encode_query(query)
        )
        exchange, data = life.resend(request, expect=_SUCCESS)
        page = str((data or {}).get("redirect_url", ""))
        identifier = buyer.email if by_email else buyer.prakerja_id
        # the page's own form, counted as that page
        exchange = life.post_form(page, {"identifier": identifier, "decision": "allow"}, "sso.consent_page")
        response = exchange.response
        if response is None or response.status_code in (404, 405, 501):
            status = None if response is None else response.status_code
            life.sso_unavailable = (
                f"the login URL's page {urllib.parse.urlsplit(page).path or page!r} cannot be signed in to "
                f"over HTTP (HTTP {status}): a participant must allow the sign-in in a browser"
            )
            return None
        location = response.header("location") or ""
        answered = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        if response.status_code not in (302, 303) or not location.startswith(redirect_uri):
            life.fail(
                [
                    f"the consent page answered HTTP {response.status_code} to an allowed sign-in, not a "
                    f"redirect to {redirect_uri} (Location {location!r})"
                ],
                exchange,
            )
        if answered.get("state") != state or not answered.get("code"):
            life.fail(
                [f"the consent page redirects to {location!r}: expected state={state!r} and a code"],
                exchange,
            )
        return answered["code"]

    def _tokens(self, exchange: Exchange, data: Mapping[str, Any], scope: str, what: str) -> None:
        self.life.compare(exchange, what, {"scope": scope}, data)
        if not str(data.get("expires_in", "")).isdigit():
            self.life.fail([f"{what}: expires_in {data.get('expires_in')!r} is not Unix seconds"], exchange)

    sign_ins = 0

    @precondition(lambda self: self.sign_ins < SIGN_INS)
    @rule(
        target=logins,
        buyer=buyers,
        scope=st.sampled_from(SCOPES),
        by_email=st.booleans(),
    )
    def sign_in(self, buyer: Buyer, scope: str, by_email: bool) -> Any:
        life = self.life
        self.sign_ins += 1
        if life.sso_unavailable:
            return multiple()
        code = self._consent_code(buyer, scope, by_email)
        if code is None:
            return multiple()
        model = life.sync()
        exchange, data = life.call("sso.create_token", {"code": code}, credentials=life.lp, expect=_SUCCESS)
        self._tokens(exchange, data or {}, scope, "create-token answer")
        assert data is not None  # a refusal failed the run above
        life.target.scenarios["SSO sign-in (consent -> create-token)"] += 1
        again = refusal("ERROAUTH4032", why="the code was exchanged already (a code works once)")
        life.call("sso.create_token", {"code": code}, credentials=life.lp, expect=again)
        life.target.scenarios["SSO code exchanged twice refused"] += 1
        return SsoLogin(
            buyer=buyer,
            scope=scope,
            access_token=str(data["access_token"]),
            access_expires=datetime.fromtimestamp(int(data["expires_in"]), UTC),
            refresh_token=str(data["refresh_token"]),
            issued=model.now,
        )

    @precondition(lambda self: self.sign_ins < SIGN_INS)
    @rule(
        target=logins,
        buyer=buyers,
        scope=st.sampled_from(SCOPES),
        by_email=st.booleans(),
        bearer=st.booleans(),
    )
    def sso_session(self, buyer: Buyer, scope: str, by_email: bool, bearer: bool) -> Any:
        """An LP's usual order: sign in, refresh the tokens, read the profile with the new access token."""
        login = self.sign_in(buyer, scope, by_email)
        if isinstance(login, SsoLogin):
            self.refresh(login, old=False)
            self.profile(login, bearer)
        return login

    # using the tokens ---------------------------------------------------------------------------------
    @rule(login=logins, old=st.sampled_from([False, False, False, True]))
    def refresh(self, login: SsoLogin, old: bool) -> None:
        life = self.life
        model = life.sync()
        aged = model.now - login.issued >= _REFRESH_LIFETIME_UNKNOWN
        if old and login.spent:
            expect = refusal("ERROAUTH4033", why="the refresh token was traded already")
            life.call("sso.refresh_token", {"token": login.spent[0]}, credentials=life.lp, expect=expect)
            return
        expect = Expect(codes=frozenset({"ERROAUTH4033"} if aged else ()), success=True, why="")
        exchange, data = life.call(
            "sso.refresh_token", {"token": login.refresh_token}, credentials=life.lp, expect=expect
        )
        if data is None:
            return
        self._tokens(exchange, data, login.scope, "refresh-token answer")
        login.spent.append(login.refresh_token)
        login.refresh_token = str(data["refresh_token"])
        login.access_token = str(data["access_token"])
        login.access_expires = datetime.fromtimestamp(int(data["expires_in"]), UTC)
        login.issued = model.now
        life.target.scenarios["SSO refresh"] += 1
        expect = refusal("ERROAUTH4033", why="the refresh token was just traded")
        life.call("sso.refresh_token", {"token": login.spent[-1]}, credentials=life.lp, expect=expect)

    @rule(login=logins, bearer=st.booleans())
    def profile(self, login: SsoLogin, bearer: bool) -> None:
        life = self.life
        model = life.sync()
        expired = login.access_expires <= model.now
        borderline = abs(login.access_expires - model.now) <= SLACK
        expect = Expect(
            codes=frozenset({"ERROAUTH4034"} if expired or borderline else ()),
            success=not expired or borderline,
            why="the access token expired" if expired else "",
        )
        value = f"Bearer {login.access_token}" if bearer else login.access_token
        request = life.target.wire.request(
            life.target.operation("sso.profile"),
            None,
            credentials=life.lp,
            headers=[("Authorization", value)],
        )
        exchange, data = life.resend(request, expect=expect)
        if data is None:
            return
        buyer = login.buyer
        known = {"name": buyer.name, "email": buyer.email, "prakerjaid": buyer.prakerja_id}
        granted = login.scope.split(" ")
        expected = {_PROFILE_FIELDS[key]: known[key] for key in granted if key in _PROFILE_FIELDS}
        life.compare(exchange, f"profile (scope {login.scope!r})", expected, data)
        life.target.scenarios["SSO profile"] += 1
