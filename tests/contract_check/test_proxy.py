"""``prakerja-contract proxy`` in front of a drifting server: bytes forwarded unchanged, every drift recorded.

The upstream is the sandbox made to drift (``drifting.py``) and served by a raw recording server; the client
writes its requests byte by byte on a socket, in the styles of the official sample clients.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prakerja.contract_check.exchange import Exchange
from prakerja.contract_check.observations import Observation
from prakerja.contract_check.proxy import ContractProxy
from prakerja.contract_check.proxy_checks import ExchangeChecker
from prakerja.signing import sign
from prakerja_sandbox import create_app

from .drifting import RecordingServer, drifting, gzip_answers, raw_request, raw_requests, serve, split_message

DP = ("SBX-DP-TOKOPEDIA", "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81")
LP = ("SBX-LP-CIPTAKREASI", "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8")
QUOTA = "/api/v1/integration/payment/quota-schedule"
STATUS = "/api/v1/integration/payment/status"
SEND_OTP = "/api/v1/integration/payment/send-otp"
REDEEM_STATUS = "/api/v1/integration/payment/redeem-code/status"


@pytest.fixture
def upstream() -> Iterator[RecordingServer]:
    with serve(drifting(create_app())) as server:
        yield server


@pytest.fixture
def proxy(upstream: RecordingServer, tmp_path: Path) -> Iterator[ContractProxy]:
    with ContractProxy(upstream.url, observations=tmp_path / "observations.jsonl") as running:
        yield running


def message(
    proxy_url: str,
    path: str,
    body: bytes,
    partner: tuple[str, str] = DP,
    *,
    spelling: tuple[str, str, str] = ("client_code", "signature", "timestamp"),
    signed_body: bytes | None = None,
) -> bytes:
    """A signed request exactly as a sample client writes it (header order and spelling, body bytes)."""
    stamp = str(int(time.time()))
    signature = sign(
        sign_key=partner[1],
        client_code=partner[0],
        timestamp=stamp,
        method="POST",
        path=path,
        body=body if signed_body is None else signed_body,
    )
    host = proxy_url.removeprefix("http://")
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"{spelling[0]}: {partner[0]}",
        f"{spelling[1]}: {signature}",
        f"{spelling[2]}: {stamp}",
        f"Content-Length: {len(body)}",
    ]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


def observations(proxy: ContractProxy, count: int) -> list[dict[str, Any]]:
    """The first ``count`` lines of the observations file (each is written just after its answer is sent)."""
    assert proxy.writer is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = proxy.writer.path.read_text(encoding="utf-8").splitlines()
        if len(lines) >= count:
            return [json.loads(line) for line in lines]
        time.sleep(0.02)
    raise AssertionError(f"expected {count} observation(s) in {proxy.writer.path}")


def _without_host(lines: list[bytes]) -> list[bytes]:
    return [line for line in lines if not line.lower().startswith(b"host:")]


SAMPLE_CLIENTS = {
    # compact JSON, lower-case underscore headers (the SDK, Node, PHP, Java, .NET)
    "compact": (
        b'{"redeem_code":"PRAT-TC1001","sequence":1}',
        None,
        ("client_code", "signature", "timestamp"),
    ),
    # the Python sample: signs compact JSON, sends json.dumps with spaces
    "python-sample": (
        b'{"redeem_code": "PRAT-TC1001", "sequence": 1}',
        b'{"redeem_code":"PRAT-TC1001","sequence":1}',
        ("client_code", "signature", "timestamp"),
    ),
    # the Go and Ruby samples: capitalised header names
    "go-sample": (
        b'{"redeem_code":"PRAT-TC1001","sequence":1}',
        None,
        ("Client_code", "Signature", "Timestamp"),
    ),
    # a client behind a proxy that rewrote underscores
    "hyphenated": (
        b'{"redeem_code":"PRAT-TC1001","sequence":1}',
        None,
        ("client-code", "signature", "timestamp"),
    ),
}


@pytest.mark.parametrize("style", SAMPLE_CLIENTS)
def test_the_request_reaches_the_server_byte_for_byte(
    style: str, proxy: ContractProxy, upstream: RecordingServer
) -> None:
    body, signed, spelling = SAMPLE_CLIENTS[style]
    sent = message(
        proxy.url,
        "/api/v1/integration/payment/redeem-code/reset",
        body,
        LP,
        spelling=spelling,
        signed_body=signed,
    )

    raw_request(proxy.url, sent)

    received = upstream.exchanges[-1].request
    sent_start, sent_lines, sent_body = split_message(sent)
    got_start, got_lines, got_body = split_message(received)
    assert got_start == sent_start
    assert _without_host(got_lines) == _without_host(sent_lines)
    assert [line for line in got_lines if line.lower().startswith(b"host:")] == [
        f"Host: {upstream.url.removeprefix('http://')}".encode()
    ]
    assert got_body == sent_body


@pytest.mark.parametrize("style", SAMPLE_CLIENTS)
def test_the_answer_reaches_the_client_byte_for_byte(
    style: str, proxy: ContractProxy, upstream: RecordingServer
) -> None:
    body, signed, spelling = SAMPLE_CLIENTS[style]

    answer = raw_request(
        proxy.url, message(proxy.url, REDEEM_STATUS, body, LP, spelling=spelling, signed_body=signed)
    )

    assert answer == upstream.exchanges[-1].response
    assert b'"success": true' in answer  # signed by the client, accepted upstream: the signature survived


def _post(proxy: ContractProxy, path: str, payload: dict[str, Any], partner: tuple[str, str] = DP) -> bytes:
    return raw_request(
        proxy.url, message(proxy.url, path, json.dumps(payload, separators=(",", ":")).encode(), partner)
    )


#: drift: (path, payload, partner, operation, what the finding holds, how its text starts)
DRIFTS: dict[str, tuple[str, dict[str, Any], tuple[str, str], str, dict[str, Any], str]] = {
    "number as string": (
        QUOTA,
        {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"},
        DP,
        "payments.quota",
        {"kind": "type", "where": "data.quota", "expected": "integer", "observed": "string"},
        "data.quota: string where the contract says integer (a number written as a string)",
    ),
    "unknown enum value": (
        REDEEM_STATUS,
        {"redeem_code": "PRAT-TC1001", "sequence": 1},
        LP,
        "attendance.status",
        {"kind": "enum", "where": "data.status", "observed": 7},
        "data.status: 7 is not one of",
    ),
    "unknown error code": (
        SEND_OTP,
        {
            "user_platform_id": "u-1",
            "prakerja_id": "9999999999999999",
            "course_code": "prakerjaoauth1",
            "schedule_code": "prakerjaoauth",
            "amount": 20000,
        },
        DP,
        "payments.send_otp",
        {"kind": "unknown-code", "observed": "ERRPLT40099", "expected": "400"},
        "unknown code ERRPLT40099 on payments.send_otp (HTTP 400)",
    ),
    "missing field": (
        STATUS,
        {"invoice_code": "testing-1234567"},
        DP,
        "payments.status",
        {"kind": "missing", "where": "data.transaction_code"},
        "data.transaction_code: missing; the contract requires it",
    ),
}


@pytest.mark.parametrize("drift", DRIFTS)
def test_each_drift_is_recorded_with_its_field_and_what_came(drift: str, proxy: ContractProxy) -> None:
    path, payload, partner, operation, expected, text = DRIFTS[drift]

    _post(proxy, path, payload, partner)

    [seen] = observations(proxy, 1)
    assert seen["operation"] == operation
    matching = [f for f in seen["findings"] if all(f.get(k) == v for k, v in expected.items())]
    assert len(matching) == 1, seen["findings"]
    assert matching[0]["text"].startswith(text)


def test_a_500_on_bad_input_is_recorded_as_a_crash_on_a_request_the_contract_refuses(
    proxy: ContractProxy, upstream: RecordingServer
) -> None:
    sent = message(proxy.url, QUOTA, b'{"course_code": ')

    answer = raw_request(proxy.url, sent)

    assert answer == upstream.exchanges[-1].response
    assert answer.startswith(b"HTTP/1.1 500 ")
    [seen] = observations(proxy, 1)
    crash = [f for f in seen["findings"] if f["kind"] == "server-error"]
    assert len(crash) == 1
    assert "a body that is not JSON" in crash[0]["text"]
    assert "expects a 4xx refusal" in crash[0]["text"]


def test_a_conformant_exchange_has_no_finding(proxy: ContractProxy) -> None:
    _post(proxy, "/api/v1/integration/payment/void", {"invoice_code": "none", "transaction_code": "none"})

    [seen] = observations(proxy, 1)
    assert (seen["operation"], seen["status"], seen["code"]) == ("payments.void", 400, "ERRVOD40001")
    assert seen["findings"] == []


def test_an_unreachable_upstream_gets_the_proxys_own_502_and_a_record(tmp_path: Path) -> None:
    with serve(create_app()) as gone:
        url = gone.url
    with ContractProxy(url, observations=tmp_path / "o.jsonl") as proxy:
        answer = raw_request(proxy.url, message(proxy.url, QUOTA, b"{}"))

        assert answer.startswith(b"HTTP/1.1 502 ")
        assert b"X-Prakerja-Contract-Proxy: own-answer" in answer
        [seen] = observations(proxy, 1)
    assert seen["status"] is None
    assert [f["kind"] for f in seen["findings"]] == ["no-response"]


def test_a_chunked_request_body_arrives_whole_with_its_length(
    proxy: ContractProxy, upstream: RecordingServer
) -> None:
    body = b'{"course_code":"prakerjaoauth1","schedule_code":"prakerjaoauth"}'
    signed = message(proxy.url, QUOTA, body)
    head, _, _ = signed.partition(b"\r\n\r\n")
    head = head.replace(f"Content-Length: {len(body)}".encode(), b"Transfer-Encoding: chunked")
    chunked = (
        head + b"\r\n\r\n" + b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (20, body[:20], len(body) - 20, body[20:])
    )

    answer = raw_request(proxy.url, chunked)

    _, lines, received = split_message(upstream.exchanges[-1].request)
    assert received == body
    assert f"Content-Length: {len(body)}".encode() in lines
    assert not any(line.lower().startswith(b"transfer-encoding") for line in lines)
    assert answer == upstream.exchanges[-1].response  # signed over the body, accepted: 200 with the drift
    assert b"HTTP/1.1 200 " in answer


def test_one_connection_carries_several_exchanges(proxy: ContractProxy, upstream: RecordingServer) -> None:
    quota = b'{"course_code":"prakerjaoauth1","schedule_code":"prakerjaoauth"}'
    void = b'{"invoice_code":"none","transaction_code":"none"}'

    answers = raw_requests(
        proxy.url,
        [message(proxy.url, QUOTA, quota), message(proxy.url, "/api/v1/integration/payment/void", void)],
    )

    assert answers == [exchange.response for exchange in upstream.exchanges]
    assert [o["operation"] for o in observations(proxy, 2)] == ["payments.quota", "payments.void"]


def test_a_compressed_answer_is_returned_compressed_and_still_checked(tmp_path: Path) -> None:
    with (
        serve(gzip_answers(drifting(create_app()))) as upstream,
        ContractProxy(upstream.url, observations=tmp_path / "o.jsonl") as proxy,
    ):
        answer = _post(proxy, QUOTA, {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"})

        assert answer == upstream.exchanges[-1].response
        assert b"Content-Encoding: gzip" in answer
        [seen] = observations(proxy, 1)
    assert [f["where"] for f in seen["findings"] if f["kind"] == "type"] == ["data.quota"]


@pytest.mark.parametrize(
    "lengths", [[b"Content-Length: -5"], [b"Content-Length: 2", b"Content-Length: 3"], [b"Content-Length: x"]]
)
def test_a_request_framed_two_ways_is_refused_by_the_proxy_and_never_forwarded(
    lengths: list[bytes], proxy: ContractProxy, upstream: RecordingServer
) -> None:
    head = b"POST " + QUOTA.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

    answer = raw_request(proxy.url, head + b"\r\n".join(lengths) + b"\r\n\r\n{}")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"X-Prakerja-Contract-Proxy: own-answer" in answer
    assert upstream.exchanges == []


class _SlowChecker(ExchangeChecker):
    """A checker that takes its time, as one may on a loaded machine."""

    def observe(self, exchange: Exchange, **options: Any) -> Observation:
        time.sleep(0.5)
        return super().observe(exchange, **options)


def test_stopping_right_after_an_answer_still_records_its_exchange(
    upstream: RecordingServer, tmp_path: Path
) -> None:
    file = tmp_path / "o.jsonl"
    proxy = ContractProxy(upstream.url, observations=file, checker=_SlowChecker()).start()
    try:
        answer = _post(proxy, QUOTA, {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"})
    finally:
        proxy.close()  # at once: the answer is sent before its exchange is checked and recorded

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert proxy.writer is not None
    assert proxy.writer.count == 1
    assert [json.loads(line)["operation"] for line in file.read_text(encoding="utf-8").splitlines()] == [
        "payments.quota"
    ]
