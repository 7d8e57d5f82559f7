"""Serve a WSGI app (the sandbox) on a free local port, in a background thread, for code that needs a URL.

The standard library's WSGI server keeps header names with underscores (``client_code``), as Prakerja's
own gateway does; many production servers drop them.
"""

from __future__ import annotations

import socketserver
import threading
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import WSGIApplication

from prakerja._logging import get_logger

__all__ = ["ServedApp", "serve"]

_log = get_logger("prakerja.testing.server")


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s - %s", self.address_string(), format % args)


class ServedApp:
    """A running server: ``url`` is its base URL; ``close()`` (or leaving ``with``) stops it."""

    def __init__(self, app: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        bound_host, bound_port = self._server.server_address[:2]
        self.host = str(bound_host)
        self.port = int(bound_port)
        self.url = f"http://{self.host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"prakerja-serve-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ServedApp:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def serve(app: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0) -> ServedApp:
    """Start serving ``app`` on ``host`` (a free port unless ``port`` is given); returns the running server."""
    return ServedApp(app, host=host, port=port)
