"""One proxy for every Prakerja host: each request reaches the upstream of its operation's server.

The integration and SSO hosts are two raw recording servers (``drifting.py``) in front of one sandbox, so a
purchase and an SSO login can run end to end while each host keeps the exact bytes it read and wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from prakerja import PrakerjaClient
from prakerja.contract import load_contract
from prakerja.contract_check.cli import main
from prakerja.contract_check.proxy import ContractProxy
from prakerja.contract_check.proxy_upstreams import SERVERS, Routes, parse_upstream_options, upstreams
from prakerja.environments import PRESETS, PRODUCTION, Environment
from prakerja.testing import LocalSandbox

from .drifting import RecordingServer, raw_request, serve, split_message
from .test_proxy import LP, SEND_OTP, _without_host, message, observations

CONTRACT = load_contract()
OPERATIONS = sorted(CONTRACT.operations)
TOKEN = "/api/v1/oauth/token"
AUTHORIZE = "/api/v1/integration/payment/authorize"
SSO_HEADERS = ("X-Client-Id", "X-Signature", "X-Timestamp")
SSO_CALLBACK = "http://127.0.0.1:8000/prakerja/sso/callback"
LOGIN = "http://127.0.0.1:8000/login"


def _assert_forwarded_unchanged(sent: bytes, answer: bytes, host: RecordingServer) -> None:
    """``host`` read ``sent`` (but for Host) and wrote ``answer``, byte for byte."""
    received = host.exchanges[-1]
    sent_start, sent_lines, sent_body = split_message(sent)
    got_start, got_lines, got_body = split_message(received.request)
    assert (got_start, _without_host(got_lines), got_body) == (
        sent_start,
        _without_host(sent_lines),
        sent_body,
    )
    assert f"Host: {host.url.removeprefix('http://')}".encode() in got_lines
    assert answer == received.response


def _paths(host: RecordingServer) -> list[str]:
    return [split_message(e.request)[0].split(b" ")[1].decode().split("?")[0] for e in host.exchanges]


def test_a_purchase_and_an_sso_token_exchange_through_one_proxy_reach_their_own_hosts(tmp_path: Path) -> None:
    sandbox = LocalSandbox.in_process()
    file = tmp_path / "observations.jsonl"
    with (
        sandbox,
        serve(sandbox.app) as integration,
        serve(sandbox.app) as sso,
        ContractProxy({"integration": integration.url, "sso": sso.url}, observations=file) as proxy,
    ):
        buyer = sandbox.create_participant(name="Rina Wulandari", email="rina@example.id")
        offer = {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth", "amount": 20000}
        otp_request = message(
            proxy.url,
            SEND_OTP,
            json.dumps({"user_platform_id": "rina-1", "prakerja_id": buyer.prakerja_id, **offer}).encode(),
        )
        otp_answer = raw_request(proxy.url, otp_request)
        _assert_forwarded_unchanged(otp_request, otp_answer, integration)
        token = json.loads(split_message(otp_answer)[2])["data"]["payment_token"]
        paid = {"otp": sandbox.otp(buyer.prakerja_id), "invoice_code": "INV-UP-1"}
        signed = message(
            proxy.url, AUTHORIZE, json.dumps(paid | {"invoice_url": "https://toko.example/1"}).encode()
        )
        pay_request = signed.replace(
            b"Content-Type: application/json\r\n",
            b"Content-Type: application/json\r\nAuthorization: Payment " + token.encode() + b"\r\n",
        )
        pay_answer = raw_request(proxy.url, pay_request)
        _assert_forwarded_unchanged(pay_request, pay_answer, integration)

        # the SDK pointed at the proxy for every server (one URL), as the proxy's start message says
        lp = sandbox.partner(LP[0])
        with PrakerjaClient(client_code=lp.client_code, sign_key=lp.sign_key, base_url=proxy.url) as client:
            page = client.sso.login_url(state="s-1", redirect_uri=SSO_CALLBACK, login_uri=LOGIN)
            back = sandbox.sso_login(page.redirect_url, buyer.prakerja_id)  # the user, in a browser
            code = back.split("code=", 1)[1].split("&", 1)[0]
            token_request = message(
                proxy.url, TOKEN, json.dumps({"code": code}).encode(), LP, spelling=SSO_HEADERS
            )
            token_answer = raw_request(proxy.url, token_request)
            _assert_forwarded_unchanged(token_request, token_answer, sso)
            access = json.loads(split_message(token_answer)[2])["data"]["access_token"]
            profile = client.sso.profile(access)
        seen = observations(proxy, 5)

    assert b"HTTP/1.1 200 " in pay_answer
    assert b"HTTP/1.1 200 " in token_answer
    assert profile.email == "rina@example.id"
    assert _paths(integration) == [SEND_OTP, AUTHORIZE]
    assert _paths(sso) == ["/api/v1/oauth/authorize", TOKEN, "/api/v1/resource/user_profile"]
    assert [(o["operation"], o["server"], o["tls"], o["status"]) for o in seen] == [
        ("payments.send_otp", "integration", "none", 200),
        ("payments.authorize", "integration", "none", 200),
        ("sso.login_url", "sso", "none", 200),
        ("sso.create_token", "sso", "none", 200),
        ("sso.profile", "sso", "none", 200),
    ]
    assert "unknown-path" not in {f["kind"] for o in seen for f in o["findings"]}


def _answer(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"success":true,"message":"OK","data":{}}']


@pytest.fixture(scope="module")
def hosts() -> Iterator[dict[str, RecordingServer]]:
    """A recording server per Prakerja server, each answering every request with an empty success."""
    with serve(_answer) as integration, serve(_answer) as sso, serve(_answer) as oauth:
        yield {"integration": integration, "sso": sso, "oauth": oauth}


@pytest.fixture(scope="module")
def routed(hosts: dict[str, RecordingServer]) -> Iterator[ContractProxy]:
    with ContractProxy({name: host.url for name, host in hosts.items()}) as proxy:
        yield proxy


def _reached(hosts: dict[str, RecordingServer], proxy: ContractProxy, method: str, target: str) -> list[str]:
    """The hosts a request reached (by server name), sent to ``proxy`` as ``method target``."""
    before = {name: len(host.exchanges) for name, host in hosts.items()}
    body = b"" if method == "GET" else b"{}"
    head = f"{method} {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    assert raw_request(proxy.url, head + body).startswith(b"HTTP/1.1 200 ")
    return [name for name, host in hosts.items() if len(host.exchanges) > before[name]]


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_operation_reaches_the_upstream_of_its_server(
    operation_id: str, hosts: dict[str, RecordingServer], routed: ContractProxy
) -> None:
    operation = CONTRACT.operations[operation_id]

    reached = _reached(hosts, routed, operation.method, operation.path)

    assert reached == [operation.server]


def test_the_contract_puts_operations_on_every_server() -> None:
    # the routing tests above would prove little if every operation were on one server
    assert {op.server for op in CONTRACT.operations.values()} == set(SERVERS)


_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
_QUERY = st.lists(st.tuples(_SEGMENT, _SEGMENT), max_size=3).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else ""
)


@given(
    operation_id=st.sampled_from(OPERATIONS),
    slash=st.booleans(),
    query=_QUERY,
    method=st.sampled_from(["GET", "POST", "PUT"]),
)
def test_a_query_a_trailing_slash_or_another_method_keeps_the_operations_server(
    operation_id: str, slash: bool, query: str, method: str
) -> None:
    operation = CONTRACT.operations[operation_id]
    routes = Routes.build({s: f"http://{s}.example" for s in SERVERS}, CONTRACT)

    chosen = routes.upstream_for(method, operation.path + ("/" if slash else ""))

    assert chosen.server == operation.server
    assert chosen.target((operation.path + query).encode()) == f"http://{operation.server}.example" + (
        operation.path + query
    )


KNOWN_PATHS = {op.path for op in CONTRACT.operations.values()}


@given(segments=st.lists(_SEGMENT, min_size=1, max_size=5))
def test_a_path_outside_the_contract_goes_to_the_integration_upstream(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    assume(path.rstrip("/") not in KNOWN_PATHS)
    routes = Routes.build({s: f"http://{s}.example" for s in SERVERS}, CONTRACT)

    assert routes.upstream_for("POST", path).server == "integration"


def test_an_unknown_path_through_the_proxy_reaches_integration_and_is_recorded_unknown(
    hosts: dict[str, RecordingServer], tmp_path: Path
) -> None:
    file = tmp_path / "o.jsonl"
    with ContractProxy({name: host.url for name, host in hosts.items()}, observations=file) as proxy:
        reached = _reached(hosts, proxy, "POST", "/api/v2/not/in/the/contract")
        [seen] = observations(proxy, 1)

    assert reached == ["integration"]
    assert (seen["operation"], seen["server"]) == (None, "integration")
    assert [f["kind"] for f in seen["findings"]] == ["unknown-path"]


# choosing the upstreams ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_an_environment_routes_each_server_to_the_sdks_own_host(name: str) -> None:
    routes = Routes.build(parse_upstream_options(name, []), CONTRACT)

    assert {s: routes.upstreams[s].url.rstrip("/") for s in SERVERS} == {
        s: PRESETS[name].url(s) for s in SERVERS
    }


def test_one_server_of_an_environment_can_be_replaced() -> None:
    urls = parse_upstream_options("production", ["sso=https://sso.staging.example"])

    assert urls == {
        "integration": PRODUCTION.integration_url,
        "sso": "https://sso.staging.example",
        "oauth": PRODUCTION.oauth_url,
    }


def test_an_environment_object_and_one_url_serve_every_server() -> None:
    staging = Environment(
        name="staging",
        integration_url="https://a.example",
        sso_url="https://b.example",
        oauth_url="https://c.example",
    )

    assert upstreams(staging) == {
        "integration": "https://a.example",
        "sso": "https://b.example",
        "oauth": "https://c.example",
    }
    assert upstreams("http://127.0.0.1:5000") == dict.fromkeys(SERVERS, "http://127.0.0.1:5000")


def test_servers_not_named_go_to_the_integration_url() -> None:
    urls = parse_upstream_options(None, ["integration=https://a.example", "sso=https://b.example"])

    assert urls == {
        "integration": "https://a.example",
        "sso": "https://b.example",
        "oauth": "https://a.example",
    }


def test_a_bare_url_with_a_query_is_not_read_as_a_server_name() -> None:
    assert (
        parse_upstream_options(None, ["https://gw.example/prakerja?x=1"])["sso"]
        == "https://gw.example/prakerja?x=1"
    )


@pytest.mark.parametrize(
    ("environment", "values", "says"),
    [
        (None, [], "give --upstream URL (or --environment NAME"),
        (None, ["https://a.example", "https://b.example"], "give one --upstream URL for every server"),
        ("production", ["https://a.example"], "--environment production already names every server's host"),
        (None, ["sso=https://b.example"], "name the integration upstream too"),
        (None, ["payments=https://b.example", "integration=https://a.example"], "unknown server 'payments'"),
        (None, ["integration=https://a.example", "integration=https://b.example"], "is given twice"),
        (None, ["integration=api.prakerja.go.id"], "--upstream must be an http(s) URL"),
    ],
)
def test_a_wrong_combination_of_upstreams_is_refused_saying_why(
    environment: str | None, values: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["proxy", "--listen", "127.0.0.1:0", "--observations", "o.jsonl"]
    args += [item for value in values for item in ("--upstream", value)]
    args += ["--environment", environment] if environment else []

    status = main(args)

    assert status == 2
    assert says in capsys.readouterr().err


def test_an_unknown_environment_is_refused_naming_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["proxy", "--environment", "staging", "--observations", "o.jsonl"])

    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "invalid choice: 'staging'" in err
    assert all(repr(name) in err for name in PRESETS)


def test_a_single_upstream_keeps_its_path_prefix(hosts: dict[str, RecordingServer]) -> None:
    host = hosts["sso"]
    with ContractProxy(host.url + "/gateway/prakerja") as proxy:
        before = len(host.exchanges)
        head = b"GET /api/v1/resource/user_profile?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"
        raw_request(proxy.url, head)

    assert len(host.exchanges) == before + 1
    assert (
        split_message(host.exchanges[-1].request)[0]
        == b"GET /gateway/prakerja/api/v1/resource/user_profile?x=1 HTTP/1.1"
    )
