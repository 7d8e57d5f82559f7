"""Serving the sandbox over a real socket with gunicorn and its gevent worker.

Partners' own code (PHP, Go, Node, Java, ...) talks to the sandbox over HTTP, so it runs behind a production
WSGI server rather than Werkzeug's development server. The worker is :class:`~prakerja_sandbox.worker.
SandboxWorker` (gevent: a slow or stalled client costs a greenlet, not a thread, and every read has a
deadline); ``docs/performance.md`` compares it with gunicorn's threaded worker and with granian. Settings that
matter:

- ``header_map = "dangerous"``: gunicorn 22+ drops header names with underscores by default, and every
  Prakerja sample client sends ``client_code``;
- the database is prepared (created, seeded, or wiped with ``reset``) once in the master process before any
  worker forks, so several workers never seed twice. Workers open their own connections;
- each worker freezes its heap once its app is built (:func:`_freeze_heap`): the contract, the compiled
  schemas and the modules stay out of the garbage collector's full collections, which otherwise stopped every
  connection of the worker for 30 to 130 ms each time under the read benchmark's load (measured with
  ``gc.callbacks``; frozen, they took under 2 ms).

``:memory:`` lives inside one process, so it is only served by a single worker that seeds its own copy.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import attrs
import flask
from gunicorn.app.base import BaseApplication

from prakerja_sandbox.app import create_app, reset_sandbox
from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.context import EXTENSION_KEY, Sandbox
from prakerja_sandbox.redaction import masked_key
from prakerja_sandbox.request_log import LogBoard
from prakerja_sandbox.worker import timed_bodies, worker_class

__all__ = ["PartnerCredentials", "SandboxServer", "ServeOptions", "credentials_table", "prepare", "serve"]


@attrs.frozen(kw_only=True)
class ServeOptions:
    """Where and how the sandbox listens. ``port`` 0 picks a free port (printed when ready)."""

    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = attrs.field(default=1, validator=attrs.validators.ge(1))
    #: Open connections one worker serves at once (each a greenlet: idle or stalled ones cost little).
    connections: int = attrs.field(default=1000, validator=attrs.validators.ge(1))
    #: Seconds each read of a request body may take before the request is answered 408 and closed.
    read_timeout_seconds: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    log_level: str = "info"
    access_log: bool = True
    graceful_timeout_seconds: int = 5
    #: How long an idle keep-alive connection stays open. Longer than the idle expiry of common client pools
    #: (httpx and Node 5 s; urllib3 and Go keep connections until the server closes them), so a pooled
    #: connection is not closed by the sandbox while a client is sending its next request on it; that race
    #: surfaces in load tests as a connection reset on a request that may or may not have been applied.
    keepalive_seconds: int = attrs.field(default=75, validator=attrs.validators.ge(0))


@attrs.frozen
class PartnerCredentials:
    """One row of the credentials table printed at start-up."""

    role: str
    name: str
    client_code: str
    sign_key: str
    status: str


def _sandbox_of(app: flask.Flask) -> Sandbox:
    sandbox = app.extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    return sandbox


def prepare(config: SandboxConfig, *, reset: bool = False) -> list[PartnerCredentials]:
    """Create the database (seeding it when new), wipe and reseed it when ``reset``; list its partners.

    Runs in the master process before the workers fork; the connections it opened are closed again.
    """
    sandbox = _sandbox_of(create_app(config))
    try:
        if reset:
            reset_sandbox(sandbox)
        with sandbox.store.read() as tx:
            rows = tx.all(
                "SELECT kind, name, client_code, sign_key, status FROM partners "
                "ORDER BY CASE kind WHEN 'DP' THEN 0 ELSE 1 END, rowid"
            )
    finally:
        sandbox.close()
    return [
        PartnerCredentials(
            role=str(row["kind"]),
            name=str(row["name"]),
            client_code=str(row["client_code"]),
            sign_key=str(row["sign_key"]),
            status=str(row["status"]),
        )
        for row in rows
    ]


def credentials_table(partners: list[PartnerCredentials]) -> str:
    """A compact, aligned text table of the partners: client codes in full, sign keys masked (never logged)."""
    header = ("role", "name", "client_code", "sign_key", "status")
    rows = [header, *((p.role, p.name, p.client_code, masked_key(p.sign_key), p.status) for p in partners)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _worker_exit(_arbiter: Any, worker: Any) -> None:
    """Write the worker's queued request log before it goes (gunicorn ``worker_exit``)."""
    app = getattr(worker, "wsgi", None)
    if isinstance(app, flask.Flask):
        _sandbox_of(app).request_log.close()


def _freeze_heap(_worker: Any) -> None:
    """Move everything the worker holds after building its app into the collector's permanent generation.

    gunicorn ``post_worker_init``. A full collection walks every tracked object, and a worker's are mostly the
    contract, compiled schemas and modules it keeps until it exits; under load a full collection came every few
    seconds and, in a gevent worker, paused all of its connections for its whole length. Objects made later
    (requests) are collected as before; cyclic garbage left from start-up is collected first.
    """
    gc.collect()
    gc.freeze()


class SandboxServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running the sandbox app; each worker builds its own app on the prepared database."""

    def __init__(
        self,
        config: SandboxConfig,
        options: ServeOptions,
        *,
        on_ready: Callable[[str, int], None] | None = None,
    ) -> None:
        self._config = config
        self._options = options
        self._on_ready = on_ready
        # made before the workers fork, so they all share it (replacement workers reuse the slots of dead ones)
        self._log_board = LogBoard(slots=4 * options.workers + 4)
        super().__init__()

    def _settings(self) -> Mapping[str, Any]:
        options = self._options
        return {
            "bind": f"{options.host}:{options.port}",
            "workers": options.workers,
            "worker_class": worker_class(read_timeout=options.read_timeout_seconds),
            "worker_connections": options.connections,
            "header_map": "dangerous",
            "loglevel": options.log_level,
            "accesslog": "-" if options.access_log else None,
            "graceful_timeout": options.graceful_timeout_seconds,
            "keepalive": options.keepalive_seconds,
            "control_socket_disable": True,
            "preload_app": False,
            "when_ready": self._when_ready,
            "post_worker_init": _freeze_heap,
            "worker_exit": _worker_exit,
        }

    def load_config(self) -> None:
        for key, value in self._settings().items():
            self.cfg.set(key, value)

    def load(self) -> flask.Flask:
        app = create_app(self._config)
        _sandbox_of(app).request_log.share(self._log_board)
        app.wsgi_app = timed_bodies(app.wsgi_app)  # type: ignore[method-assign]
        return app

    def _when_ready(self, arbiter: Any) -> None:
        if self._on_ready is None:
            return
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        self._on_ready(str(host), int(port))


def _print_banner(out: TextIO, partners: list[PartnerCredentials], host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    lines = [
        "Prakerja sandbox: the seeded partners. Sign keys are never printed; read them with",
        "GET /_sandbox/partners or from the seed file (contracts/partners.yaml unless --seed-file).",
        "",
        credentials_table(partners) if partners else "(no partners: the database was not seeded)",
        "",
        f"Prakerja API   {base}  (integration, SSO and OAuth servers on one host)",
        f"Dashboard      {base}/_sandbox/",
        f"Control API    {base}/_sandbox  (see docs/sandbox.md)",
        f"Listening on {base}",
    ]
    out.write("\n".join(lines) + "\n")
    out.flush()


def _log_to_stderr(level: str) -> None:
    """Print the sandbox's own log (e.g. synthetic seed progress) next to gunicorn's, at ``level``."""
    logger = logging.getLogger("prakerja_sandbox")
    logger.setLevel(level.upper())
    if not any(getattr(handler, "prakerja_sandbox", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s"))
        handler.prakerja_sandbox = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


def serve(
    config: SandboxConfig,
    options: ServeOptions,
    *,
    reset: bool = False,
    out: TextIO | None = None,
) -> None:
    """Prepare the database, print the credentials and serve until SIGINT or SIGTERM (then exit 0)."""
    stream = sys.stdout if out is None else out
    if config.in_memory and options.workers > 1:
        raise ValueError("an in-memory database lives in one process: use --workers 1 or a database file")
    _log_to_stderr(options.log_level)
    partners = prepare(config, reset=reset and not config.in_memory)

    def announce(host: str, port: int) -> None:
        _print_banner(stream, partners, host, port)

    SandboxServer(config, options, on_ready=announce).run()
