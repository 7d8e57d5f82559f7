"""Where Prakerja lives: the three services of an environment and the named presets.

Prakerja serves integration calls (payments, attendance, TPM/UK), SSO API calls and the browser-facing SSO
consent page from three hosts. ``base_url=`` of a client takes a preset name (``"production"``,
``"sandbox"``, ``"local"``), an :class:`Environment`, or one URL that serves all three (a local sandbox, a
proxy)::

    PrakerjaClient(base_url="local", ...)
    PrakerjaClient(base_url="http://127.0.0.1:5000", ...)
    PrakerjaClient(base_url=Environment(name="staging", integration_url=..., sso_url=..., oauth_url=...), ...)

The official sandbox host ``https://api-ssn.prakerja.go.id`` is known only for integration calls; its SSO
hosts are not published, so :data:`SANDBOX` uses the same host for all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal
from urllib.parse import urlsplit

import attrs

from prakerja._exceptions import ConfigurationError

__all__ = ["LOCAL", "PRESETS", "PRODUCTION", "SANDBOX", "Environment", "Server", "resolve_environment"]

Server = Literal["integration", "sso", "oauth"]


def _base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(f"base URL must be an absolute http(s) URL without query, got {value!r}")
    return value.rstrip("/")


@attrs.frozen(kw_only=True)
class Environment:
    """The base URLs of Prakerja's integration API, SSO API and SSO consent page."""

    name: str
    integration_url: str = attrs.field(converter=_base_url)
    sso_url: str = attrs.field(converter=_base_url)
    oauth_url: str = attrs.field(converter=_base_url)

    @classmethod
    def single_host(cls, url: str, *, name: str = "custom") -> Environment:
        """An environment whose three services share ``url`` (the local sandbox serves every host)."""
        return cls(name=name, integration_url=url, sso_url=url, oauth_url=url)

    def url(self, server: Server) -> str:
        """The base URL of ``server``."""
        if server == "integration":
            return self.integration_url
        if server == "sso":
            return self.sso_url
        return self.oauth_url


PRODUCTION: Final = Environment(
    name="production",
    integration_url="https://api.prakerja.go.id",
    sso_url="https://api-proxy.prakerja.go.id",
    oauth_url="https://oauth.prakerja.go.id",
)
SANDBOX: Final = Environment.single_host("https://api-ssn.prakerja.go.id", name="sandbox")
LOCAL: Final = Environment.single_host("http://127.0.0.1:5000", name="local")
PRESETS: Final[Mapping[str, Environment]] = MappingProxyType(
    {"production": PRODUCTION, "sandbox": SANDBOX, "local": LOCAL}
)


def resolve_environment(base_url: str | Environment) -> Environment:
    """The environment for a ``base_url=`` value: a preset name, an :class:`Environment` or a URL."""
    if isinstance(base_url, Environment):
        return base_url
    preset = PRESETS.get(base_url.strip().lower())
    if preset is not None:
        return preset
    if "://" not in base_url:
        names = ", ".join(sorted(PRESETS))
        raise ConfigurationError(f"base_url {base_url!r} is neither a URL nor a preset name ({names})")
    return Environment.single_host(base_url)
