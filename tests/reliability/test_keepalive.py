"""Keep-alive connections under load, and request bodies cut short, against the served sandbox.

A partner's HTTP client keeps its connections open and sends the next request on one that has just carried an
answer. Every request that reaches the sandbox whole on such a connection must be answered on it, however many
connections arrive at once, and the sandbox closes a connection only after an answer that says so
(``Connection: close``). These clients are raw sockets, so what is checked is the server alone, not a client
library's connection pool.

A request whose body never fully arrives (the client closed the connection while sending it) is refused with
a coded error and never handled as if the bytes that came were the whole body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .hostile import Answer
from .hostile import chunked as chunked_body
from .served import ServedSandbox, compact, partner

STATUS = "/api/v1/integration/payment/redeem-code/status"
SEND_OTP = "/api/v1/integration/payment/send-otp"
CLOCK = "/_sandbox/clock"
RESET = "/_sandbox/reset"
#: The clock offset the truncated-body tests set first: a reset (or a clock move) that ran would change it.
WITNESS_OFFSET = 777
CONNECTIONS, REQUESTS_EACH = 500, 4
LP = partner("lp-cipta-kreasi-nusantara")
DP = partner("tokopedia")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The seeded sandbox served by two workers, its clock moved to the witness offset."""
    served = ServedSandbox(tmp_path_factory.mktemp("keepalive") / "sandbox.sqlite3", workers=2)
    try:
        served.http.post(RESET, json={})
        served.http.post(CLOCK, json={"advance_seconds": WITNESS_OFFSET}).raise_for_status()
        yield served
    finally:
        served.stop()


def _request(port: int, method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return "\r\n".join(lines).encode() + b"\r\n\r\n" + body


def _signed_status(port: int, redeem_code: str) -> bytes:
    body = compact({"redeem_code": redeem_code})
    headers = {**LP.headers(STATUS, body), "Content-Length": str(len(body))}
    return _request(port, "POST", STATUS, body, headers)


def _badly_signed_status(port: int) -> bytes:
    body = compact({"redeem_code": "PRAT-TC1001"})
    headers = {
        **LP.headers(STATUS, b"{}"),
        "Content-Length": str(len(body)),
    }
    return _request(port, "POST", STATUS, body, headers)


def _conversation(port: int, index: int) -> list[bytes]:
    """What one partner connection sends: signed reads, a refused one and a control read, in turn."""
    kinds = [
        _signed_status(port, "PRAT-TC1001"),
        _badly_signed_status(port),
        _request(port, "GET", CLOCK, b"", {}),
        _signed_status(port, f"PRAT-NONE{index:05d}"),
    ]
    return [kinds[(index + turn) % len(kinds)] for turn in range(REQUESTS_EACH)]


async def _read_answer(reader: asyncio.StreamReader) -> Answer:
    status_line = await reader.readuntil(b"\r\n")
    headers: dict[str, str] = {}
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return Answer(int(status_line.split()[1]), headers, body)


async def _keep_alive_client(port: int, requests: list[bytes], *, pipelined: bool) -> list[Answer]:
    """Send ``requests`` on one connection (one after another's answer, or all at once) and read every answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if pipelined:
            writer.write(b"".join(requests))
        answers = []
        for request in requests:
            if not pipelined:
                writer.write(request)
            await writer.drain()
            answers.append(await _read_answer(reader))
        return answers
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def _stampede(port: int, *, pipelined: bool) -> list[list[Answer] | BaseException]:
    return await asyncio.gather(
        *(
            _keep_alive_client(port, _conversation(port, index), pipelined=pipelined)
            for index in range(CONNECTIONS)
        ),
        return_exceptions=True,
    )


def _outcome(answer: Answer) -> str:
    return str(answer.status) if answer.status == 200 else f"{answer.status} {answer.json().get('code')}"


@pytest.mark.slow
@pytest.mark.parametrize("pipelined", [False, True], ids=["in-turn", "pipelined"])
def test_every_request_on_five_hundred_keep_alive_connections_is_answered(
    sandbox: ServedSandbox, pipelined: bool
) -> None:
    conversations = asyncio.run(_stampede(sandbox.port, pipelined=pipelined))

    failures = Counter(repr(result) for result in conversations if isinstance(result, BaseException))
    assert not failures, failures
    answered = [answers for answers in conversations if not isinstance(answers, BaseException)]
    outcomes = Counter(_outcome(answer) for answers in answered for answer in answers)
    assert sum(outcomes.values()) == CONNECTIONS * REQUESTS_EACH
    assert set(outcomes) == {"200", "400 ERRPLT40104", "400 ERRRDM40001"}, outcomes
    # the connection stayed open after every answer: none said it would close
    closing = [
        answer for answers in answered for answer in answers if answer.headers.get("connection") == "close"
    ]
    assert closing == []


def _until_closed(connection: socket.socket) -> bytes:
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


def _parse(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)
    }
    return Answer(int(status_line.split()[1]), headers, body[: int(headers.get("content-length", len(body)))])


_ORDER = {
    "user_platform_id": "cut-short",
    "prakerja_id": "9990000000000200",
    "course_code": "prakerjaoauth1",
    "schedule_code": "prakerjaoauth",
    "amount": 20000,
}
_ROUTES = {
    "signed send-otp": (SEND_OTP, compact(_ORDER)),
    "reset keeping the log": (RESET, compact({"keep_request_log": True}) + b"\n"),
    "clock move": (CLOCK, compact({"advance_seconds": 3600}) + b"   "),
}


def _post(port: int, path: str, head: dict[str, str], wire: bytes) -> Answer:
    """POST ``wire`` as the body bytes after ``head``, then stop sending (the client still reads): the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(_request(port, "POST", path, b"", head) + wire)
        connection.shutdown(socket.SHUT_WR)
        return _parse(_until_closed(connection))  # the server closes the connection after its answer


def _assert_refused_unhandled(sandbox: ServedSandbox, answer: Answer) -> None:
    assert answer.status == 400, answer
    refusal = answer.json()
    assert refusal["code"] == "ERRPLT40001", refusal
    assert "the request was not handled" in refusal["debug"]["hint"], refusal
    # nothing ran: neither a reset nor a clock move changed the clock
    assert sandbox.http.get(CLOCK).json()["data"]["offset_seconds"] == WITNESS_OFFSET


def _headers(path: str, body: bytes) -> dict[str, str]:
    return DP.headers(path, body) if path == SEND_OTP else {"Content-Type": "application/json"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(sorted(_ROUTES)), chunked=st.booleans(), data=st.data())
def test_a_body_cut_short_by_the_client_is_refused_and_not_handled(
    sandbox: ServedSandbox, route: str, chunked: bool, data: st.DataObject
) -> None:
    path, body = _ROUTES[route]
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(len(body))}
    wire = chunked_body(body, len(body)) if chunked else body
    # any strict prefix of the body as framed on the wire: it stops somewhere before its announced end
    sent = data.draw(st.integers(min_value=0, max_value=len(wire) - 1), label="body bytes sent")

    answer = _post(sandbox.port, path, {**_headers(path, body), **framing}, wire[:sent])

    _assert_refused_unhandled(sandbox, answer)


_CHUNK_PARTS = st.sampled_from(["size", "terminator", "extension"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(sorted(_ROUTES)), part=_CHUNK_PARTS, garbage=st.binary(min_size=1, max_size=4))
def test_malformed_chunked_framing_is_refused_not_a_server_error(
    sandbox: ServedSandbox, route: str, part: str, garbage: bytes
) -> None:
    path, body = _ROUTES[route]
    size = f"{len(body):x}".encode()
    if part == "size":
        wire = b"g" + garbage.replace(b"\r", b"").replace(b"\n", b"") + b"\r\n" + body + b"\r\n0\r\n\r\n"
    elif part == "terminator":  # the chunk's data is not followed by CRLF
        wire = size + b"\r\n" + body + b"X" + garbage + b"\r\n0\r\n\r\n"
    else:  # an extension that is not a token
        wire = (
            size + b";=" + garbage.replace(b"\r", b"").replace(b"\n", b"") + b"\r\n" + body + b"\r\n0\r\n\r\n"
        )

    answer = _post(sandbox.port, path, {**_headers(path, body), "Transfer-Encoding": "chunked"}, wire)

    _assert_refused_unhandled(sandbox, answer)


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The seeded sandbox served by a single worker, so every connection shares its turns."""
    served = ServedSandbox(tmp_path_factory.mktemp("fairness") / "sandbox.sqlite3", workers=1)
    try:
        yield served
    finally:
        served.stop()


async def _flood_then_one(port: int, flood: int) -> tuple[list[Answer], Answer]:
    """Pipeline ``flood`` reads on one connection, then send one read on another; every answer of both."""
    busy_reader, busy = await asyncio.open_connection("127.0.0.1", port)
    quiet_reader, quiet = await asyncio.open_connection("127.0.0.1", port)
    try:
        for reader, writer in ((busy_reader, busy), (quiet_reader, quiet)):  # both connections accepted first
            writer.write(_signed_status(port, "PRAT-TC1001"))
            await writer.drain()
            await _read_answer(reader)
        busy.write(_signed_status(port, "PRAT-TC1001") * flood)
        quiet.write(_signed_status(port, "PRAT-TC1999"))
        await asyncio.gather(busy.drain(), quiet.drain())
        lone = await _read_answer(quiet_reader)
        return [await _read_answer(busy_reader) for _ in range(flood)], lone
    finally:
        for writer in (busy, quiet):
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


@pytest.mark.slow
def test_a_connection_with_a_backlog_does_not_hold_up_the_others(one_worker: ServedSandbox) -> None:
    """One worker, one connection with 600 pipelined reads, one with a single read sent just after.

    The worker takes one request of each ready connection in turn: the single read is handled among the first
    of the backlog, not after all of it (a connection whose next request is always already there used to keep
    the worker to itself, and the others waited for its whole backlog: the read benchmark's p99 tail). Which
    request was handled when is read from the request log (one worker writes it in handling order), so
    nothing here depends on timing.
    """
    flood = 600  # the control API lists at most 1000 log rows at once
    one_worker.http.post(RESET, json={})

    backlog, lone = asyncio.run(_flood_then_one(one_worker.port, flood))

    assert [answer.status for answer in backlog] == [200] * flood
    assert lone.status == 200, lone
    log = one_worker.http.get("/_sandbox/requests", params={"limit": flood + 10}).json()["data"]["items"]
    handled = [json.loads(item["request_body"])["redeem_code"] for item in reversed(log)]  # oldest first
    assert handled.count("PRAT-TC1999") == 1
    assert handled.count("PRAT-TC1001") == flood + 2
    position = handled[2:].index("PRAT-TC1999")  # after the two opening reads: how much backlog went first
    assert position < flood // 2, f"the single read waited for {position} of the {flood} backlogged reads"
