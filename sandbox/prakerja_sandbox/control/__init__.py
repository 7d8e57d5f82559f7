"""The sandbox control API and dashboard under ``/_sandbox``.

The control API is JSON, apart from the partner-facing Prakerja API: it resets and seeds the state, reads the
SMS inbox, moves the clock, injects faults and shows what the partner's calls did. Its refusals use the
catalogue envelope too. ``SandboxConfig(control_api=False)`` turns it off (404 ERRPLT40401 for every path and
method); with a ``control_token`` every call needs ``Authorization: Bearer <token>`` or
``X-Sandbox-Token: <token>`` (the dashboard takes ``?token=`` once and keeps it in a cookie). Who may call it
at all (Host allow-list, Origin, JSON content type) is :mod:`prakerja_sandbox.control.guard`.
"""

from __future__ import annotations

import flask
from werkzeug.wrappers import Response as WerkzeugResponse

from prakerja_sandbox import faults
from prakerja_sandbox.bodies import refuse_nul
from prakerja_sandbox.control.catalog import bp as catalog_bp
from prakerja_sandbox.control.dashboard import bp as dashboard_bp
from prakerja_sandbox.control.guard import (
    CONTROL_TOKEN_CODE,
    guard_control_request,
    hide_query_token,
    turned_off,
)
from prakerja_sandbox.control.observe import bp as observe_bp
from prakerja_sandbox.control.shortcuts import bp as shortcuts_bp
from prakerja_sandbox.control.state import bp as state_bp
from prakerja_sandbox.control.tools import bp as tools_bp
from prakerja_sandbox.control.workspaces import bp as workspaces_bp

__all__ = ["CONTROL_TOKEN_CODE", "bp"]

bp = flask.Blueprint("control", __name__, url_prefix="/_sandbox")
for _child in (state_bp, catalog_bp, observe_bp, tools_bp, shortcuts_bp, dashboard_bp, workspaces_bp):
    bp.register_blueprint(_child)


@bp.before_app_request
def _before_any_route() -> None:
    # app-wide, so it also runs for a path under /_sandbox that matches no route or no method
    hide_query_token()
    turned_off()


@bp.before_request
def _guard() -> WerkzeugResponse | None:
    return guard_control_request()


@bp.before_request
def _refuse_nul_in_query_and_path() -> None:
    """ERRPLT40005 for U+0000 in a query parameter or a path segment, as in a body (see ``refuse_nul``)."""
    request = flask.request
    refuse_nul(request.view_args or {})
    for name, value in request.args.items(multi=True):
        refuse_nul({name: value})


@bp.record_once
def _install_fault_hooks(setup: flask.blueprints.BlueprintSetupState) -> None:
    faults.install(setup.app)
