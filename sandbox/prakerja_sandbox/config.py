"""Settings of one sandbox instance."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import attrs

__all__ = ["OtpMode", "RefusalStatus", "SandboxConfig"]

OtpMode = Literal["fixed", "random"]
#: ``"400"``: every refusal of a partner call answers HTTP 400, as every documented Prakerja error does;
#: ``"catalogue"``: each code's own status from ``contracts/errors.yaml`` (401, 403, 413, 415, ...).
RefusalStatus = Literal["400", "catalogue"]


def _otp_mode(value: object) -> OtpMode:
    if value == "fixed":
        return "fixed"
    if value == "random":
        return "random"
    raise ValueError(f"otp_mode must be 'fixed' or 'random', not {value!r}")


def _refusal_status(value: object) -> RefusalStatus:
    text = str(value)
    if text == "400":
        return "400"
    if text == "catalogue":
        return "catalogue"
    raise ValueError(f"refusal_status must be '400' or 'catalogue', not {value!r}")


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


@attrs.frozen(kw_only=True)
class SandboxConfig:
    """How a sandbox runs.

    ``database`` is a SQLite file path, ``":memory:"`` or a PostgreSQL URL; ``seed_file`` ``None`` means the contract's
    ``partners.yaml``. Times are in seconds, sizes in bytes.
    """

    database: str = ":memory:"
    seed: bool = True
    seed_file: Path | None = attrs.field(default=None, converter=_optional_path)
    contract_root: Path | None = attrs.field(default=None, converter=_optional_path)
    timestamp_tolerance_seconds: int = attrs.field(default=300, validator=attrs.validators.ge(0))
    clock_offset_seconds: int = 0
    otp_mode: OtpMode = attrs.field(default="fixed", converter=_otp_mode)
    max_body_bytes: int = attrs.field(default=65536, validator=attrs.validators.ge(1))
    sandbox_debug: bool = True
    control_api: bool = True
    control_token: str | None = None
    public_base_url: str | None = None
    #: host names (besides loopback names and IP addresses) under which ``/_sandbox`` answers; ``*``: any
    allowed_hosts: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    #: refuse every request the sandbox would accept only through a lenient path (``Prakerja-Sandbox-Warning``)
    strict: bool = False
    refusal_status: RefusalStatus = attrs.field(default="400", converter=_refusal_status)
    #: a file database writes the request log in batches at most this long apart (0: every row at once)
    request_log_batch_ms: int = attrs.field(default=50, validator=attrs.validators.ge(0))
    #: the request log keeps about this many newest rows; older ones are dropped first (0: no bound)
    request_log_max_rows: int = attrs.field(default=100_000, validator=attrs.validators.ge(0))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SandboxConfig:
        """Build a config from a plain mapping (CLI options, a test's overrides); unknown keys are refused."""
        known = {field.name for field in attrs.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown sandbox setting(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**dict(values))

    @property
    def in_memory(self) -> bool:
        """Whether the state lives only as long as the process."""
        return self.database == ":memory:"
