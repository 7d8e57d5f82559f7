"""The state object a sandbox app owns, and the context domain functions receive.

``app.extensions["prakerja_sandbox"]`` holds one :class:`Sandbox`; inside a request
:func:`current_sandbox` returns it. Domain functions never reach for Flask: they take a
:class:`DomainContext` (store, clock, contract, settings, id generator) explicitly.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import flask

from prakerja.contract import Contract
from prakerja_sandbox.clock import Clock
from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.request_log import RequestLog
from prakerja_sandbox.state_cache import StateCache
from prakerja_sandbox.storage.base import Store

__all__ = ["EXTENSION_KEY", "DomainContext", "Ids", "OperationHook", "Sandbox", "current_sandbox"]

EXTENSION_KEY = "prakerja_sandbox"
#: ``flask.g`` key of the workspace a request names (see :mod:`prakerja_sandbox.workspaces`)
WORKSPACE_KEY = "prakerja_sandbox_workspace"
_UPPER_ALNUM = string.ascii_uppercase + string.digits


def _never_idle(_sandbox: Sandbox) -> bool:
    return False


@attrs.frozen
class OperationHook:
    """Runs before every partner-facing operation, before anything else (fault injection).

    ``idle(sandbox)`` only reads the store, so it shares the request's first read snapshot; a hook that answers
    ``True`` is skipped for this request. ``run(sandbox, operation_id)`` may sleep, write, raise
    :class:`~prakerja_sandbox.errors.ApiError` or return the response to send instead of the operation's.
    """

    run: Callable[[Sandbox, str], flask.Response | None]
    idle: Callable[[Sandbox], bool] = _never_idle


class Ids:
    """Generators of the identifiers the sandbox hands out."""

    def code(self, length: int, alphabet: str = _UPPER_ALNUM) -> str:
        """A random code of ``length`` characters from ``alphabet``."""
        return "".join(secrets.choice(alphabet) for _ in range(length))

    def transaction_code(self) -> str:
        """16 upper-case alphanumerics, like ``QHBST9GB5OSS888I``."""
        return self.code(16)

    def redeem_code(self) -> str:
        """12 upper-case alphanumerics, like ``GHOPNYXUVMT0``."""
        return self.code(12)

    def payment_token(self) -> str:
        """32 lower-case hex characters."""
        return secrets.token_hex(16)

    def otp(self) -> str:
        """Six random digits (the ``random`` OTP mode)."""
        return self.code(6, string.digits)

    def opaque(self, nbytes: int = 24) -> str:
        """A URL-safe random token (SSO codes and tokens, verification states)."""
        return secrets.token_urlsafe(nbytes)


@attrs.frozen
class DomainContext:
    """What a domain function may use: the state, the time, the contract and the settings."""

    store: Store
    clock: Clock
    contract: Contract
    config: SandboxConfig
    ids: Ids = attrs.field(factory=Ids)

    def now(self) -> datetime:
        """Sandbox time."""
        return self.clock.now()

    @property
    def scenarios(self) -> Any:
        """``contracts/scenarios.yaml``."""
        return self.contract.scenarios


@attrs.define
class Sandbox:
    """One running sandbox: settings, contract, state and clock (owned by the Flask app)."""

    config: SandboxConfig
    contract: Contract
    store: Store
    clock: Clock
    #: writes the request log (batched for a file database; see :mod:`prakerja_sandbox.request_log`)
    request_log: RequestLog
    ids: Ids = attrs.field(factory=Ids)
    #: compiled request validators by operationId (filled lazily by :mod:`prakerja_sandbox.validation`)
    validators: dict[str, Any] = attrs.field(factory=dict)
    #: hooks run before every operation (fault injection)
    before_operation: list[OperationHook] = attrs.field(factory=list)
    #: run first by :meth:`close` (closing the workspaces opened next to this sandbox)
    on_close: list[Callable[[], None]] = attrs.field(factory=list)
    #: partners and settings kept in memory behind the store's revision (see :mod:`prakerja_sandbox.state_cache`)
    state: StateCache = attrs.field(
        default=attrs.Factory(lambda sandbox: StateCache(sandbox.store), takes_self=True)
    )

    def close(self) -> None:
        """Write the queued request log and close the database connections."""
        for callback in self.on_close:
            callback()
        self.request_log.close()
        self.store.close()

    def domain(self) -> DomainContext:
        """The context to pass to domain functions."""
        return DomainContext(
            store=self.store, clock=self.clock, contract=self.contract, config=self.config, ids=self.ids
        )


def current_sandbox() -> Sandbox:
    """The :class:`Sandbox` of the current request: its workspace's, else the app's default one."""
    sandbox = flask.g.get(WORKSPACE_KEY) or flask.current_app.extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    return sandbox
