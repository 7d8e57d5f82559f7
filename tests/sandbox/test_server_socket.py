"""The sandbox served by its command over a real socket, met by raw HTTP the way partners' samples send it."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .cli_process import SandboxProcess, raw_request, running, signed_headers

DP = ("SBX-DP-TOKOPEDIA", "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81")
LP = ("SBX-LP-CIPTAKREASI", "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8")
STATUS = "/api/v1/integration/payment/redeem-code/status"
SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
PAYMENT_STATUS = "/api/v1/integration/payment/status"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """One sandbox process shared by the request tests of this module."""
    with running(tmp_path_factory.mktemp("served") / "sandbox.sqlite3") as process:
        yield process


def _compact(body: dict[str, object]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def _buy(process: SandboxProcess, invoice_code: str) -> dict[str, Any]:
    client_code, key = DP
    order = _compact({"user_platform_id": "socket-user", "prakerja_id": "9990000000000200",
                      "course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth", "amount": 20000})  # fmt: skip
    sent = process.request("POST", SEND_OTP, order, signed_headers(client_code=client_code, sign_key=key,
                                                                   path=SEND_OTP, signed_body=order))  # fmt: skip
    token = sent.json()["data"]["payment_token"]
    pay = _compact(
        {"otp": "123456", "invoice_url": f"https://dp.example/{invoice_code}", "invoice_code": invoice_code}
    )
    headers = signed_headers(client_code=client_code, sign_key=key, path=AUTHORIZE, signed_body=pay)
    answer = process.request("POST", AUTHORIZE, pay, {**headers, "Authorization": f"Payment {token}"})
    return dict(answer.json())


def _payment_status(process: SandboxProcess, invoice_code: str) -> dict[str, Any]:
    body = _compact({"invoice_code": invoice_code})
    headers = signed_headers(client_code=DP[0], sign_key=DP[1], path=PAYMENT_STATUS, signed_body=body)
    return dict(process.request("POST", PAYMENT_STATUS, body, headers).json())


SEQUENCE_OMITTED = 'SBXW005 "sequence was omitted and read as 1; the Status page marks it required"'


def test_lower_case_client_code_header_survives_gunicorn(served: SandboxProcess) -> None:
    body = (
        b'{"redeem_code":"PRAT-TC1001"}'  # every official sample omits sequence: answered, with its warning
    )
    headers = signed_headers(client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=body)
    response = served.request("POST", STATUS, body, headers)
    assert response.status == 200, response.body
    assert response.json()["data"]["redeem_code"] == "PRAT-TC1001"
    assert response.headers["prakerja-sandbox-warning"] == SEQUENCE_OMITTED
    assert len(response.headers["x-request-id"]) == 32


def test_go_and_ruby_header_case_is_authenticated(served: SandboxProcess) -> None:
    body = b'{"redeem_code":"PRAT-TC1001"}'
    headers = signed_headers(
        client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=body,
        names=("Client_code", "Signature", "Timestamp"),
    )  # fmt: skip
    lines = [f"POST {STATUS} HTTP/1.1", f"Host: 127.0.0.1:{served.port}", "Connection: close",
             f"Content-Length: {len(body)}", *(f"{name}: {value}" for name, value in headers.items())]  # fmt: skip
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as connection:
        connection.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 200"), answer
    assert b'"redeem_code":"PRAT-TC1001"' in rest
    assert b"\r\nPrakerja-Sandbox-Warning: " + SEQUENCE_OMITTED.encode() + b"\r\n" in rest


def test_python_sample_spaced_body_signed_compact_is_authenticated(served: SandboxProcess) -> None:
    sent = json.dumps(
        {"redeem_code": "PRAT-TC2001"}
    ).encode()  # {"redeem_code": "PRAT-TC2001"}, as the sample sends
    headers = signed_headers(
        client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=b'{"redeem_code":"PRAT-TC2001"}'
    )
    response = served.request("POST", STATUS, sent, headers)
    assert response.status == 200, response.body
    log = served.request("GET", "/_sandbox/requests?limit=1").json()["data"]["items"][0]
    assert (log["client_code"], log["signature_variant"]) == (LP[0], "compact")
    assert [warning["code"] for warning in log["warnings"]] == ["SBXW001", "SBXW005"]
    assert log["request_id"] == response.headers["x-request-id"]


def test_strict_sandbox_refuses_the_python_sample_naming_the_leniency(tmp_path: Path) -> None:
    with running(tmp_path / "strict.sqlite3", options=["--strict"]) as strict:
        sent = json.dumps({"redeem_code": "PRAT-TC2001", "sequence": 1}).encode()
        headers = signed_headers(
            client_code=LP[0],
            sign_key=LP[1],
            path=STATUS,
            signed_body=b'{"redeem_code":"PRAT-TC2001","sequence":1}',
        )
        response = strict.request("POST", STATUS, sent, headers)
        compact = b'{"redeem_code":"PRAT-TC2001","sequence":1}'
        exact = strict.request("POST", STATUS, compact, signed_headers(
            client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=compact))  # fmt: skip
    body = response.json()
    assert (response.status, body["code"], body["debug"]["leniency"]) == (400, "ERRPLT40104", "SBXW001")
    assert "compact re-serialisation" in body["debug"]["hint"]
    assert exact.status == 200
    assert "prakerja-sandbox-warning" not in exact.headers


def test_a_refusal_over_the_socket_is_coded_json_not_client_code_missing(served: SandboxProcess) -> None:
    body = b'{"redeem_code":"NOTHERE00000"}'
    headers = signed_headers(client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=body)
    response = served.request("POST", STATUS, body, headers)
    assert response.status == 400
    assert response.json()["code"] == "ERRRDM40001"


def test_a_lost_answer_closes_the_connection_but_keeps_the_purchase(served: SandboxProcess) -> None:
    fault = {"operation": "payments.authorize", "kind": "drop_after_commit", "mode": "close", "count": 1}
    assert served.request("POST", "/_sandbox/faults", json.dumps(fault).encode(),
                          {"Content-Type": "application/json"}).status == 201  # fmt: skip
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        _buy(served, "INV-SOCKET-LOST")
    assert _payment_status(served, "INV-SOCKET-LOST")["data"]["status"] == "SUCCESS"


def test_sigint_stops_the_sandbox_with_exit_status_0(tmp_path: Path) -> None:
    process = SandboxProcess(tmp_path / "sigint.sqlite3")
    started = time.monotonic()
    assert process.stop(signal.SIGINT) == 0
    assert time.monotonic() - started < 10, process.output()  # a few seconds, with room for a busy machine


def test_sigterm_stops_the_sandbox_with_exit_status_0(tmp_path: Path) -> None:
    process = SandboxProcess(tmp_path / "sigterm.sqlite3")
    assert process.stop(signal.SIGTERM) == 0


def test_a_restart_on_the_same_database_keeps_a_purchase(tmp_path: Path) -> None:
    database = tmp_path / "kept.sqlite3"
    with running(database) as first:
        assert _buy(first, "INV-KEPT")["success"] is True
    with running(database) as second:
        assert _payment_status(second, "INV-KEPT")["data"]["status"] == "SUCCESS"


def test_reset_option_starts_over(tmp_path: Path) -> None:
    database = tmp_path / "reset.sqlite3"
    with running(database) as first:
        _buy(first, "INV-GONE")
    with running(database, options=["--reset"]) as second:
        assert _payment_status(second, "INV-GONE")["code"] == "ERRPLT40032"


def test_two_workers_serve_one_seeded_database(tmp_path: Path) -> None:
    with running(tmp_path / "workers.sqlite3", options=["--workers", "2"]) as process:
        bought = [_buy(process, f"INV-W{n}")["success"] for n in range(4)]
        partners = process.request("GET", "/_sandbox/partners").json()["data"]["partners"]
        output = process.output()
    assert bought == [True] * 4
    assert len(partners) == 28  # seeded once, before the workers forked
    assert output.count("Booting worker") == 2


def test_the_request_log_shows_a_call_at_once_whichever_worker_answered(tmp_path: Path) -> None:
    # each raw request is a new connection, so the calls and the log reads spread over both workers
    body = b'{"redeem_code":"PRAT-TC1001"}'
    seen = []
    with running(tmp_path / "log.sqlite3", options=["--workers", "2"]) as process:
        for _ in range(30):
            headers = signed_headers(client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=body)
            assert process.request("POST", STATUS, body, headers).status == 200
            log = process.request("GET", "/_sandbox/requests?limit=1").json()["data"]
            seen.append(log["total"])
        output = process.output()
    assert output.count("Booting worker") == 2
    assert seen == list(range(1, 31))


def test_memory_database_with_two_workers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="lives in one process"):
        SandboxProcess(tmp_path / "unused", options=["--database", ":memory:", "--workers", "2"])


def test_health_answers_over_the_socket(served: SandboxProcess) -> None:
    assert raw_request(served.port, "GET", "/_sandbox/health").json()["data"]["status"] == "ok"


def test_synthetic_seed_progress_is_printed(served: SandboxProcess) -> None:
    body = json.dumps({"participants": 50, "redeem_codes": 5, "seed": 9}).encode()
    answer = served.request("POST", "/_sandbox/seed", body, {"Content-Type": "application/json"})
    assert answer.status == 200, answer.body
    deadline = time.monotonic() + 5
    while "synthetic seed: redeem codes 5/5" not in served.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "synthetic seed: participants 50/50" in served.output()
    assert "synthetic seed: redeem codes 5/5" in served.output()


def _health_twice(port: int, *, idle: float) -> tuple[int, int, bool]:
    """Two requests on one client connection, ``idle`` seconds apart; whether both went on the same socket."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/_sandbox/health")
        first_from = connection.sock.getsockname()
        first = connection.getresponse()
        first.read()
        time.sleep(idle)
        try:
            connection.request("GET", "/_sandbox/health")  # reconnects if the first answer said "close"
            second_from = connection.sock.getsockname()
            second = connection.getresponse()
            second.read()
        except (http.client.RemoteDisconnected, ConnectionError):
            return first.status, 0, False
        return first.status, second.status, first_from == second_from
    finally:
        connection.close()


def test_an_idle_pooled_connection_outlives_a_short_keepalive(served: SandboxProcess) -> None:
    # gunicorn closes idle connections after 2 s by default, before httpx's pool (5 s) stops reusing them;
    # the sandbox keeps them 75 s, so a pooled connection is still open when the next request goes out on it.
    first, second, same_socket = _health_twice(served.port, idle=2.5)
    assert (first, second, same_socket) == (200, 200, True)


def test_keepalive_zero_closes_each_connection_after_its_answer(tmp_path: Path) -> None:
    with running(tmp_path / "sandbox.sqlite3", options=["--keepalive", "0"]) as process:
        answer = process.request("GET", "/_sandbox/health")
        assert answer.status == 200
        assert answer.headers.get("connection") == "close"
        assert _health_twice(process.port, idle=0) == (200, 200, False)
