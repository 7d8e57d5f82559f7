"""Slow and stalled clients over a real socket: they must neither stop the sandbox answering others nor stay forever.

Each test holds connections that stopped somewhere inside a request (in its head or in its body) and checks
that other clients are still answered, and that the stalled ones are closed after the read timeouts (a
stalled body is refused first: ERRPLT40001 on the partner API, 408 elsewhere). The bounds are generous ("answered at all within N seconds"): they tell a server that
answers from one that does not, not how fast it is.
"""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .cli_process import SandboxProcess, running, signed_headers

LP = ("SBX-LP-CIPTAKREASI", "951fdf8a443d4f9ecba39c166cfdd6fec14c39e8")
STATUS = "/api/v1/integration/payment/redeem-code/status"
BODY = b'{"redeem_code":"PRAT-TC1001"}'
#: How long an answer may take while stalled connections are held ("answered at all", not a speed check).
ANSWER_WITHIN_SECONDS = 20.0
#: The official sample clients' spellings of the signing headers.
SPELLINGS = [
    ("client_code", "signature", "timestamp"),
    ("Client_code", "Signature", "Timestamp"),
    ("client-code", "signature", "timestamp"),
]


def _signed_request(port: int, names: tuple[str, str, str] = SPELLINGS[0]) -> bytes:
    headers = signed_headers(client_code=LP[0], sign_key=LP[1], path=STATUS, signed_body=BODY, names=names)
    lines = [f"POST {STATUS} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(BODY)}",
             *(f"{name}: {value}" for name, value in headers.items())]  # fmt: skip
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + BODY


def _stall(port: int, prefix: bytes) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN_SECONDS)
    connection.sendall(prefix)
    return connection


def _health_status(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_WITHIN_SECONDS)
    try:
        connection.request("GET", "/_sandbox/health")
        return connection.getresponse().status
    finally:
        connection.close()


def _exchange(port: int, request: bytes) -> bytes:
    """Send ``request`` on a new connection; the answer's status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=ANSWER_WITHIN_SECONDS) as connection:
        connection.sendall(request)
        return connection.recv(65536).partition(b"\r\n")[0]


def _until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes ``connection`` (a timeout fails the test)."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


@pytest.fixture(scope="module")
def patient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """Two workers with the default timeouts: stalled connections stay open while the test runs."""
    with running(
        tmp_path_factory.mktemp("patient") / "sandbox.sqlite3", options=["--workers", "2"]
    ) as process:
        yield process


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    """Short timeouts (1 s keep-alive, 1 s body reads), so that stalled connections are closed quickly."""
    options = ["--workers", "2", "--keepalive", "1", "--read-timeout", "1"]
    with running(tmp_path_factory.mktemp("strict") / "sandbox.sqlite3", options=options) as process:
        yield process


def test_two_hundred_stalled_connections_do_not_delay_other_clients(patient: SandboxProcess) -> None:
    request = _signed_request(patient.port)
    head_end = request.index(b"\r\n\r\n")
    # half of them stop inside the head, half inside the body (the head complete, 10 of its bytes missing)
    prefixes = [request[: head_end // 2]] * 100 + [request[: len(request) - 10]] * 100
    stalled = [_stall(patient.port, prefix) for prefix in prefixes]
    try:
        time.sleep(0.5)  # the server has read what they sent and waits for the rest
        assert _health_status(patient.port) == 200
        for names in SPELLINGS:  # every sample client's header spelling is authenticated meanwhile
            assert _exchange(patient.port, _signed_request(patient.port, names)).startswith(b"HTTP/1.1 200")
    finally:
        for connection in stalled:
            connection.close()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.floats(min_value=0.0, max_value=1.0, exclude_max=True), min_size=1, max_size=20))
def test_a_request_stalled_anywhere_is_closed_after_the_read_timeouts(
    strict: SandboxProcess, cuts: list[float]
) -> None:
    request = _signed_request(strict.port)
    head_end = request.index(b"\r\n\r\n") + 4
    stalled = [
        (int(cut * len(request)), _stall(strict.port, request[: int(cut * len(request))])) for cut in cuts
    ]
    try:
        for sent, connection in stalled:
            answer = _until_closed(connection)
            if sent < head_end:
                assert answer == b"", answer  # a head never completed: closed without an answer
            else:
                # the body stalled: refused (the partner API's coded 400, 408 elsewhere), then closed
                assert answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 408")), answer
                assert b"the request body stopped arriving" in answer
        assert _health_status(strict.port) == 200
    finally:
        for _, connection in stalled:
            connection.close()


def test_a_stalled_head_is_closed_with_keepalive_off(tmp_path: Path) -> None:
    options = ["--keepalive", "0", "--read-timeout", "1"]
    with running(tmp_path / "sandbox.sqlite3", options=options) as process:
        request = _signed_request(process.port)
        connection = _stall(process.port, request[:20])
        try:
            assert _until_closed(connection) == b""
        finally:
            connection.close()
        assert _exchange(process.port, request).startswith(b"HTTP/1.1 200")
