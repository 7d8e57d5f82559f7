"""A local, stateful simulation of the Kartu Prakerja partner API.

>>> from prakerja_sandbox import create_app
>>> app = create_app()               # in memory, seeded from contracts/partners.yaml
"""

from __future__ import annotations

from prakerja._extras import require_extra

require_extra("sandbox", "The Prakerja sandbox (prakerja_sandbox, prakerja-sandbox)")

from prakerja_sandbox.app import create_app, reset_sandbox
from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.context import DomainContext, Sandbox, current_sandbox
from prakerja_sandbox.errors import ApiError

__all__ = [
    "ApiError",
    "DomainContext",
    "Sandbox",
    "SandboxConfig",
    "create_app",
    "current_sandbox",
    "reset_sandbox",
]
