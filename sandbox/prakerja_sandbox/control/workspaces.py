"""Control API: make, list and delete workspaces (see :mod:`prakerja_sandbox.workspaces`).

Only the default workspace makes and lists workspaces; a workspace may delete itself with its own token, so a
test run that made one needs nothing more to clean up.
"""

from __future__ import annotations

import flask

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.control.inputs import json_body
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.workspaces import ENVIRON_KEY, NAME, PREFIX, Workspaces, workspaces_of

__all__ = ["bp"]

bp = flask.Blueprint("workspaces", __name__)


def _registry(*, default_only: bool) -> Workspaces:
    if default_only and flask.request.environ.get(ENVIRON_KEY) is not None:
        raise ApiError("ERRPLT40401", detail="workspaces are made and listed by the default workspace only")
    return workspaces_of(flask.current_app)


@bp.post("/workspaces")
def create_workspace() -> flask.Response:
    """Make a seeded workspace: ``{"name": "ci-42"}`` (optional). Its control token is shown only here."""
    from prakerja_sandbox.app import reset_sandbox  # the app module registers this blueprint

    registry = _registry(default_only=True)
    name = json_body({"name"}).text("name", pattern=NAME.pattern, max_length=40)
    name, token = registry.create(name, reset_sandbox)
    path = PREFIX + name
    return ok(
        {
            "name": name,
            "control_token": token,
            "path": path,
            "base_url": flask.request.host_url.rstrip("/") + flask.request.script_root + path,
        },
        message="workspace created",
        status=201,
    )


@bp.get("/workspaces")
def list_workspaces() -> flask.Response:
    """Every workspace's name and creation time."""
    return ok(_registry(default_only=True).names())


@bp.delete("/workspaces/<name>")
def delete_workspace(name: str) -> flask.Response:
    """Delete a workspace and its state (from the default workspace, or from the workspace itself)."""
    current = flask.request.environ.get(ENVIRON_KEY)
    if current is not None and current != name:
        raise ApiError("ERRPLT40401", detail="a workspace may delete only itself")
    current_sandbox().request_log.settle()
    _registry(default_only=False).delete(name)
    return ok({"name": name}, message="workspace deleted")
