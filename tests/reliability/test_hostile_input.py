"""Hostile input over a real socket to the served sandbox (two workers): each class gets a coded 4xx, never a 5xx.

Classes: lone UTF-16 surrogates in any body (partner routes, SSO token calls, control-API writes), nesting too
deep for a recursive parser on control-API writes, ids too large for the database in control-API paths, and
chunked bodies over the size limit, whatever their signature.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja.contract import load_contract
from prakerja.signing import sign
from prakerja_sandbox.bodies import MAX_DEPTH

from .hostile import chunked, exchange, request_bytes
from .served import Partner, ServedSandbox, compact, partner

LIMIT = 65536
CONTRACT = load_contract()
#: every partner operation with a JSON body: (path, signing convention, partner)
BODY_ROUTES = sorted(
    (op.path, op.signing, "tokopedia" if op.spec.get("x-actor") == "DP" else "lp-cipta-kreasi-nusantara")
    for op in CONTRACT.operations.values()
    if op.method.upper() == "POST"
)
CONTROL_WRITES = ["/_sandbox/participants", "/_sandbox/courses", "/_sandbox/schedules", "/_sandbox/clock",
                  "/_sandbox/faults", "/_sandbox/network-profile", "/_sandbox/attendance/verify",
                  "/_sandbox/tpm/grade", "/_sandbox/reset", "/_sandbox/seed"]  # fmt: skip
SETTINGS = settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The sandbox's own command, two workers, a fresh database file."""
    served = ServedSandbox(tmp_path_factory.mktemp("hostile") / "hostile.sqlite3", workers=2)
    try:
        yield served
    finally:
        served.stop()


def _signed(path: str, convention: str, who: Partner, body: bytes) -> dict[str, str]:
    if convention == "integration":
        return who.headers(path, body)
    moment = int(time.time())
    signature = sign(sign_key=who.sign_key, client_code=who.client_code, timestamp=moment, method="POST",
                     path=path, body=body)  # fmt: skip
    return {"Content-Type": "application/json", "X-Client-Id": who.client_code, "X-Timestamp": str(moment),
            "X-Signature": signature}  # fmt: skip


def _code(answer: Any) -> str:
    return str(answer.json()["code"])


# a JSON object whose strings may hold a lone surrogate anywhere (keys too), sent as \uXXXX escapes
_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_TAINTED = st.tuples(st.text(max_size=8), _SURROGATE, st.text(max_size=8)).map("".join)
_OBJECTS = st.dictionaries(st.one_of(st.text(max_size=8), _TAINTED), st.one_of(st.text(max_size=8), _TAINTED),
                           min_size=1, max_size=4).filter(
    lambda d: any(0xD800 <= ord(c) <= 0xDFFF for item in d.items() for text in item for c in text))  # fmt: skip


def _surrogate_body(data: Any) -> bytes:
    return json.dumps(data.draw(_OBJECTS), ensure_ascii=True).encode()


@pytest.mark.parametrize(("path", "convention", "who"), BODY_ROUTES)
@SETTINGS
@given(data=st.data())
def test_a_lone_surrogate_in_a_partner_body_is_refused_as_invalid_json(
    sandbox: ServedSandbox, path: str, convention: str, who: str, data: Any
) -> None:
    body = _surrogate_body(data)
    headers = _signed(path, convention, partner(who), body)
    signed = sandbox.http.post(path, content=body, headers=headers)
    badly_signed = sandbox.http.post(path, content=body, headers={**headers, "signature": "0" * 40,
                                                                   "X-Signature": "0" * 40})  # fmt: skip

    assert (signed.status_code, _code(signed)) == (400, "ERRPLT40001"), signed.text
    assert "surrogate" in signed.json()["debug"]["hint"]
    assert badly_signed.status_code in {400, 401}, badly_signed.text


@pytest.mark.parametrize("path", CONTROL_WRITES)
@SETTINGS
@given(data=st.data())
def test_a_lone_surrogate_in_a_control_write_is_refused_as_invalid_json(
    sandbox: ServedSandbox, path: str, data: Any
) -> None:
    answer = sandbox.http.post(
        path, content=_surrogate_body(data), headers={"Content-Type": "application/json"}
    )

    assert (answer.status_code, _code(answer)) == (400, "ERRPLT40001"), answer.text


@pytest.mark.parametrize("path", CONTROL_WRITES)
@SETTINGS
@given(depth=st.integers(MAX_DEPTH + 1, 50_000), opener=st.sampled_from(["[", '{"a":']))
def test_deep_nesting_on_a_control_write_is_refused_as_invalid_json(
    sandbox: ServedSandbox, path: str, depth: int, opener: str
) -> None:
    closer = "]" if opener == "[" else "}"
    body = ('{"x":' + opener * depth + "1" + closer * depth + "}").encode()

    answer = sandbox.http.post(path, content=body, headers={"Content-Type": "application/json"})

    assert answer.status_code == (413 if len(body) > LIMIT else 400), answer.text
    assert _code(answer) == ("ERRPLT41301" if len(body) > LIMIT else "ERRPLT40001")


@SETTINGS
@given(
    number=st.one_of(st.integers(2**63, 10**40), st.integers(-(10**30), 0)),
    route=st.sampled_from([("GET", "/_sandbox/requests/{}"), ("DELETE", "/_sandbox/faults/{}")]),
)
def test_an_id_out_of_the_database_range_in_a_control_path_is_a_coded_404(
    sandbox: ServedSandbox, number: int, route: tuple[str, str]
) -> None:
    method, template = route
    answer = sandbox.http.request(method, template.format(number))

    assert (answer.status_code, _code(answer)) == (404, "ERRPLT40401"), answer.text


def test_the_largest_database_id_is_a_row_that_does_not_exist_not_an_error(sandbox: ServedSandbox) -> None:
    answer = sandbox.http.get(f"/_sandbox/requests/{2**63 - 1}")

    assert answer.status_code == 404, answer.text


STATUS = "/api/v1/integration/payment/status"


def _padded_status_body(size: int) -> bytes:
    """A payment-status body of exactly ``size`` bytes (JSON whitespace pads it)."""
    core = compact({"invoice_code": "INV-CHUNKED"})
    return core[:-1] + b" " * (size - len(core)) + b"}"


@pytest.mark.parametrize("size", [LIMIT + 1, LIMIT + 4096, 3 * LIMIT])
@pytest.mark.parametrize("chunk", [1000, 8192, LIMIT])
@pytest.mark.parametrize("signed_over", ["whole body", "first 65,536 bytes"])
def test_a_chunked_body_over_the_limit_is_refused_whatever_its_signature(
    sandbox: ServedSandbox, size: int, chunk: int, signed_over: str
) -> None:
    body = _padded_status_body(size)
    signed = body if signed_over == "whole body" else body[:LIMIT]
    headers = {**partner("tokopedia").headers(STATUS, signed), "Transfer-Encoding": "chunked"}

    answer = exchange(
        sandbox.port, request_bytes("POST", STATUS, sandbox.port, headers, chunked(body, chunk))
    )

    assert (answer.status, answer.json()["code"]) == (400, "ERRPLT41301"), answer.body


@pytest.mark.parametrize("size", [100, LIMIT])
def test_a_chunked_body_within_the_limit_is_read_whole_and_answered(
    sandbox: ServedSandbox, size: int
) -> None:
    body = _padded_status_body(size)
    headers = {**partner("tokopedia").headers(STATUS, body), "Transfer-Encoding": "chunked"}

    answer = exchange(sandbox.port, request_bytes("POST", STATUS, sandbox.port, headers, chunked(body, 4096)))

    assert answer.status == 400, answer.body  # signature and syntax pass: the invoice simply does not exist
    assert answer.json()["code"] == "ERRPLT40032"


def test_a_chunked_control_write_over_the_limit_is_refused(sandbox: ServedSandbox) -> None:
    body = b'{"name":"' + b"x" * LIMIT + b'"}'
    headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}

    answer = exchange(
        sandbox.port,
        request_bytes("POST", "/_sandbox/participants", sandbox.port, headers, chunked(body, 8192)),
    )

    assert (answer.status, answer.json()["code"]) == (413, "ERRPLT41301")
    assert "Traceback" not in sandbox.output()
