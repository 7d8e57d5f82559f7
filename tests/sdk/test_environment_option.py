"""``environment=`` (a preset or an Environment) beside ``base_url=`` (a URL), and the warning when sandbox
credentials are sent to production."""

from __future__ import annotations

import warnings
from typing import TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

import prakerja

KEY = "k"


@pytest.mark.parametrize("client_class", [prakerja.PrakerjaClient, prakerja.AsyncPrakerjaClient])
@pytest.mark.parametrize("name", ["sandbox", "local", "production", "Sandbox"])
def test_environment_takes_a_preset_name(client_class: type[prakerja.PrakerjaClient], name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", prakerja.SandboxCredentialsWarning)
        client = client_class(client_code="DP-X", sign_key=KEY, environment=name)
    assert client.environment.name == name.lower()


def test_environment_and_base_url_are_not_both_given() -> None:
    with pytest.raises(prakerja.ConfigurationError, match="not both"):
        prakerja.PrakerjaClient(
            client_code="DP-X", sign_key=KEY, environment="sandbox", base_url="http://127.0.0.1:5000"
        )


@given(
    st.text(min_size=1, max_size=20).filter(lambda t: t.strip().lower() not in prakerja.environments.PRESETS)
)
def test_an_environment_that_is_no_preset_is_refused_with_the_presets_named(name: str) -> None:
    with pytest.raises(prakerja.ConfigurationError, match="'production', 'sandbox', 'local'"):
        prakerja.PrakerjaClient(client_code="DP-X", sign_key=KEY, environment=name)


@given(code=st.from_regex(r"\A(SBX|sbx)-[A-Z]{2}-[A-Z0-9]{1,10}\Z"))
def test_sandbox_credentials_sent_to_production_warn(code: str) -> None:
    with pytest.warns(prakerja.SandboxCredentialsWarning, match="environment='sandbox'"):
        prakerja.PrakerjaClient(client_code=code, sign_key=KEY).close()


class Placement(TypedDict, total=False):
    """Where a client sends its calls."""

    environment: str
    base_url: str


@pytest.mark.parametrize(
    ("code", "options"),
    [
        ("SBX-DP-TOKOPEDIA", {"environment": "sandbox"}),
        ("SBX-DP-TOKOPEDIA", {"base_url": "http://127.0.0.1:5000"}),
        ("DP-TOKOPEDIA", {}),
        ("DP-TOKOPEDIA", {"environment": "production"}),
    ],
)
def test_no_warning_when_credentials_and_environment_fit(code: str, options: Placement) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", prakerja.SandboxCredentialsWarning)
        prakerja.PrakerjaClient(client_code=code, sign_key=KEY, **options).close()
