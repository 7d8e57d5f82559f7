"""What the participant-facing pages share: the sandbox's public address and page rendering."""

from __future__ import annotations

from typing import Any

import flask

from prakerja_sandbox.context import Sandbox

__all__ = ["HTML_HEADERS", "public_base_url", "render_page"]

#: Pages are never cached (each holds a one-time state) and never framed.
HTML_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def public_base_url(sandbox: Sandbox) -> str:
    """The address partners' browsers reach the sandbox at: the configured one, else the request's host.

    A workspace's pages are under its prefix (``flask.request.script_root``, empty for the default one).
    """
    configured = sandbox.config.public_base_url
    return (configured or flask.request.host_url).rstrip("/") + flask.request.script_root


def render_page(template: str, *, status: int = 200, **context: Any) -> flask.Response:
    """Render ``pages/<template>`` as an HTML response with the pages' headers."""
    response = flask.make_response(flask.render_template(f"pages/{template}", **context), status)
    response.headers.update(HTML_HEADERS)
    return response
