"""Client settings: arguments first, then the ``PRAKERJA_*`` environment variables, then defaults."""

from __future__ import annotations

import enum
import os
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Final

import attrs
import httpx

from prakerja._core import CallContext
from prakerja._exceptions import ConfigurationError, InvalidInputError
from prakerja._retry import RetryPolicy
from prakerja.auth import Convention, PrakerjaAuth
from prakerja.environments import PRESETS, PRODUCTION, Environment, resolve_environment

__all__ = [
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "ENV_BASE_URL",
    "ENV_CLIENT_CODE",
    "ENV_SIGN_KEY",
    "NOT_GIVEN",
    "ClientSettings",
    "NotGiven",
    "SandboxCredentialsWarning",
]

ENV_CLIENT_CODE: Final = "PRAKERJA_CLIENT_CODE"
ENV_SIGN_KEY: Final = "PRAKERJA_SIGN_KEY"
ENV_BASE_URL: Final = "PRAKERJA_BASE_URL"

#: Connect within 5 s, and give Prakerja 30 s to answer.
DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=5.0)
DEFAULT_RETRY: Final = RetryPolicy()


class SandboxCredentialsWarning(UserWarning):
    """Sandbox credentials (a client code starting ``SBX-``) are used against production."""


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`: "use the default", distinct from an explicit ``None``."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN


@attrs.frozen(kw_only=True)
class ClientSettings:
    """The resolved configuration shared by the sync and async clients."""

    client_code: str
    sign_key: str = attrs.field(repr=False)
    environment: Environment
    retry: RetryPolicy
    clock: Callable[[], float] = attrs.field(repr=False)

    @classmethod
    def resolve(
        cls,
        *,
        client_code: str | None,
        sign_key: str | None,
        base_url: str | Environment | None,
        retry: RetryPolicy,
        clock: Callable[[], float] | None,
        environ: Mapping[str, str] | None = None,
        environment: str | Environment | None = None,
    ) -> ClientSettings:
        """Settings from the arguments, falling back to the environment variables.

        ``environment`` names a preset (``"production"``, ``"sandbox"``, ``"local"``) or is an
        :class:`Environment`; ``base_url`` is a URL (a preset name is still accepted there). Not both.
        """
        env = os.environ if environ is None else environ
        code = client_code if client_code is not None else env.get(ENV_CLIENT_CODE)
        key = sign_key if sign_key is not None else env.get(ENV_SIGN_KEY)
        if not code:
            raise ConfigurationError(f"no client code: pass client_code= or set {ENV_CLIENT_CODE}")
        if not key:
            raise ConfigurationError(f"no sign key: pass sign_key= or set {ENV_SIGN_KEY}")
        from prakerja._requests import RULES, check_text  # with the models: loaded by the first client

        try:
            check_text("client_code", code, RULES["ClientCode"])
        except InvalidInputError as error:
            raise ConfigurationError(str(error)) from None
        if not isinstance(retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy (NO_RETRY to disable), got {retry!r}")
        if environment is not None and base_url is not None:
            raise ConfigurationError(
                "pass environment= (a preset name or an Environment) or base_url= (a URL), not both"
            )
        if isinstance(environment, str) and environment.strip().lower() not in PRESETS:
            known = ", ".join(repr(name) for name in PRESETS)
            raise ConfigurationError(
                f"environment must be one of {known} or an Environment, got {environment!r} "
                "(for a URL, pass base_url=)"
            )
        target = environment if environment is not None else base_url
        url = target if target is not None else env.get(ENV_BASE_URL) or PRODUCTION
        resolved = resolve_environment(url)
        if code.upper().startswith("SBX-") and resolved.name == PRODUCTION.name:
            warnings.warn(
                f"client code {code!r} is a sandbox credential (SBX-) but the client calls production "
                f"({resolved.integration_url}); pass environment='sandbox' (or base_url= your local sandbox)",
                SandboxCredentialsWarning,
                stacklevel=4,
            )
        return cls(
            client_code=code,
            sign_key=key,
            environment=resolved,
            retry=retry,
            clock=clock or time.time,
        )

    @property
    def context(self) -> CallContext:
        """What the resources need to build calls."""
        return CallContext(client_code=self.client_code, environment=self.environment)

    def auths(self) -> Mapping[Convention, PrakerjaAuth]:
        """One signer per convention, sharing the credentials and the clock."""
        return {
            convention: PrakerjaAuth(
                client_code=self.client_code, sign_key=self.sign_key, convention=convention, clock=self.clock
            )
            for convention in ("integration", "sso")
        }
