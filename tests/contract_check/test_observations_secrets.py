"""No secret or personal value can reach the observations file, whatever the bodies hold.

Secrets are drawn from the classes a Prakerja exchange carries: sign keys and signatures (hex), tokens
(letters and digits), OTPs (4 or 6 digits), Kartu Prakerja and phone numbers, e-mails and names. They are put
everywhere a client or a server could put them: body values at any depth, body keys, array items, the query
string, unknown path segments, header values; the bodies go to any operation, with any status.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prakerja.contract import load_contract
from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse
from prakerja.contract_check.observations import ObservationWriter
from prakerja.contract_check.proxy_checks import ExchangeChecker

CHECKER = ExchangeChecker()
OPERATIONS = sorted(load_contract().operations.values(), key=lambda op: op.operation_id)
AT = datetime(2000, 1, 1, tzinfo=UTC)

hex_keys = st.from_regex(r"\A[0-9a-f]{40}\Z")
tokens = st.from_regex(r"\A[A-Za-z0-9_-]{12,64}\Z").filter(lambda t: any(c.isdigit() for c in t))
otps = st.from_regex(r"\A([0-9]{4}|[0-9]{6})\Z")
prakerja_numbers = st.from_regex(r"\A[0-9]{16}\Z")
phones = st.from_regex(r"\A(\+62|0)8[0-9]{8,11}\Z")
emails = st.emails()
names = st.from_regex(r"\A[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10}){0,2}\Z")
SECRETS = st.one_of(hex_keys, tokens, otps, prakerja_numbers, phones, emails, names)

VOCABULARY = st.sampled_from(sorted(CHECKER.vocabulary))


def bodies(secrets: list[str]) -> st.SearchStrategy[Any]:
    """JSON documents whose values and keys are secrets or contract field names."""
    secret = st.sampled_from(secrets)
    leaves = st.one_of(
        secret, secret.map(lambda s: int(s) if s.isdigit() else s), st.integers(), st.booleans(), st.none()
    )
    keys = st.one_of(secret, VOCABULARY)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)),
        max_leaves=12,
    )


@st.composite
def exchanges(draw: st.DrawFn) -> tuple[Exchange, list[str]]:
    secrets = draw(st.lists(SECRETS, min_size=1, max_size=6, unique=True))
    operation = draw(st.sampled_from(OPERATIONS))
    secret = st.sampled_from(secrets)
    path = operation.path
    if draw(st.booleans()):
        path = f"{path.rsplit('/', 1)[0]}/{draw(secret)}"  # a path outside the contract
    query = "&".join(
        f"{draw(st.sampled_from(['state', 'token', draw(secret)]))}={draw(secret)}"
        for _ in range(draw(st.integers(0, 3)))
    )
    headers = (
        ("Content-Type", "application/json"),
        ("client_code", draw(secret)),
        ("signature", draw(secret)),
        ("timestamp", draw(secret)),
        ("Authorization", f"Payment {draw(secret)}"),
        (draw(secret).replace(" ", "-"), draw(secret)),
    )
    request_body = json.dumps(draw(bodies(secrets))).encode()
    payload = draw(bodies(secrets))
    if draw(st.booleans()):
        payload = {"success": False, "code": draw(secret), "message": draw(secret), "data": payload}
    response = SentResponse(
        status_code=draw(st.sampled_from([200, 400, 401, 403, 404, 500, 503])),
        headers=(("Content-Type", "application/json"), ("Prakerja-Sandbox-Warning", draw(secret))),
        body=json.dumps(payload).encode(),
    )
    request = SentRequest(
        method=operation.method, url=path + (f"?{query}" if query else ""), headers=headers, body=request_body
    )
    return Exchange(request=request, response=response), secrets


# Counts the observation keeps on purpose (byte counts, array lengths, the HTTP status).
COUNTS = {"bytes", "array", "status", "duration_ms"}


def _strings_and_numbers(node: Any) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    numbers: list[int] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            texts.extend(item)
            stack.extend(value for key, value in item.items() if key not in COUNTS)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            texts.append(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            numbers.append(item)
    return texts, numbers


def test_no_secret_reaches_the_observations_file(tmp_path: Path) -> None:
    writer = ObservationWriter(tmp_path / "observations.jsonl")

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(exchanges())
    def no_secret_in_the_line(case: tuple[Exchange, list[str]]) -> None:
        exchange, secrets = case

        writer.write(CHECKER.observe(exchange, at=AT))

        line = writer.path.read_text(encoding="utf-8").splitlines()[-1]
        record = json.loads(line)
        record.pop("at")
        texts, numbers = _strings_and_numbers(record)
        for secret in secrets:
            assert not any(secret in text for text in texts), (secret, line)
            if secret.isdigit() and int(secret) > 999:  # 0..999 may show as an enum value, by design
                assert int(secret) not in numbers, (secret, line)

    try:
        no_secret_in_the_line()
    finally:
        writer.close()
    assert writer.count >= 100


@settings(max_examples=50, deadline=None)
@given(exchanges())
def test_the_shapes_keep_the_structure(case: tuple[Exchange, list[str]]) -> None:
    exchange, _ = case

    observation = CHECKER.observe(exchange, at=AT)

    assert exchange.response is not None
    assert observation.response is not None
    assert observation.request["bytes"] == len(exchange.request.body)
    assert observation.response["bytes"] == len(exchange.response.body)
    sent = json.loads(exchange.request.body)
    shape = observation.request["shape"]
    if isinstance(sent, dict):
        assert isinstance(shape, dict)
        assert len(shape) == len(sent)
    elif isinstance(sent, str):
        assert shape == f"string({len(sent)})"
