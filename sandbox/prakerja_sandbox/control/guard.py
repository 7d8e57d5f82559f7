"""Who may drive the control API and dashboard under ``/_sandbox``, checked before any of its routes runs.

- **Turned off** (``control_api=False``, ``--no-control-api``): every path under ``/_sandbox``, any method,
  answers 404 ERRPLT40401, so not even a 405 tells which routes exist.
- **Host allow-list** (against DNS rebinding: a page whose name is re-pointed at 127.0.0.1 reaches the sandbox
  with its own name in ``Host``): the ``Host`` must be a loopback name (``localhost``, ``*.localhost``), an IP
  address (a rebinding page cannot present one), the host of ``public_base_url``, or one of
  ``allowed_hosts`` (``--allow-host``; ``*`` allows any). Otherwise 403 ERRPLT40303.
- **Origin** (against cross-site requests): a write (any method but GET, HEAD, OPTIONS) that carries an
  ``Origin`` (or, without one, a ``Referer``) from another origin is refused 403 ERRPLT40304. Browsers send
  ``Origin`` on every cross-origin write; test code and ``curl`` send none.
- **Content type**: a JSON API write with a body must declare ``application/json`` (415 ERRPLT41501): a browser
  can send ``text/plain`` or a form to another site without a preflight, never JSON.
- **Control token** (``control_token``, ``--control-token``): ``Authorization: Bearer``, ``X-Sandbox-Token``,
  or, for the dashboard, a cookie set by opening ``/_sandbox/?token=...`` once: that request is redirected to
  the same page without the token, which is masked in the server's access log, so the token never stays in a
  URL, a link or a log.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from urllib.parse import urlsplit

import flask
from werkzeug.wrappers import Response as WerkzeugResponse

from prakerja_sandbox.config import SandboxConfig
from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.errors import ApiError

__all__ = [
    "CONTROL_TOKEN_CODE",
    "TOKEN_COOKIE",
    "check_host",
    "check_same_origin",
    "guard_control_request",
    "hide_query_token",
    "turned_off",
]

#: The refusal of a missing or wrong control token: the catalogue's 401 for a missing or malformed
#: ``Authorization`` header (the catalogue has no code of its own for the sandbox's control token).
CONTROL_TOKEN_CODE = "ERRPLT40108"
#: The dashboard's cookie, holding the control token after a one-time ``?token=`` exchange.
TOKEN_COOKIE = "prakerja_sandbox_token"

_PREFIX = "/_sandbox"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_QUERY_TOKEN = re.compile(r"(?i)((?:^|[?&])token=)[^&#\s]*")
_OPEN_ENDPOINTS = frozenset({"control.state.health"})


def _under_control(path: str) -> bool:
    return path == _PREFIX or path.startswith(_PREFIX + "/")


def turned_off() -> None:
    """404 for every request under ``/_sandbox`` when the control API is off (runs before routing errors)."""
    if _under_control(flask.request.path) and not current_sandbox().config.control_api:
        raise ApiError(
            "ERRPLT40401", detail="the control API is turned off (control_api=False, --no-control-api)"
        )


def hide_query_token() -> None:
    """Mask ``token=`` in the request line the server's access log prints (it reads the WSGI environ)."""
    environ = flask.request.environ
    for key in ("RAW_URI", "REQUEST_URI", "QUERY_STRING"):
        value = environ.get(key)
        if isinstance(value, str) and "token=" in value.lower():
            environ[key] = _QUERY_TOKEN.sub(r"\1[hidden]", value)


def _host_allowed(hostname: str, config: SandboxConfig) -> bool:
    name = hostname.lower().rstrip(".")
    allowed = {host.lower() for host in config.allowed_hosts}
    if config.public_base_url:
        allowed.add((urlsplit(config.public_base_url).hostname or "").lower())
    if "*" in allowed or name in allowed or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_host(config: SandboxConfig) -> None:
    """Refuse a ``Host`` that is not allowed (403 ERRPLT40303)."""
    host = flask.request.host
    hostname = urlsplit(f"//{host}").hostname or ""
    if not _host_allowed(hostname, config):
        raise ApiError(
            "ERRPLT40303",
            field="Host",
            detail=f"the control API answers loopback names and IP addresses only, not Host {host!r}; "
            f"start the sandbox with --allow-host {hostname or 'NAME'} to share it under that name",
        )


def check_same_origin() -> None:
    """Refuse a write whose ``Origin`` (or ``Referer``) is another site (403 ERRPLT40304)."""
    request = flask.request
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None:
        return
    if origin.strip().lower() == "null" or urlsplit(origin).netloc.lower() != request.host.lower():
        raise ApiError(
            "ERRPLT40304",
            field="Origin",
            detail=f"the sandbox's control API and dashboard take writes from their own origin only, not {origin!r}",
        )


def _check_json_write() -> None:
    request = flask.request
    has_body = (
        bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )
    mimetype = request.mimetype
    if not has_body and not mimetype:
        return
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(
            "ERRPLT41501",
            field="Content-Type",
            detail=f"the control API takes JSON bodies only (Content-Type {mimetype or 'missing'!r}); "
            "send Content-Type: application/json",
        )


def _is_dashboard(endpoint: str) -> bool:
    return endpoint.startswith("control.dashboard.")


def _presented_token(request: flask.Request, dashboard: bool) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    header = request.headers.get("X-Sandbox-Token")
    if header:
        return header.strip()
    if dashboard:
        return request.cookies.get(TOKEN_COOKIE) or request.form.get("token") or None
    return None


def _matches(presented: str | None, token: str) -> bool:
    return presented is not None and hmac.compare_digest(presented.encode(), token.encode())


def _exchange_query_token(token: str) -> WerkzeugResponse | None:
    """``GET /_sandbox/?token=...``: the cookie, and the same page without the token in its address."""
    request = flask.request
    presented = request.args.get("token")
    if presented is None or request.method not in _SAFE_METHODS or not _matches(presented, token):
        return None
    kept = _QUERY_TOKEN.sub("", request.query_string.decode("latin-1")).lstrip("&")
    path = request.script_root + request.path  # a workspace's dashboard stays under its prefix
    response = flask.redirect(f"{path}?{kept}" if kept else path, code=303)
    cookie_path = request.script_root + _PREFIX  # each workspace's token only goes to its own dashboard
    response.set_cookie(TOKEN_COOKIE, token, path=cookie_path, httponly=True, samesite="Strict")
    return response


def guard_control_request() -> WerkzeugResponse | None:
    """Every check of the module docstring, in order, for a request routed under ``/_sandbox``."""
    config = current_sandbox().config
    endpoint = flask.request.endpoint or ""
    if endpoint in _OPEN_ENDPOINTS:
        return None
    check_host(config)
    dashboard = _is_dashboard(endpoint)
    if flask.request.method not in _SAFE_METHODS:
        check_same_origin()
        if not dashboard:
            _check_json_write()
    if config.control_token is None:
        return None
    if dashboard:
        exchanged = _exchange_query_token(config.control_token)
        if exchanged is not None:
            return exchanged
    if not _matches(_presented_token(flask.request, dashboard), config.control_token):
        raise ApiError(
            CONTROL_TOKEN_CODE,
            field="Authorization",
            detail="the control API needs Authorization: Bearer <control token> or X-Sandbox-Token: <control token>"
            + ("; open the dashboard once as /_sandbox/?token=<control token>" if dashboard else ""),
        )
    return None
