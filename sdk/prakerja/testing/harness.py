"""A local Prakerja sandbox for a partner's own tests, with helpers in the partner's words.

::

    sandbox = LocalSandbox.in_process()
    client = sandbox.client("SBX-DP-TOKOPEDIA")          # the SDK, talking to the sandbox without a socket
    buyer = sandbox.create_participant(name="Siti Rahayu")
    sent = client.payments.send_otp(...)
    otp = sandbox.otp(buyer.prakerja_id)                 # read the OTP the participant received by SMS
    sandbox.advance_clock(minutes=6)                     # ... and watch it expire

The pytest plugin (:mod:`prakerja.testing.plugin`) hands tests a fresh one as the ``prakerja_sandbox``
fixture, or one served on a local port as ``prakerja_sandbox_server``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs
import httpx

from prakerja._extras import require_extra
from prakerja._operations import OperationId
from prakerja._retry import RetryPolicy
from prakerja.testing.records import Course, CourseKind, FaultKind, Schedule
from prakerja.testing.server import ServedApp, serve

if TYPE_CHECKING:
    from prakerja import AsyncPrakerjaClient, PrakerjaClient
    from prakerja.contract_check import Report

__all__ = [
    "IN_PROCESS_URL",
    "LocalSandbox",
    "Participant",
    "PartnerCredentials",
    "SandboxError",
    "SandboxWarning",
    "Sms",
]

#: The base URL an in-process sandbox answers on (no socket is opened; any host would do).
IN_PROCESS_URL = "http://sandbox.local"
#: How clients made by the kit retry: as the default policy, without waiting (a test never sleeps).
NO_WAIT_RETRY = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0, max_retry_after=0.0)


class SandboxError(RuntimeError):
    """The sandbox's control API refused a helper call; the message carries its answer."""


@attrs.frozen
class PartnerCredentials:
    """A partner of the sandbox: its seed ``code``, ``role`` (DP or LP) and signing credentials."""

    code: str
    role: str
    name: str
    client_code: str
    sign_key: str = attrs.field(repr=False)
    status: str = "active"


@attrs.frozen
class Participant:
    """A participant (Kartu Prakerja holder) of the sandbox."""

    prakerja_id: str
    name: str
    phone: str
    email: str | None
    balance: int
    birth_date: str
    education: str
    status: str


@attrs.frozen
class Sms:
    """A text message the sandbox sent: an OTP (``kind="otp"``) or a redeem code (``kind="redeem_code"``)."""

    kind: str
    phone: str
    prakerja_id: str
    text: str
    otp: str | None
    payment_token: str | None
    redeem_code: str | None
    created_at: str


def _settings(config: Mapping[str, Any] | None, strict: bool | None) -> dict[str, Any] | None:
    if strict is None:
        return None if config is None else dict(config)
    return {**(config or {}), "strict": strict}


@attrs.frozen
class SandboxWarning:
    """A request the sandbox answered only through a lenient path, with its ``Prakerja-Sandbox-Warning``."""

    code: str
    text: str
    method: str
    path: str
    operation_id: str | None
    request_id: str | None

    def __str__(self) -> str:
        return f'{self.method} {self.path}: {self.code} "{self.text}"'


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class LocalSandbox:
    """One sandbox (a ``prakerja_sandbox`` Flask app) and the helpers a partner's tests need around it.

    ``base_url`` is where the SDK or any other client reaches it; ``transport`` is set for an in-process
    sandbox (pass it to ``httpx.Client(transport=...)`` or let :meth:`client` do it).
    """

    def __init__(self, app: Any, *, base_url: str, transport: httpx.BaseTransport | None = None) -> None:
        self.app = app
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self._http = httpx.Client(transport=transport, base_url=self.base_url, timeout=30.0)
        self._server: ServedApp | None = None

    @classmethod
    def in_process(
        cls, config: Mapping[str, Any] | None = None, *, strict: bool | None = None
    ) -> LocalSandbox:
        """A fresh sandbox the SDK reaches through ``httpx.WSGITransport`` (no socket).

        ``strict=True`` refuses every request the sandbox would otherwise accept only with a
        ``Prakerja-Sandbox-Warning`` (as ``prakerja-sandbox --strict`` does).
        """
        require_extra("testing", "The in-process Prakerja sandbox (prakerja.testing)")
        from prakerja_sandbox import create_app

        settings = _settings(config, strict) or {}
        # its made-up host name reaches the control API (no socket, so no DNS rebinding to guard against)
        in_process_host = str(httpx.URL(IN_PROCESS_URL).host)
        settings["allowed_hosts"] = (*settings.get("allowed_hosts", ()), in_process_host)
        app = create_app(settings)
        return cls(app, base_url=IN_PROCESS_URL, transport=httpx.WSGITransport(app=app))

    @classmethod
    def served(
        cls,
        config: Mapping[str, Any] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        strict: bool | None = None,
    ) -> LocalSandbox:
        """A fresh sandbox served on a local port, for code that is not Python or does not use httpx."""
        require_extra("testing", "The served Prakerja sandbox (prakerja.testing)")
        from prakerja_sandbox import create_app

        app = create_app(_settings(config, strict))
        server = serve(app, host=host, port=port)
        sandbox = cls(app, base_url=server.url)
        sandbox._server = server
        return sandbox

    def close(self) -> None:
        """Stop the server (if served) and close the helpers' HTTP client."""
        self._http.close()
        if self._server is not None:
            self._server.close()
            self._server = None

    def __enter__(self) -> LocalSandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # control API ----------------------------------------------------------------------------------
    def _control(
        self, method: str, path: str, payload: Mapping[str, Any] | None = None, **params: Any
    ) -> Any:
        response = self._http.request(
            method,
            f"/_sandbox{path}",
            json=None if payload is None else dict(payload),
            params={key: value for key, value in params.items() if value is not None} or None,
        )
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else None
        )
        if response.status_code >= 400 or not isinstance(body, Mapping):
            raise SandboxError(
                f"{method} /_sandbox{path} answered HTTP {response.status_code}: {response.text[:500]}"
            )
        return body.get("data")

    def reset(self) -> None:
        """Back to the seeded state: partners, courses, participants, test codes; clock, faults and SMS cleared."""
        # the request log stays, so the error-coverage report still counts what the test did before
        self._control("POST", "/reset", {"keep_request_log": True})

    # partners and clients -------------------------------------------------------------------------
    def partners(self, role: str | None = None) -> list[PartnerCredentials]:
        """The sandbox's partners (all, or only ``"DP"`` or ``"LP"``), with their sandbox credentials."""
        found = [
            PartnerCredentials(
                code=p["code"],
                role=p["role"],
                name=p["name"],
                client_code=p["client_code"],
                sign_key=p["sign_key"],
                status=p["status"],
            )
            for p in self._control("GET", "/partners")["partners"]
        ]
        return [p for p in found if role is None or p.role == role]

    def partner(self, reference: str) -> PartnerCredentials:
        """The partner whose seed code or client code is ``reference`` (``"tokopedia"``, ``"SBX-DP-TOKOPEDIA"``)."""
        for partner in self.partners():
            if reference in (partner.code, partner.client_code):
                return partner
        known = ", ".join(p.client_code for p in self.partners())
        raise LookupError(f"no partner {reference!r} in the sandbox; known client codes: {known}")

    def client(self, partner: str = "SBX-DP-TOKOPEDIA", **options: Any) -> PrakerjaClient:
        """An SDK client signed as ``partner`` and wired to this sandbox (close it, or use ``with``).

        It retries as the default policy does but without waiting (:data:`NO_WAIT_RETRY`); pass
        ``retry=`` to test your own policy.
        """
        from prakerja import PrakerjaClient

        options.setdefault("retry", NO_WAIT_RETRY)
        credentials = self.partner(partner)
        return PrakerjaClient(
            client_code=credentials.client_code,
            sign_key=credentials.sign_key,
            base_url=self.base_url,
            transport=self.transport,
            **options,
        )

    def async_client(self, partner: str = "SBX-DP-TOKOPEDIA", **options: Any) -> AsyncPrakerjaClient:
        """An async SDK client for ``partner``; it needs a socket, so use a served sandbox. Retries without
        waiting, as :meth:`client`."""
        from prakerja import AsyncPrakerjaClient

        options.setdefault("retry", NO_WAIT_RETRY)
        if self.transport is not None:
            raise SandboxError(
                "an async client cannot reach an in-process sandbox (httpx's WSGI transport is synchronous); "
                "use the prakerja_sandbox_server fixture or LocalSandbox.served()"
            )
        credentials = self.partner(partner)
        return AsyncPrakerjaClient(
            client_code=credentials.client_code,
            sign_key=credentials.sign_key,
            base_url=self.base_url,
            **options,
        )

    # participants, courses, schedules -------------------------------------------------------------
    def create_participant(self, name: str = "Peserta Uji", **fields: Any) -> Participant:
        """Add a participant (Kartu Prakerja number generated unless ``prakerja_id`` is given).

        Other fields: ``birth_date`` (``"1995-01-01"``), ``education`` (``"SMA"``), ``phone``, ``email``,
        ``balance`` (rupiah, default 3,500,000), ``status`` (``"active"``/``"inactive"``), ``regency_code``.
        """
        row = self._control("POST", "/participants", {"name": name, **fields})
        return Participant(
            prakerja_id=row["prakerja_id"],
            name=row["name"],
            phone=row["phone"],
            email=row.get("email"),
            balance=int(row["balance"]),
            birth_date=row["birth_date"],
            education=row["education"],
            status=row["status"],
        )

    def create_course(
        self,
        code: str,
        *,
        lp: str = "SBX-LP-CIPTAKREASI",
        type: CourseKind | None = None,
        price: int | None = None,
        sessions: int | None = None,
        tpm_count: int | None = None,
        has_uk: bool | None = None,
        sold_on: list[str] | None = None,
        **fields: Any,
    ) -> Course:
        """Add a course of LP ``lp``: ``type``, ``price`` (rupiah), ``sessions``, ``tpm_count``, ``has_uk``,
        ``sold_on`` (DP codes; default the LP's curating DP); other control-API fields as keywords."""
        given: dict[str, Any] = {"type": type, "price": price, "sessions": sessions, "tpm_count": tpm_count}
        given |= {"has_uk": has_uk, "sold_on": sold_on}
        payload = {"code": code, "lp": lp, **{k: v for k, v in given.items() if v is not None}, **fields}
        return Course.from_row(self._control("POST", "/courses", payload))

    def create_schedule(
        self,
        code: str,
        *,
        course_code: str,
        starts_in: timedelta | None = None,
        capacity: int | None = None,
        duration_minutes: int | None = None,
        **fields: Any,
    ) -> Schedule:
        """Add a schedule of ``course_code`` starting ``starts_in`` from sandbox now (or ``start_at``,
        ``floating_start``), with ``capacity`` seats and ``duration_minutes``."""
        payload = {"code": code, "course_code": course_code, **fields}
        if starts_in is not None:
            payload["start_offset_minutes"] = int(starts_in.total_seconds() // 60)
        if capacity is not None:
            payload["capacity"] = capacity
        if duration_minutes is not None:
            payload["duration_minutes"] = duration_minutes
        return Schedule.from_row(self._control("POST", "/schedules", payload))

    # the SMS inbox --------------------------------------------------------------------------------
    def sms(self, prakerja_id: str | None = None, *, kind: str | None = None) -> list[Sms]:
        """Text messages the sandbox sent, newest first (``kind``: ``"otp"`` or ``"redeem_code"``)."""
        messages = self._control("GET", "/inbox", prakerja_id=prakerja_id, kind=kind)["messages"]
        return [
            Sms(
                kind=m["kind"],
                phone=m["phone"],
                prakerja_id=m["prakerja_id"],
                text=m["text"],
                otp=m.get("otp"),
                payment_token=m.get("payment_token"),
                redeem_code=m.get("redeem_code"),
                created_at=m["created_at"],
            )
            for m in messages
        ]

    def otp(self, prakerja_id: str) -> str:
        """The OTP most recently sent to the participant (what they would type into the DP's checkout)."""
        for message in self.sms(prakerja_id, kind="otp"):
            if message.otp:
                return message.otp
        raise LookupError(f"no OTP was sent to participant {prakerja_id} (did send-otp succeed?)")

    def redeem_code(self, prakerja_id: str) -> str:
        """The redeem code most recently sent to the participant after a purchase."""
        for message in self.sms(prakerja_id, kind="redeem_code"):
            if message.redeem_code:
                return message.redeem_code
        raise LookupError(f"no redeem code was sent to participant {prakerja_id} (did authorize succeed?)")

    # time -----------------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Sandbox time (OTP expiry, course starts and redeem windows follow it)."""
        return _time(self._control("GET", "/clock")["now"])

    def advance_clock(
        self,
        delta: timedelta | None = None,
        *,
        seconds: float = 0,
        minutes: float = 0,
        hours: float = 0,
        days: float = 0,
    ) -> datetime:
        """Move sandbox time forward (signature timestamps keep following real time); returns the new now."""
        total = (delta or timedelta()) + timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
        return _time(self._control("POST", "/clock", {"advance_seconds": int(total.total_seconds())})["now"])

    def set_clock(self, moment: datetime) -> datetime:
        """Set sandbox time to ``moment`` (naive values are UTC)."""
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        text = aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return _time(self._control("POST", "/clock", {"set": text})["now"])

    # attendance -----------------------------------------------------------------------------------
    def verify_attendance(self, url: str, *, attended: bool = True) -> str:
        """Play the participant on Prakerja's verification page (the URL Generate URL answered).

        Presses "verified" (or "failed" with ``attended=False``) and returns the URL the browser is sent to:
        the LP's ``redirect_uri`` with ``state``, ``redeem_code``, ``sequence`` and ``status``. Feed it to
        the LP's callback handler.
        """
        parts = urllib.parse.urlsplit(url)
        state = urllib.parse.parse_qs(parts.query).get("state", [""])[0]
        response = self._http.post(
            parts.path,
            data={"state": state, "outcome": "verified" if attended else "failed"},
            follow_redirects=False,
        )
        location = response.headers.get("location")
        if response.status_code not in (302, 303) or not location:
            raise SandboxError(
                f"the verification page did not redirect (HTTP {response.status_code}): {response.text[:300]}"
            )
        return str(location)

    def sso_login(self, url: str, identifier: str, *, allow: bool = True) -> str:
        """Play the user on Prakerja's SSO login and consent page (the URL of ``sso.login_url`` or
        ``sso.consent_url``): sign in as ``identifier`` (Kartu Prakerja number or e-mail) and press
        "Izinkan" (or "Tolak" with ``allow=False``). Returns where the browser is sent: ``redirect_uri``
        with ``code`` and ``state``, or ``login_uri`` with ``error=access_denied``."""
        parts = urllib.parse.urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        form = {"decision": "allow" if allow else "deny", "identifier": identifier}
        response = self._http.post(target, data=form, follow_redirects=False)
        location = response.headers.get("location")
        if response.status_code not in (302, 303) or not location:
            raise SandboxError(
                f"the SSO consent page did not redirect (HTTP {response.status_code}): {response.text[:300]}"
            )
        return str(location)

    # faults ---------------------------------------------------------------------------------------
    def inject_fault(
        self,
        operation: OperationId | Literal["*"] = "*",
        *,
        kind: FaultKind = "error",
        code: str | None = None,
        status: int | None = None,
        latency_ms: int | None = None,
        count: int | None = None,
        probability: float | None = None,
        retry_after: int | None = None,
        **options: Any,
    ) -> dict[str, Any]:
        """Make the sandbox misbehave for ``operation`` (or all): ``kind`` is ``"error"`` (``code``,
        ``status``, ``retry_after`` seconds), ``"latency"`` (``latency_ms``) or ``"drop_after_commit"``
        (the call is handled but its answer is lost); ``count`` and ``probability`` limit it."""
        given: dict[str, Any] = {"code": code, "status": status, "latency_ms": latency_ms, "count": count}
        given |= {"probability": probability, "retry_after": retry_after}
        payload = {"operation": operation, "kind": kind, **{k: v for k, v in given.items() if v is not None}}
        return dict(self._control("POST", "/faults", {**payload, **options}))

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._control("DELETE", "/faults")

    # what the tests did ---------------------------------------------------------------------------
    def coverage(self) -> dict[str, Any]:
        """The catalogue codes the sandbox has answered so far (``emitted``) and those it never did."""
        return dict(self._control("GET", "/coverage"))

    def warnings(self) -> list[SandboxWarning]:
        """Every ``Prakerja-Sandbox-Warning`` the sandbox answered so far, oldest first.

        Each one is a request the real Prakerja may refuse; a strict sandbox refuses it.
        """
        rows: list[Mapping[str, Any]] = []
        while True:
            page = self._control("GET", "/requests", warned=1, limit=1000, offset=len(rows))
            rows.extend(page["items"])
            if not page["items"] or len(rows) >= int(page["total"]):
                break
        return [
            SandboxWarning(
                code=str(warning["code"]),
                text=str(warning["text"]),
                method=str(row["method"]),
                path=str(row["path"]),
                operation_id=row.get("operation_id"),
                request_id=row.get("request_id"),
            )
            for row in reversed(rows)  # the log is newest first
            for warning in row.get("warnings") or ()
        ]

    def check_contract(self, partner: str = "SBX-DP-TOKOPEDIA", **options: Any) -> Report:
        """Run the contract checks (:func:`prakerja.contract_check.check`) against this sandbox."""
        from prakerja.contract_check import check

        credentials = self.partner(partner)
        options.setdefault("allow_reset", True)  # this sandbox is the test's own
        return check(
            base_url=self.base_url,
            transport=self.transport,
            client_code=credentials.client_code,
            sign_key=credentials.sign_key,
            **options,
        )
