"""Signing: every known-answer vector of ``contracts/signing.json``, the SDK's own requests, and tampering."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from prakerja import PrakerjaAuth, raw_string, sign, verify
from prakerja._core import CallContext, request_parts
from prakerja._operations import OPERATIONS
from prakerja.environments import LOCAL

from .operations import CONTRACT, build_call, call_builder

VECTORS = list(CONTRACT.signing_vectors)
#: Vectors the SDK does not produce: variants servers must accept, a sample's non-contract field name, and
#: redeem-code status without sequence (the SDK sends sequence 1, which the Status page requires).
NOT_SENT_BY_THE_SDK = {"sample-commit-code-field", "status-redeem-code", "python-sample-spacing"} | {
    v["name"] for v in VECTORS if "variant_of" in v
}
SDK_VECTORS = [v for v in VECTORS if v["name"] not in NOT_SENT_BY_THE_SDK]


def _vector_id(vector: dict[str, Any]) -> str:
    return str(vector["name"])


@pytest.mark.parametrize("vector", VECTORS, ids=_vector_id)
def test_sign_reproduces_every_vector(vector: dict[str, Any]) -> None:
    parts = {
        "client_code": vector["client_code"],
        "timestamp": vector["timestamp"],
        "method": vector["method"],
        "path": vector["path"],
        "body": vector["body"],
        "authorization": vector["authorization"],
    }

    assert raw_string(**parts) == vector["raw"].encode()
    assert sign(sign_key=vector["sign_key"], **parts) == vector["signature"]
    assert verify(vector["signature"], sign_key=vector["sign_key"], **parts)
    assert verify(vector["signature"].upper(), sign_key=vector["sign_key"], **parts)


@pytest.mark.parametrize("vector", [v for v in VECTORS if "body_sent" in v], ids=_vector_id)
def test_signing_the_bytes_sent_differs_from_signing_their_compact_form(vector: dict[str, Any]) -> None:
    signed_sent = sign(
        sign_key=vector["sign_key"],
        client_code=vector["client_code"],
        timestamp=vector["timestamp"],
        method=vector["method"],
        path=vector["path"],
        body=vector["body_sent"],
    )

    assert signed_sent == vector["signature_over_body_sent"] != vector["signature"]


def _operation_at(method: str, target: str) -> str:
    path = target.split("?", 1)[0]
    return next(op for op, spec in OPERATIONS.items() if spec.path == path and spec.method == method)


def _sdk_request(vector: dict[str, Any]) -> httpx.Request:
    context = CallContext(client_code=vector["client_code"], environment=LOCAL)

    builder = call_builder(context)
    operation_id = _operation_at(vector["method"], vector["path"])
    if vector["method"] == "GET":
        query = dict(pair.split("=", 1) for pair in vector["path"].split("?", 1)[1].split("&"))
        fields: dict[str, Any] = {k: httpx.QueryParams(f"v={v}")["v"] for k, v in query.items()}
    else:
        fields = json.loads(vector["body"])
    if operation_id == "payments.authorize":
        token = vector["request_headers"]["Authorization"].removeprefix("Payment ")
        call = builder.payments.authorize(token, **fields)
    else:
        call = build_call(builder, operation_id, fields)
    method, url, content, headers = request_parts(call, LOCAL)
    request = httpx.Request(method, url, content=content, headers=headers)
    auth = PrakerjaAuth(
        client_code=vector["client_code"],
        sign_key=vector["sign_key"],
        convention=vector["convention"],
        clock=lambda: vector["timestamp"],
    )
    auth.sign_request(request)
    return request


@pytest.mark.parametrize("vector", SDK_VECTORS, ids=_vector_id)
def test_the_sdk_sends_exactly_the_vector(vector: dict[str, Any]) -> None:
    request = _sdk_request(vector)

    signature = "X-Signature" if vector["convention"] == "sso" else "signature"
    assert request.url.raw_path == vector["path"].encode()
    assert request.content == vector["body"].encode()
    assert request.headers[signature] == vector["signature"]
    for name, value in vector.get("request_headers", {}).items():
        assert request.headers[name] == value


def test_the_sdk_reproduces_every_vector_it_sends() -> None:
    assert len(SDK_VECTORS) >= 8
    assert {v["name"] for v in VECTORS} - {v["name"] for v in SDK_VECTORS} == NOT_SENT_BY_THE_SDK


PARTS = ("body", "path", "timestamp", "client_code")


@st.composite
def signed_requests(draw: st.DrawFn) -> dict[str, Any]:
    """A known vector, or a request with random parts, with its signature."""
    if draw(st.booleans()):
        vector = draw(st.sampled_from(VECTORS))
        parts = {
            "client_code": vector["client_code"].encode(),
            "timestamp": str(vector["timestamp"]).encode(),
            "path": vector["path"].encode(),
            "body": vector["body"].encode(),
            "method": vector["method"],
        }
        key = vector["sign_key"]
    else:
        parts = {
            "client_code": draw(st.binary(min_size=1, max_size=32)),
            "timestamp": str(draw(st.integers(0, 9_999_999_999))).encode(),
            "path": b"/" + draw(st.binary(max_size=64)),
            "body": draw(st.binary(min_size=1, max_size=256)),
            "method": draw(st.sampled_from(["GET", "POST"])),
        }
        key = draw(st.text(min_size=1, max_size=40))
    return {"parts": parts, "key": key, "signature": sign(sign_key=key, **parts)}


@given(request=signed_requests(), part=st.sampled_from(PARTS), data=st.data())
def test_flipping_any_byte_of_body_path_timestamp_or_client_code_breaks_verification(
    request: dict[str, Any], part: str, data: st.DataObject
) -> None:
    original: bytes = request["parts"][part]
    assume(original)  # an empty GET body has no byte to flip
    index = data.draw(st.integers(0, len(original) - 1), label="index")
    mask = data.draw(st.integers(1, 255), label="mask")
    flipped = original[:index] + bytes([original[index] ^ mask]) + original[index + 1 :]

    assert verify(request["signature"], sign_key=request["key"], **request["parts"])
    assert not verify(request["signature"], sign_key=request["key"], **{**request["parts"], part: flipped})


@pytest.mark.parametrize("signature", ["", "not-hex", "3a59fe954ea57c8dee79a37de4215accff00010", "é" * 40])
def test_malformed_signatures_do_not_verify(signature: str) -> None:
    vector = VECTORS[2]

    assert not verify(
        signature,
        sign_key=vector["sign_key"],
        client_code=vector["client_code"],
        timestamp=vector["timestamp"],
        method=vector["method"],
        path=vector["path"],
        body=vector["body"],
    )


def test_the_auth_signs_a_streamed_body_after_reading_it() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    def chunks() -> Iterator[bytes]:
        yield b'{"redeem_code":'
        yield b'"GHOPNYXUVMT0"}'

    auth = PrakerjaAuth(client_code="CLIENT", sign_key="KEY", clock=lambda: 1698289216)
    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        http.post(
            "http://127.0.0.1:5000/api/v1/integration/payment/redeem-code/status",
            content=chunks(),
            headers={"signature": "stale"},
            auth=auth,
        )

    assert seen[0].headers["signature"] == "3a59fe954ea57c8dee79a37de4215accff000100"
    assert seen[0].headers.get_list("signature") == ["3a59fe954ea57c8dee79a37de4215accff000100"]
    assert (seen[0].headers["client_code"], seen[0].headers["timestamp"]) == ("CLIENT", "1698289216")


def test_the_sso_convention_uses_the_x_headers() -> None:
    request = httpx.Request("POST", "http://127.0.0.1:5000/api/v1/oauth/token", content=b'{"code":"XYZ"}')

    PrakerjaAuth(
        client_code="prakerjaoauth", sign_key="sso_sign_key", convention="sso", clock=lambda: 1698289216
    ).sign_request(request)

    assert request.headers["X-Client-Id"] == "prakerjaoauth"
    assert request.headers["X-Timestamp"] == "1698289216"
    assert request.headers["X-Signature"] == "968491ede217bba883ee9d45fa2c9010e5f981cf"
    assert "signature" not in request.headers
