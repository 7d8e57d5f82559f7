"""The sandbox control API and dashboard under ``/_sandbox``.

The control API is JSON, apart from the partner-facing Prakerja API: it resets and seeds the state, reads the
SMS inbox, moves the clock, injects faults and shows what the partner's calls did. Its refusals use the
catalogue envelope too. ``SandboxConfig(control_api=False)`` turns it off (404 ERRPLT40401); with a
``control_token`` every call needs ``Authorization: Bearer <token>`` or ``X-Sandbox-Token: <token>`` (the
dashboard pages also take ``?token=``).
"""

from __future__ import annotations

import hmac

import flask

from prakerja_sandbox import faults
from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.control.catalog import bp as catalog_bp
from prakerja_sandbox.control.dashboard import bp as dashboard_bp
from prakerja_sandbox.control.observe import bp as observe_bp
from prakerja_sandbox.control.shortcuts import bp as shortcuts_bp
from prakerja_sandbox.control.state import bp as state_bp
from prakerja_sandbox.control.tools import bp as tools_bp
from prakerja_sandbox.errors import ApiError

__all__ = ["CONTROL_TOKEN_CODE", "bp"]

#: The refusal of a missing or wrong control token: the catalogue's 401 for a missing or malformed
#: ``Authorization`` header (the catalogue has no code of its own for the sandbox's control token).
CONTROL_TOKEN_CODE = "ERRPLT40108"

bp = flask.Blueprint("control", __name__, url_prefix="/_sandbox")
for _child in (state_bp, catalog_bp, observe_bp, tools_bp, shortcuts_bp, dashboard_bp):
    bp.register_blueprint(_child)


def _presented_token(request: flask.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    header = request.headers.get("X-Sandbox-Token")
    if header:
        return header.strip()
    if (request.endpoint or "").startswith("control.dashboard."):
        return request.values.get("token") or None
    return None


@bp.before_request
def _guard() -> None:
    config = current_sandbox().config
    if not config.control_api:
        raise ApiError(
            "ERRPLT40401", detail="the control API is turned off (control_api=False, --no-control-api)"
        )
    if config.control_token is None or flask.request.endpoint == "control.state.health":
        return
    presented = _presented_token(flask.request)
    if presented is None or not hmac.compare_digest(presented.encode(), config.control_token.encode()):
        raise ApiError(
            CONTROL_TOKEN_CODE,
            field="Authorization",
            detail="the control API needs Authorization: Bearer <control token> or X-Sandbox-Token: <control token>",
        )


@bp.record_once
def _install_fault_hooks(setup: flask.blueprints.BlueprintSetupState) -> None:
    faults.install(setup.app)
