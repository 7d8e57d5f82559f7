"""Learn about the server before checking it: its control API, the partners and values it knows, our role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prakerja.contract import Contract
from prakerja.contract_check.control import ControlApi, ControlApiError
from prakerja.contract_check.requests import Draft
from prakerja.contract_check.target import Target
from prakerja.contract_check.values import ValuePool, add_contract_values
from prakerja.contract_check.wire import Credentials

__all__ = ["Discovery", "discover", "partner_role", "probe_role", "seed_pool"]


class Discovery:
    """What the control API told us: partners (with keys), participants, purchases, redeem codes."""

    def __init__(self) -> None:
        self.partners: list[dict[str, Any]] = []
        self.participants: list[dict[str, Any]] = []
        self.redeem_codes: list[dict[str, Any]] = []
        self.transactions: list[dict[str, Any]] = []

    def partner(self, client_code: str) -> dict[str, Any] | None:
        """The partner with ``client_code``."""
        return next((p for p in self.partners if p.get("client_code") == client_code), None)

    def credentials(self, *, kind: str | None = None, usable: bool = True) -> list[Credentials]:
        """Credentials of the known partners, optionally of one kind and only active/validated ones."""
        found = []
        for partner in self.partners:
            if kind is not None and partner_role(partner) != kind:
                continue
            if usable and partner.get("status") not in ("active", "validated"):
                continue
            if partner.get("client_code") and partner.get("sign_key"):
                found.append(Credentials(client_code=partner["client_code"], sign_key=partner["sign_key"]))
        return found

    def sso_clients(self) -> list[Credentials]:
        """Validated LPs registered for SSO: the partners an SSO call may name in X-Client-Id."""
        return [
            Credentials(client_code=p["client_code"], sign_key=p["sign_key"])
            for p in self.partners
            if _sso_client(p) and p.get("client_code") and p.get("sign_key")
        ]


def _sso_client(partner: Mapping[str, Any]) -> bool:
    return partner_role(partner) == "LP" and partner.get("status") == "validated" and bool(partner.get("sso"))


def partner_role(partner: Mapping[str, Any]) -> str | None:
    """``DP`` or ``LP`` as the control API lists it."""
    role = partner.get("role") or partner.get("kind")
    return str(role) if role else None


def discover(control: ControlApi) -> Discovery:
    """Read the sandbox's seed data through its control API (missing listings stay empty)."""
    found = Discovery()
    for attribute, reader in (
        ("partners", control.partners),
        ("participants", control.participants),
        ("redeem_codes", control.redeem_codes),
        ("transactions", control.transactions),
    ):
        try:
            setattr(found, attribute, reader())
        except ControlApiError:
            continue
    return found


def seed_pool(contract: Contract, discovery: Discovery | None, primary: Credentials) -> ValuePool:
    """Realistic field values: the contract's examples, then the sandbox's data when it has a control API."""
    pool = ValuePool()
    add_contract_values(pool, contract, seed_data=discovery is not None)
    pool.add("client_id", primary.client_code)
    if discovery is None:
        return pool
    for partner in discovery.partners:
        if partner_role(partner) != "LP":
            continue
        sso: Mapping[str, Any] = partner.get("sso") or {}
        for redirect_uri in _listed(partner.get("redirect_uris")):
            pool.add("redirect_uri", redirect_uri)
        for redirect_uri, login_uri in zip(
            _listed(sso.get("redirect_uris")), _listed(sso.get("login_uris")), strict=False
        ):
            pool.add_record(
                client_id=partner.get("client_code"),
                client_name=sso.get("client_name"),
                redirect_uri=redirect_uri,
                login_uri=login_uri,
            )
    own = (discovery.partner(primary.client_code) or {}).get("code")
    for participant in discovery.participants[:200]:
        pool.add_record(prakerja_id=participant.get("prakerja_id"), email=participant.get("email"), live=True)
    for code in discovery.redeem_codes[:200]:
        pool.add_record(
            live=True,
            redeem_code=code.get("redeem_code") or code.get("code"),
            # test codes carry an invoice code without a purchase behind it: not one Payment Status knows
            invoice_code=code.get("invoice_code") if code.get("transaction_code") else None,
            course_code=code.get("course_code"),
            schedule_code=code.get("schedule_code"),
        )
    for transaction in discovery.transactions[:200]:
        if own is None or transaction.get("dp_code") == own:  # another platform's invoices are unknown to us
            pool.add_record(
                invoice_code=transaction.get("invoice_code"),
                transaction_code=transaction.get("transaction_code"),
                live=True,
            )
    return pool


def _listed(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def probe_role(target: Target, credentials: Credentials) -> tuple[str | None, str | None]:
    """``(role, problem)``: ``DP``/``LP`` from how the server answers a quota call, or why it is unknown."""
    draft = Draft(
        operation_id="payments.quota",
        body={"schedule_code": "prakerjaoauth", "course_code": "prakerjaoauth1"},
    )
    exchange = target.wire.send(draft.build(target, credentials))
    if exchange.response is None:
        return None, f"the server did not answer: {exchange.transport_error}"
    code = exchange.response.error_code
    if code == "ERRPLT40301":
        return "LP", None
    if code is None or not code.startswith("ERRPLT401"):
        return "DP", None
    return None, f"the server refused the credentials with {code}: {exchange.describe()}"
