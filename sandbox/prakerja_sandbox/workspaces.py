"""Workspaces: isolated copies of the seeded world inside one sandbox, chosen by a path prefix.

A workspace has its own partners and keys, participants, codes, transactions, clock, faults, SMS inbox and
request log, and its own control token. Every URL of the sandbox works under ``/_workspaces/<name>``: the
Prakerja API, the pages and the control API (``/_workspaces/ci-42/api/v1/...``,
``/_workspaces/ci-42/_sandbox/reset``). Without the prefix a request goes to the default workspace, which is
the sandbox as it always was.

**Why a path prefix.** Any client reaches a workspace by changing its base URL alone: no custom header to
teach every partner's HTTP code, and no second set of credentials to copy. The pages the sandbox hands out
(attendance verification, SSO consent) carry the prefix in their URLs, so a browser stays in the workspace
too. A signed request signs the path it sends, prefix included (as the SDK and the sample clients do).

Where the state lives: on PostgreSQL, a schema per workspace (``ws_<name>``, or ``<schema>_ws_<name>`` next to
a sandbox in schema ``<schema>``) of the sandbox's database; on a
SQLite file, a file next to it (``<stem>.ws-<name>.sqlite3``); in memory, a database of the process's own. The
registry (table ``workspaces``) is in the default workspace's database, so every instance of a shared sandbox
sees a workspace made through any of them. Each worker opens a workspace the first time a request names it.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import flask

from prakerja_sandbox.clock import Clock
from prakerja_sandbox.context import Sandbox
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.request_log import RequestLog
from prakerja_sandbox.storage import is_postgresql_url, open_store

__all__ = [
    "ENVIRON_KEY",
    "PREFIX",
    "WorkspaceMiddleware",
    "Workspaces",
    "workspace_database",
    "workspaces_of",
]

PREFIX = "/_workspaces/"
#: the WSGI environ key the middleware leaves the workspace name under
ENVIRON_KEY = "prakerja_sandbox.workspace"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
#: the Flask app extension holding the app's :class:`Workspaces`
EXTENSION_KEY = "prakerja_sandbox.workspaces"


class WorkspaceMiddleware:
    """Moves ``/_workspaces/<name>`` from ``PATH_INFO`` to ``SCRIPT_NAME`` (where a mounted app's prefix goes)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            name, slash, rest = path[len(PREFIX) :].partition("/")
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PREFIX + name
            environ["PATH_INFO"] = slash + rest
            environ[ENVIRON_KEY] = name
        return self.app(environ, start_response)


def workspace_database(database: str, name: str) -> tuple[str, str | None]:
    """Where workspace ``name`` of the sandbox on ``database`` keeps its state: ``(database, schema)``."""
    if is_postgresql_url(database):
        from prakerja_sandbox.storage.postgresql import split_schema

        base = split_schema(database)[1] or "public"
        return database, f"ws_{name}" if base == "public" else f"{base}_ws_{name}"
    if database == ":memory:":
        return database, None
    path = Path(database)
    return str(path.with_name(f"{path.stem}.ws-{name}{path.suffix or '.sqlite3'}")), None


def _drop_sqlite_files(database: str) -> None:
    for suffix in ("", "-wal", "-shm", "-writer"):
        Path(database + suffix).unlink(missing_ok=True)


@attrs.define
class Workspaces:
    """The workspaces of one sandbox, as one worker sees them (opened on first use)."""

    default: Sandbox
    #: builds a workspace's state from its name (seeded by the caller when new)
    _open: dict[str, Sandbox] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def _token(self, name: str) -> str | None:
        with self.default.store.read() as tx:
            token = tx.scalar("SELECT control_token FROM workspaces WHERE name = ?", (name,))
        return None if token is None else str(token)

    def _build(self, name: str, token: str) -> Sandbox:
        database, schema = workspace_database(self.default.config.database, name)
        store = open_store(database, schema=schema)
        config = attrs.evolve(self.default.config, database=database, control_token=token)
        return Sandbox(
            config=config,
            contract=self.default.contract,
            store=store,
            clock=Clock(store),
            # written at once: other workers do not wait for this log's queue as they do for the default's
            request_log=RequestLog(store, batch_seconds=0.0),
            validators=self.default.validators,
            before_operation=self.default.before_operation,
        )

    def get(self, name: str) -> Sandbox:
        """The workspace ``name``; ``ERRPLT40401`` when there is none (or it was deleted, by any instance)."""
        token = self._token(name) if NAME.fullmatch(name) else None
        with self._lock:
            found = self._open.get(name)
            if token is None or (found is not None and found.config.control_token != token):
                if found is not None:  # deleted (and perhaps made again) through another worker or instance
                    self._open.pop(name).close()
                if token is None:
                    raise ApiError(
                        "ERRPLT40401", detail=f"no workspace {name!r}; make one: POST /_sandbox/workspaces"
                    )
            if name not in self._open:
                self._open[name] = self._build(name, token)
            return self._open[name]

    def names(self) -> list[dict[str, Any]]:
        """Every workspace (name and creation time; never the token)."""
        with self.default.store.read() as tx:
            return tx.all("SELECT name, created_at FROM workspaces ORDER BY name")

    def create(self, name: str | None, seed: Callable[[Sandbox], None]) -> tuple[str, str]:
        """Make a seeded workspace (a random name when ``name`` is ``None``); its name and control token."""
        if name is None:
            name = f"ws-{secrets.token_hex(4)}"
        if not NAME.fullmatch(name):
            raise ApiError(
                "ERRPLT40005",
                field="name",
                detail="1 to 40 of a-z, 0-9 and '-', starting with a letter or digit",
            )
        token = secrets.token_urlsafe(24)
        with self.default.store.transaction() as tx:
            if tx.scalar("SELECT name FROM workspaces WHERE name = ?", (name,)) is not None:
                raise ApiError("ERRPLT40005", field="name", detail=f"workspace {name!r} exists already")
            tx.execute(
                "INSERT INTO workspaces (name, control_token, created_at) VALUES (?, ?, ?)",
                (name, token, self.default.clock.now_text()),
            )
        sandbox = self.get(name)
        try:
            sandbox.store.wipe()  # a workspace of the same name deleted earlier may have left rows behind
            seed(sandbox)
        except BaseException:
            self.delete(name)
            raise
        return name, token

    def delete(self, name: str) -> None:
        """Forget workspace ``name`` and drop its state."""
        with self.default.store.transaction() as tx:
            if not tx.execute("DELETE FROM workspaces WHERE name = ?", (name,)):
                raise ApiError("ERRPLT40401", detail=f"no workspace {name!r}")
        with self._lock:
            found = self._open.pop(name, None)
        if found is not None:
            found.close()
        database, schema = workspace_database(self.default.config.database, name)
        if schema is not None:
            with self.default.store.transaction() as tx:
                tx.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        elif database != ":memory:":
            _drop_sqlite_files(database)

    def close(self) -> None:
        """Close every workspace this worker opened."""
        with self._lock:
            opened, self._open = list(self._open.values()), {}
        for sandbox in opened:
            sandbox.close()


def workspaces_of(app: flask.Flask) -> Workspaces:
    """The workspaces of ``app``."""
    found = app.extensions[EXTENSION_KEY]
    assert isinstance(found, Workspaces)
    return found


def select(app: flask.Flask, environ: dict[str, Any]) -> Sandbox | None:
    """The workspace a request names (``None``: the default one); ``ERRPLT40401`` for an unknown name."""
    name = environ.get(ENVIRON_KEY)
    return None if name is None else workspaces_of(app).get(name)
