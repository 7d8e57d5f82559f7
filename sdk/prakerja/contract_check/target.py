"""Everything a check needs to know about the server under check, gathered once per run."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import attrs

from prakerja.contract import Contract, Operation
from prakerja.contract_check.control import ControlApi
from prakerja.contract_check.engine import PropertySettings
from prakerja.contract_check.schemas import ContractSchemas, OperationSchemas
from prakerja.contract_check.values import ValuePool
from prakerja.contract_check.wire import Credentials, Wire

__all__ = ["READ_ONLY_OPERATIONS", "Target"]

#: Operations that change nothing on the server. Every other operation has side effects (an SMS, a payment,
#: a verification state, a submission) and is sent to a server without a control API only with
#: ``allow_writes``.
READ_ONLY_OPERATIONS = frozenset(
    {
        "payments.status",
        "payments.quota",
        "attendance.status",
        "tpm.submission_status",
        "sso.login_url",
        "sso.consent_page",
        "sso.profile",
    }
)


@attrs.define
class Target:
    """The server under check: how to reach it, the credentials known for each role, its control API."""

    contract: Contract
    schemas: ContractSchemas
    wire: Wire
    settings: PropertySettings
    pool: ValuePool
    primary: Credentials
    roles: dict[str, Credentials]
    strangers: list[Credentials]
    control: ControlApi | None
    allow_writes: bool
    operation_ids: tuple[str, ...]
    sso_strangers: list[Credentials] = attrs.field(factory=list)
    #: Whether the run may reset the sandbox (``POST /_sandbox/reset``): only one it created, or when asked.
    allow_reset: bool = True
    timestamp_window: int = 300
    progress: Callable[[str], None] = attrs.field(default=lambda _line: None)
    scenarios: Counter[str] = attrs.field(factory=Counter)

    def operation(self, operation_id: str) -> Operation:
        """The contract operation ``operation_id``."""
        return self.contract.operation(operation_id)

    def schemas_of(self, operation_id: str) -> OperationSchemas:
        """The resolved schemas of ``operation_id``."""
        return self.schemas[operation_id]

    def actor(self, operation_id: str) -> str | None:
        """``DP`` or ``LP``: who calls ``operation_id`` (``x-actor``)."""
        value = self.operation(operation_id).spec.get("x-actor")
        return str(value) if value else None

    def checks_role(self, operation_id: str) -> bool:
        """Whether the server refuses the other partner type here (integration operations; SSO does not)."""
        return self.operation(operation_id).signing == "integration"

    def credentials_for(self, operation_id: str) -> Credentials | None:
        """Credentials allowed to call ``operation_id``, or ``None`` when the run has none of that role."""
        actor = self.actor(operation_id)
        if actor in self.roles:
            return self.roles[actor]
        if not self.checks_role(operation_id):
            return self.roles.get("LP", self.primary)
        return None

    def is_write(self, operation_id: str) -> bool:
        """Whether ``operation_id`` has side effects on the server."""
        return operation_id not in READ_ONLY_OPERATIONS

    def write_skip_reason(self, operation_id: str) -> str | None:
        """Why a write must not be sent to this server, or ``None`` when it may be."""
        if not self.is_write(operation_id) or self.allow_writes:
            return None
        return (
            f"{operation_id} has side effects and this server has no sandbox control API to reset it; "
            "pass --allow-writes to send it anyway"
        )

    def missing_role_reason(self, operation_id: str) -> str:
        """Why a check that needs the operation's own role cannot run."""
        actor = self.actor(operation_id) or "?"
        return (
            f"{operation_id} is called by a {actor}; the run has no {actor} credentials "
            f"(pass --{actor.lower()}-client-code and --{actor.lower()}-sign-key)"
        )
