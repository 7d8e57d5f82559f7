"""Who can drive ``/_sandbox`` over a real socket: no other website, no rebound host name, nothing when it is off.

A browser page on any origin can send ``text/plain`` or form posts to another site without a preflight, and a
page whose DNS name is re-pointed at 127.0.0.1 reaches the sandbox under its own name: both are refused. Test
code, ``curl`` and the SDK's control client send neither an ``Origin`` nor a foreign ``Host`` and keep working.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja.contract_check.control import ControlApi

from .served import ServedSandbox

SETTINGS = settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
WRITES = ["/_sandbox/reset", "/_sandbox/faults", "/_sandbox/clock", "/_sandbox/participants"]
TOKEN = "lan-token-7f3a9c"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The sandbox's own command with its defaults (one worker)."""
    served = ServedSandbox(tmp_path_factory.mktemp("guard") / "guard.sqlite3", workers=1)
    try:
        yield served
    finally:
        served.stop()


def _code(answer: httpx.Response) -> str:
    return str(answer.json()["code"])


@pytest.mark.parametrize("path", WRITES)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [("text/plain", b'{"advance_seconds": 60}'), ("application/x-www-form-urlencoded", b"a=1"),
     ("multipart/form-data; boundary=x", b"--x--\r\n"), (None, b"{}")],
)  # fmt: skip
def test_a_write_a_browser_can_send_cross_site_without_preflight_is_refused(
    sandbox: ServedSandbox, path: str, content_type: str | None, body: bytes
) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}

    answer = sandbox.http.post(path, content=body, headers=headers)

    assert (answer.status_code, _code(answer)) == (415, "ERRPLT41501"), answer.text


_ORIGINS = st.one_of(
    st.just("null"),
    st.builds("{}://{}".format, st.sampled_from(["http", "https"]),
              st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(com|example|test)(:[0-9]{2,5})?", fullmatch=True)),
)  # fmt: skip


@SETTINGS
@given(
    origin=_ORIGINS, path=st.sampled_from([*WRITES, "/_sandbox/ui/do/clock", "/_sandbox/ui/do/faults-clear"])
)
def test_a_write_from_another_origin_is_refused(sandbox: ServedSandbox, origin: str, path: str) -> None:
    form = path.startswith("/_sandbox/ui/")
    answer = sandbox.http.post(
        path,
        content=b"advance_seconds=3600" if form else b"{}",
        headers={"Origin": origin,
                 "Content-Type": "application/x-www-form-urlencoded" if form else "application/json"},
    )  # fmt: skip

    assert (answer.status_code, _code(answer)) == (403, "ERRPLT40304"), answer.text
    assert answer.json()["debug"]["field"] == "Origin"


def test_writes_from_the_sandbox_own_origin_and_without_one_are_served(sandbox: ServedSandbox) -> None:
    own = sandbox.base_url
    json_write = sandbox.http.post("/_sandbox/clock", json={"advance_seconds": 0}, headers={"Origin": own})
    form_write = sandbox.http.post(
        "/_sandbox/ui/do/clock", data={"reset": "on"}, headers={"Origin": own, "Referer": f"{own}/_sandbox/"}
    )
    empty_write = sandbox.http.post("/_sandbox/reset")  # curl -X POST: no body, no type, no Origin

    assert json_write.status_code == 200, json_write.text
    assert form_write.status_code == 303, form_write.text
    assert empty_write.status_code == 200, empty_write.text


def test_the_sdk_control_client_keeps_working(sandbox: ServedSandbox) -> None:
    with httpx.Client(timeout=30) as client:
        control = ControlApi(client, sandbox.base_url)
        control.reset()
        moved = control.advance_clock(3600)
        partners = control.partners()
        created = control.create_participant(name="Guarded Tester")

    assert moved["offset_seconds"] == 3600
    assert len(partners) == 28
    assert created["prakerja_id"]


_FOREIGN_NAMES = st.from_regex(r"[a-z][a-z0-9-]{0,15}(\.[a-z][a-z0-9-]{0,10}){0,3}", fullmatch=True).filter(
    lambda name: name != "localhost" and not name.endswith(".localhost")
)


@SETTINGS
@given(name=_FOREIGN_NAMES, path=st.sampled_from(["/_sandbox/partners", "/_sandbox/inbox", "/_sandbox/"]))
def test_a_rebound_host_name_reads_nothing(sandbox: ServedSandbox, name: str, path: str) -> None:
    answer = sandbox.http.get(path, headers={"Host": f"{name}:{sandbox.port}"})

    assert (answer.status_code, _code(answer)) == (403, "ERRPLT40303"), answer.text
    assert "--allow-host" in answer.json()["debug"]["hint"]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "app.localhost", "[::1]", "10.1.2.3"])
def test_loopback_names_and_ip_addresses_are_served(sandbox: ServedSandbox, host: str) -> None:
    answer = sandbox.http.get("/_sandbox/partners", headers={"Host": f"{host}:{sandbox.port}"})

    assert answer.status_code == 200, answer.text


def test_allow_host_shares_the_sandbox_under_a_name(tmp_path: Path) -> None:
    shared = ServedSandbox(tmp_path / "shared.sqlite3", workers=1, options=["--allow-host", "sandbox.team"])
    try:
        named = shared.http.get("/_sandbox/partners", headers={"Host": f"sandbox.team:{shared.port}"})
        other = shared.http.get("/_sandbox/partners", headers={"Host": f"evil.team:{shared.port}"})
    finally:
        shared.stop()

    assert named.status_code == 200
    assert other.status_code == 403


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_a_turned_off_control_api_answers_404_to_every_method_and_path(
    off: ServedSandbox, method: str
) -> None:
    for path in ("/_sandbox", "/_sandbox/", "/_sandbox/reset", "/_sandbox/partners", "/_sandbox/faults/1",
                 "/_sandbox/health", "/_sandbox/ui/do/clock", "/_sandbox/no-such-route"):  # fmt: skip
        answer = off.http.request(method, path, content=b"{}", headers={"Content-Type": "application/json"})
        assert answer.status_code == 404, (method, path, answer.text)
        if method != "HEAD":
            assert _code(answer) == "ERRPLT40401"
            assert "Allow" not in answer.headers


@pytest.fixture(scope="module")
def off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The sandbox started with ``--no-control-api``."""
    served = ServedSandbox(
        tmp_path_factory.mktemp("off") / "off.sqlite3", workers=1, options=["--no-control-api"]
    )
    try:
        yield served
    finally:
        served.stop()


def test_the_control_token_stays_out_of_links_and_the_access_log(tmp_path: Path) -> None:
    locked = ServedSandbox(tmp_path / "locked.sqlite3", workers=1, options=["--control-token", TOKEN])
    try:
        refused = locked.http.get("/_sandbox/")
        exchanged = locked.http.get("/_sandbox/", params={"token": TOKEN})
        page = locked.http.get("/_sandbox/")  # the client sends the cookie back, as a browser does
        form = locked.http.post(
            "/_sandbox/ui/do/clock", data={"advance_seconds": "3600"}, headers={"Origin": locked.base_url}
        )
        output = locked.output()
    finally:
        locked.stop()

    assert refused.status_code == 401
    assert exchanged.status_code == 303
    assert exchanged.headers["Location"] == "/_sandbox/"
    assert page.status_code == 200
    assert form.status_code == 303
    assert TOKEN not in page.text
    assert TOKEN not in form.headers["Location"]
    assert re.search(r'"GET /_sandbox/\?token=\[hidden\] HTTP/1.1" 303', output), output[-2000:]
    assert TOKEN not in output
