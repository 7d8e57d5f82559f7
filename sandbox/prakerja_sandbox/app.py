"""The sandbox application factory."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import flask

from prakerja.contract import load_contract
from prakerja_sandbox import control, leniency, pages, workspaces
from prakerja_sandbox.api import attendance, payments, sso, tpm
from prakerja_sandbox.api.common import log_request
from prakerja_sandbox.clock import Clock
from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.context import EXTENSION_KEY, WORKSPACE_KEY, Sandbox, current_sandbox
from prakerja_sandbox.converters import register_converters
from prakerja_sandbox.errors import register_error_handlers
from prakerja_sandbox.request_log import RequestLog
from prakerja_sandbox.routing import SandboxFlask
from prakerja_sandbox.seed import load_seed_file, reset
from prakerja_sandbox.storage import open_store

__all__ = ["BLUEPRINTS", "create_app", "reset_sandbox"]

#: Every blueprint of the sandbox, registered in this order. A new area adds its blueprint here.
BLUEPRINTS: tuple[flask.Blueprint, ...] = (
    payments.bp,
    attendance.bp,
    tpm.bp,
    sso.bp,
    pages.bp,
    control.bp,
)


def _config(config: SandboxConfig | Mapping[str, Any] | None) -> SandboxConfig:
    if config is None:
        return SandboxConfig()
    if isinstance(config, SandboxConfig):
        return config
    return SandboxConfig.from_mapping(config)


def reset_sandbox(sandbox: Sandbox) -> None:
    """Bring ``sandbox`` back to its starting state (seeded when its config says so)."""
    document = load_seed_file(sandbox.config.seed_file, sandbox.contract) if sandbox.config.seed else None
    reset(
        sandbox.store,
        sandbox.clock,
        sandbox.contract,
        document=document,
        clock_offset_seconds=sandbox.config.clock_offset_seconds,
    )


def _start_request() -> None:
    flask.g.started = time.perf_counter()
    leniency.start_request()
    workspace = workspaces.select(flask.current_app, flask.request.environ)
    if workspace is not None:
        setattr(flask.g, WORKSPACE_KEY, workspace)
    sandbox = current_sandbox()
    flask.g.clock_pin = sandbox.clock.pin()
    flask.g.state_pin = sandbox.state.pin()


def _end_request(_: BaseException | None) -> None:
    sandbox = current_sandbox()
    token = flask.g.pop("clock_pin", None)
    if token is not None:
        sandbox.clock.unpin(token)
    state_token = flask.g.pop("state_pin", None)
    if state_token is not None:
        sandbox.state.unpin(state_token)


def create_app(config: SandboxConfig | Mapping[str, Any] | None = None) -> flask.Flask:
    """A sandbox Flask app. With no config: an in-memory database, freshly seeded.

    A file database that already holds partners keeps its state (several worker processes share one file);
    an empty one is seeded.
    """
    settings = _config(config)
    contract = load_contract(settings.contract_root)
    store = open_store(settings.database)
    clock = Clock(store)
    batch = 0.0 if settings.in_memory else settings.request_log_batch_ms / 1000
    sandbox = Sandbox(
        config=settings,
        contract=contract,
        store=store,
        clock=clock,
        request_log=RequestLog(store, batch_seconds=batch, max_rows=settings.request_log_max_rows),
    )
    with store.transaction() as tx:  # one transaction: worker processes sharing a new file seed it once
        if (
            tx.one("SELECT key FROM kv LIMIT 1") is None
            and tx.one("SELECT code FROM partners LIMIT 1") is None
        ):
            reset_sandbox(sandbox)

    app = SandboxFlask("prakerja_sandbox")  # URL builders compiled once per process (see routing.py)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.extensions[EXTENSION_KEY] = sandbox
    registry = workspaces.Workspaces(sandbox)
    app.extensions[workspaces.EXTENSION_KEY] = registry
    sandbox.on_close.append(registry.close)
    app.wsgi_app = workspaces.WorkspaceMiddleware(app.wsgi_app)  # type: ignore[method-assign]
    register_error_handlers(app)
    register_converters(app)
    app.before_request(_start_request)
    app.teardown_request(_end_request)
    app.after_request(log_request)
    app.after_request(leniency.finish_response)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app
