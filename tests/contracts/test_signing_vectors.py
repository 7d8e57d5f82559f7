"""Every known-answer vector in contracts/signing.json reproduces."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from prakerja.contract import load_contract
from prakerja.signing import raw_string, sign, verify

VECTORS = load_contract().signing_vectors
#: the vectors of Prakerja's sample repository (the two GHOPNYXUVMT0 vectors were computed here from published
#: inputs, so they are inferred)
DOCUMENTED_SIGNATURES = {
    "943c20a8e36b6243f576404b00fffdc86411ce1f",
    "d46b59b221335976b46eafb752035a1172a8beb2",
}
COMPUTED_HERE = {"status-redeem-code", "commit-redeem-code", "python-sample-spacing"}


def _parts(vector: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "client_code": vector["client_code"],
        "timestamp": vector["timestamp"],
        "method": vector["method"],
        "path": vector["path"],
        "body": vector["body"],
        "authorization": vector["authorization"],
    }


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_raw_string_matches(vector: dict[str, Any]) -> None:
    assert raw_string(**_parts(vector)).decode("utf-8") == vector["raw"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_signature_reproduces(vector: dict[str, Any]) -> None:
    assert sign(sign_key=vector["sign_key"], **_parts(vector)) == vector["signature"]
    assert verify(vector["signature"], sign_key=vector["sign_key"], **_parts(vector))


def test_the_published_vectors_are_documented_and_computed_ones_are_not() -> None:
    documented = {v["signature"] for v in VECTORS if v["provenance"] == "documented"}
    assert documented == DOCUMENTED_SIGNATURES
    assert {v["name"] for v in VECTORS if v["name"] in COMPUTED_HERE and v["provenance"] == "inferred"} == (
        COMPUTED_HERE
    )


def test_python_sample_spacing_vector_differs_from_the_bytes_sent() -> None:
    (vector,) = [v for v in VECTORS if v["name"] == "python-sample-spacing"]
    assert vector["body_sent"] != vector["body"]
    assert json.loads(vector["body_sent"]) == json.loads(vector["body"])
    assert vector["signature_over_body_sent"] == "46eba08a503598735ebb09c36cdb0a0fc7142bc6"
    assert sign(sign_key="KEY", **{**_parts(vector), "body": vector["body_sent"]}) != vector["signature"]


def test_every_inferred_vector_is_described() -> None:
    assert all(v["description"] and v["source"] for v in VECTORS)
    assert {v["convention"] for v in VECTORS} == {"integration", "sso"}


def test_a_changed_key_does_not_verify() -> None:
    vector = VECTORS[0]
    assert not verify(vector["signature"], sign_key=vector["sign_key"] + "x", **_parts(vector))
