"""Where the recording proxy sends each request: one upstream, or one per Prakerja server, and how it trusts them.

Prakerja serves its operations from more than one host (see :mod:`prakerja.environments`): the integration
API, the SSO API and the SSO consent page. The contract names each operation's server (``x-server-name`` in
``contracts/openapi.yaml``, :attr:`prakerja.contract.Operation.server`), so one proxy can record a whole flow,
a purchase and an SSO login alike: the request's path picks the operation, the operation picks the server, and
the server picks the upstream. A path that is no operation of the contract goes to the integration upstream
(and is recorded as an unknown path).

::

    routes = Routes.build(upstreams("production"), load_contract())      # the SDK's production hosts
    routes = Routes.build(upstreams({"integration": "https://api-ssn.prakerja.go.id",
                                     "sso": "https://sso.staging.example"}), load_contract())
    routes.upstream_for("POST", "/api/v1/oauth/token").server           # "sso"

Trust: the upstream's certificate is verified against httpx's default bundle (certifi), against the CA
certificates of ``ca_bundle`` instead (a private CA, a TLS-inspecting corporate network), or not at all with
``insecure``; see :func:`verify_setting`.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Final, get_args

import attrs
import httpx

from prakerja.contract import Contract
from prakerja.environments import PRESETS, Environment, Server

__all__ = ["SERVERS", "Routes", "Upstream", "parse_upstream_options", "upstreams", "verify_setting"]

#: The servers an operation of the contract can live on, in the order the proxy prints them.
SERVERS: Final[tuple[Server, ...]] = get_args(Server)
_DEFAULT: Final[Server] = "integration"


@attrs.frozen
class Upstream:
    """One upstream: the base URL requests for ``server`` are forwarded to."""

    server: Server
    url: str
    #: the base without its path, which the request's own path replaces
    origin: httpx.URL = attrs.field(eq=False, repr=False)
    #: the ``Host`` header the upstream is sent
    host: bytes = attrs.field(eq=False, repr=False)
    #: the base URL's path, put before the request's path (``https://gw.example/prakerja`` -> ``/prakerja``)
    prefix: bytes = attrs.field(eq=False, repr=False)

    @classmethod
    def parse(cls, server: Server, url: str) -> Upstream:
        """The upstream of ``server`` at ``url``; ``ValueError`` when ``url`` is no http(s) URL."""
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL:
            target = httpx.URL()
        if target.scheme not in ("http", "https") or not target.host:
            raise ValueError(
                f"--upstream must be an http(s) URL such as https://api-ssn.prakerja.go.id, not {url!r}"
            )
        return cls(
            server=server,
            url=str(target),
            origin=target.copy_with(path="/", query=None, fragment=None),
            host=target.netloc,
            prefix=target.raw_path.split(b"?", 1)[0].rstrip(b"/"),
        )

    @property
    def tls(self) -> bool:
        """Whether the proxy speaks TLS to this upstream."""
        return self.origin.scheme == "https"

    def target(self, raw_path: bytes) -> httpx.URL:
        """The URL a request for ``raw_path`` (path and query, as the client wrote them) is sent to."""
        return self.origin.copy_with(raw_path=self.prefix + raw_path)


def upstreams(spec: str | Environment | Mapping[str, str]) -> dict[str, str]:
    """The URL of every server: one URL for all, a preset or :class:`Environment`, or a URL per server.

    A mapping names some servers; those it leaves out go to its ``integration`` URL, which it must name.
    """
    if isinstance(spec, Environment):
        return {server: spec.url(server) for server in SERVERS}
    if isinstance(spec, str):
        preset = PRESETS.get(spec.strip().lower())
        if preset is not None:
            return upstreams(preset)
        return dict.fromkeys(SERVERS, spec)
    unknown = sorted(set(spec) - set(SERVERS))
    if unknown:
        raise ValueError(f"unknown server {unknown[0]!r} in --upstream: the servers are {', '.join(SERVERS)}")
    if _DEFAULT not in spec:
        raise ValueError(
            "name the integration upstream too (--upstream integration=URL, or one --upstream URL for every "
            "server): a request that is no operation of the contract goes there"
        )
    return {server: spec.get(server, spec[_DEFAULT]) for server in SERVERS}


def parse_upstream_options(environment: str | None, values: list[str]) -> dict[str, str]:
    """The URL of every server from ``--environment NAME`` and the ``--upstream [SERVER=]URL`` options.

    A bare URL serves every server; ``SERVER=URL`` replaces one server's URL (of the bare URL or of the
    environment). ``ValueError`` says what is wrong with a combination.
    """
    bare = [value for value in values if _named(value) is None]
    named: dict[str, str] = {}
    for value in values:
        pair = _named(value)
        if pair is None:
            continue
        server, url = pair
        if server in named:
            raise ValueError(f"--upstream {server}=... is given twice")
        named[server] = url
    if len(bare) > 1:
        raise ValueError(
            "give one --upstream URL for every server, or name each one: --upstream integration=URL "
            "--upstream sso=URL"
        )
    if bare and environment is not None:
        raise ValueError(
            f"--environment {environment} already names every server's host; replace one with "
            "--upstream SERVER=URL instead of a bare --upstream URL"
        )
    if environment is not None:
        base = upstreams(_preset(environment))
    elif bare:
        base = upstreams(bare[0])
    elif named:
        return upstreams(named)
    else:
        raise ValueError("give --upstream URL (or --environment NAME, or --upstream SERVER=URL per server)")
    return upstreams(base | named)


def _named(value: str) -> tuple[str, str] | None:
    """``("sso", URL)`` for ``sso=URL``; ``None`` for a bare URL (whose query may hold ``=`` too)."""
    name, sep, url = value.partition("=")
    if not sep or "://" in name or "/" in name or "?" in name:
        return None
    return name.strip().lower(), url.strip()


def _preset(name: str) -> Environment:
    preset = PRESETS.get(name.strip().lower())
    if preset is None:
        raise ValueError(f"unknown --environment {name!r}: the SDK knows {', '.join(PRESETS)}")
    return preset


@attrs.frozen
class Routes:
    """The upstream of every server and which server each of the contract's paths is on."""

    upstreams: Mapping[Server, Upstream]
    #: ``(METHOD, path)`` of each operation -> its server
    by_route: Mapping[tuple[str, str], Server] = attrs.field(repr=False)
    #: path -> its server, for a path all of whose operations share one server
    by_path: Mapping[str, Server] = attrs.field(repr=False)

    @classmethod
    def build(cls, urls: Mapping[str, str], contract: Contract) -> Routes:
        """The routes of ``urls`` (from :func:`upstreams`) over ``contract``'s operations."""
        by_route: dict[tuple[str, str], Server] = {}
        servers_of: dict[str, set[Server]] = {}
        for operation in contract.operations.values():
            server = _server(operation.server)
            by_route[(operation.method, operation.path)] = server
            servers_of.setdefault(operation.path, set()).add(server)
        by_path = {path: next(iter(found)) for path, found in servers_of.items() if len(found) == 1}
        return cls(
            upstreams={server: Upstream.parse(server, urls[server]) for server in SERVERS},
            by_route=by_route,
            by_path=by_path,
        )

    @property
    def default(self) -> Upstream:
        """The integration upstream, which also takes every path the contract does not know."""
        return self.upstreams[_DEFAULT]

    @property
    def single(self) -> bool:
        """Whether every server goes to the same URL."""
        return len({upstream.url for upstream in self.upstreams.values()}) == 1

    def upstream_for(self, method: str, path: str) -> Upstream:
        """The upstream of the operation at ``method path`` (path without the query); else the default."""
        for candidate in dict.fromkeys((path, path.rstrip("/") or "/")):
            server = self.by_route.get((method.upper(), candidate)) or self.by_path.get(candidate)
            if server is not None:
                return self.upstreams[server]
        return self.default

    def describe(self) -> str:
        """The upstream URL, or each server's when they differ (``integration https://..., sso https://...``)."""
        if self.single:
            return self.default.url.rstrip("/")
        return ", ".join(f"{server} {self.upstreams[server].url.rstrip('/')}" for server in SERVERS)


def _server(name: str) -> Server:
    for server in SERVERS:
        if server == name:
            return server
    raise ValueError(f"the contract names an unknown server {name!r} (known: {', '.join(SERVERS)})")


def verify_setting(*, ca_bundle: str | Path | None = None, insecure: bool = False) -> ssl.SSLContext | bool:
    """httpx's ``verify=`` for the upstreams.

    ``True``: httpx's default bundle. ``ca_bundle``: a PEM file (or a directory prepared with ``c_rehash``)
    of the CA certificates to trust instead, as an :class:`ssl.SSLContext` (httpx 0.28 deprecates passing a
    path as ``verify=``). ``insecure``: no verification at all.
    """
    if ca_bundle is not None and insecure:
        raise ValueError("--ca-bundle and --insecure contradict each other: give one")
    if insecure:
        return False
    if ca_bundle is None:
        return True
    path = Path(ca_bundle)
    try:
        if path.is_dir():
            return ssl.create_default_context(capath=str(path))
        return ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(f"--ca-bundle {path}: not a readable PEM file of CA certificates ({exc})") from exc
