"""Partners and settings kept in memory per worker, behind a revision kept in the store.

Every change to ``partners``, ``faults`` or a ``kv`` setting writes a fresh random token to ``kv`` row
``state.revision`` in the same transaction (database triggers of migration ``0005_state_revision``, so it
holds for every writer: the control API, the seed, another instance on the same PostgreSQL database). A
request reads that one row; while it equals the token of the kept :class:`Snapshot`, the partners, the clock
offset and whether any fault or network profile is set come from memory. A different token (or none, right
after a wipe) reloads them inside the same read snapshot, so what a request sees is always what the store
held at its start. Each workspace has its own store, hence its own revision and cache.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextvars import ContextVar, Token

import attrs

from prakerja_sandbox.domain.partners import Partner
from prakerja_sandbox.storage.base import Store, Tx

__all__ = ["REVISION_KEY", "Snapshot", "StateCache"]

REVISION_KEY = "state.revision"
_OFFSET_KEY = "clock.offset_seconds"
_PROFILE_KEY = "network.profile"


@attrs.frozen
class Snapshot:
    """What the request path needs from partners and settings, as of one revision."""

    revision: str | None
    partners: Mapping[str, Partner]  # by client_code
    offset_seconds: float
    #: no fault set and the network profile is ``good``
    quiet: bool

    def partner(self, client_code: str | None) -> Partner | None:
        """The partner whose client code is ``client_code``."""
        return None if client_code is None else self.partners.get(client_code)


def _load(tx: Tx, revision: str | None) -> Snapshot:
    partners = {row["client_code"]: Partner.from_row(row) for row in tx.all("SELECT * FROM partners")}
    row = tx.one(
        "SELECT (SELECT value FROM kv WHERE key = ?) AS profile, (SELECT value FROM kv WHERE key = ?) AS offset_s, "
        "EXISTS (SELECT 1 FROM faults) AS faulty",
        (_PROFILE_KEY, _OFFSET_KEY),
    )
    assert row is not None
    profile = row["profile"]
    quiet = not row["faulty"] and (profile is None or json.loads(profile).get("name") == "good")
    offset = 0.0 if row["offset_s"] is None else float(row["offset_s"])
    return Snapshot(revision=revision, partners=partners, offset_seconds=offset, quiet=quiet)


class StateCache:
    """The :class:`Snapshot` of one store, kept per process (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._kept: Snapshot | None = None
        self._pin: ContextVar[list[Snapshot] | None] = ContextVar(
            f"prakerja_sandbox_state_{id(self)}", default=None
        )

    def current(self) -> Snapshot:
        """The store's partners and settings: one read of the revision, a reload only when it moved.

        Inside :meth:`pin` the first answer is kept to the end of the request.
        """
        pin = self._pin.get()
        if pin:
            return pin[0]
        with self._store.read() as tx:
            revision = tx.scalar("SELECT value FROM kv WHERE key = ?", (REVISION_KEY,))
            kept = self._kept
            if kept is not None and revision is not None and kept.revision == revision:
                snapshot = kept
            else:
                snapshot = _load(tx, revision)
                self._kept = snapshot  # one assignment: threads see the old or the new snapshot, never half
        if pin is not None:
            pin.append(snapshot)
        return snapshot

    def pin(self) -> Token[list[Snapshot] | None]:
        """Keep the first :meth:`current` of this context to its end (pass the token to :meth:`unpin`)."""
        return self._pin.set([])

    def unpin(self, token: Token[list[Snapshot] | None]) -> None:
        """End what :meth:`pin` began."""
        self._pin.reset(token)
