"""Partners of the programme: digital platforms (DP) and training institutions (LP, lembaga pelatihan)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlsplit

import attrs

from prakerja_sandbox.storage.base import Row, Tx

__all__ = ["CATCHER_PATH", "Partner", "find_by_client_code", "find_by_code", "uri_registered"]

#: Where the sandbox's callback catcher answers, under the sandbox's own address.
CATCHER_PATH = "/_sandbox/callback/"


@attrs.frozen
class Partner:
    """A DP or LP as the sandbox knows it. ``sign_key`` never leaves the sandbox in a response."""

    code: str
    kind: Literal["DP", "LP"]
    name: str
    client_code: str
    sign_key: str = attrs.field(repr=False)
    status: str
    invoice_prefix: str | None = None
    curated_by: str | None = None
    city_code: str | None = None
    redirect_uris: tuple[str, ...] = ()
    sso_client_name: str | None = None
    sso_redirect_uris: tuple[str, ...] = ()
    sso_login_uris: tuple[str, ...] = ()

    @property
    def is_dp(self) -> bool:
        """A digital platform (sells courses)."""
        return self.kind == "DP"

    @property
    def is_lp(self) -> bool:
        """A training institution (runs courses)."""
        return self.kind == "LP"

    @property
    def active(self) -> bool:
        """Whether the partner may call the API: an active DP, a validated LP."""
        return self.status == ("active" if self.is_dp else "validated")

    @classmethod
    def from_row(cls, row: Row) -> Partner:
        """A partner from a ``partners`` table row."""
        return cls(
            code=row["code"],
            kind=row["kind"],
            name=row["name"],
            client_code=row["client_code"],
            sign_key=row["sign_key"],
            status=row["status"],
            invoice_prefix=row["invoice_prefix"],
            curated_by=row["curated_by"],
            city_code=row["city_code"],
            redirect_uris=tuple(json.loads(row["redirect_uris"])),
            sso_client_name=row["sso_client_name"],
            sso_redirect_uris=tuple(json.loads(row["sso_redirect_uris"])),
            sso_login_uris=tuple(json.loads(row["sso_login_uris"])),
        )


def find_by_client_code(tx: Tx, client_code: str) -> Partner | None:
    """The partner whose ``client_code`` header value is ``client_code``."""
    row = tx.one("SELECT * FROM partners WHERE client_code = ?", (client_code,))
    return None if row is None else Partner.from_row(row)


def find_by_code(tx: Tx, code: str) -> Partner | None:
    """The partner with seed code ``code`` (e.g. ``tokopedia``)."""
    row = tx.one("SELECT * FROM partners WHERE code = ?", (code,))
    return None if row is None else Partner.from_row(row)


def uri_registered(uri: str, registered: Sequence[str], *, base_url: str | None) -> bool:
    """Whether ``uri`` is one of the ``registered`` redirect or login URIs.

    The sandbox's own callback catcher counts wherever the sandbox is served: partners register it at the
    default address (``http://127.0.0.1:5000/_sandbox/callback/...``, see partners.yaml), and a sandbox
    served on another port, host or workspace (``base_url``) accepts the same catcher path under its own
    address for a partner that registered it. No other URI is matched loosely.
    """
    if uri in registered:
        return True
    if base_url is None:
        return False
    own = base_url.rstrip("/")
    for entry in registered:
        path = urlsplit(entry).path
        at = path.find(CATCHER_PATH)
        if at >= 0 and uri == own + path[at:]:
            return True
    return False
