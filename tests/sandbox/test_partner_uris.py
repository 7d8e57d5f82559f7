"""Which redirect and login URIs count as registered: exactly the registered ones, plus the sandbox's own
callback catcher wherever the sandbox is served, for a partner that registered the catcher."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from prakerja_sandbox.domain.partners import uri_registered

REGISTERED = (
    "http://127.0.0.1:8000/prakerja/attendance/callback",
    "http://127.0.0.1:5000/_sandbox/callback/attendance",
)
URIS = st.one_of(
    st.from_regex(r"\Ahttps?://[a-z0-9.:]{1,20}/[a-z_/]{0,30}\Z"),
    st.sampled_from(REGISTERED),
    st.builds(
        lambda base: f"{base}/_sandbox/callback/attendance", st.from_regex(r"\Ahttp://[a-z0-9.:]{1,20}\Z")
    ),
)
BASES = st.from_regex(r"\Ahttps?://[a-z0-9.:]{1,20}(/_workspaces/[a-z]{1,8})?\Z")


@given(uri=URIS, base_url=st.none() | BASES)
def test_a_uri_counts_only_when_registered_or_the_own_catcher(uri: str, base_url: str | None) -> None:
    own_catcher = base_url is not None and uri == base_url + "/_sandbox/callback/attendance"

    assert uri_registered(uri, REGISTERED, base_url=base_url) is (uri in REGISTERED or own_catcher)


@given(base_url=BASES)
def test_a_partner_without_the_catcher_gets_no_catcher(base_url: str) -> None:
    registered = ("https://lp.example/callback",)

    assert not uri_registered(f"{base_url}/_sandbox/callback/attendance", registered, base_url=base_url)


def test_a_workspace_catcher_is_under_the_workspace_prefix() -> None:
    base = "http://127.0.0.1:8001/_workspaces/team"

    assert uri_registered(f"{base}/_sandbox/callback/attendance", REGISTERED, base_url=base)
    assert not uri_registered("http://127.0.0.1:8001/_sandbox/callback/attendance", REGISTERED, base_url=base)
