"""The signing vectors of contracts/signing.json against the sandbox's verifier."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pytest

from prakerja.contract import load_contract
from prakerja_sandbox.auth import Credentials, SignedRequest, check_timestamp, verify_signature
from prakerja_sandbox.errors import ApiError

VECTORS = load_contract().signing_vectors


def _vector_ids(vector: Mapping[str, Any]) -> str:
    return str(vector["name"])


def _request(vector: Mapping[str, Any], body: str) -> SignedRequest:
    path, _, query = str(vector["path"]).partition("?")
    parsed = json.loads(body) if body else None
    authorization = (vector.get("request_headers") or {}).get("Authorization")
    return SignedRequest(
        method=vector["method"],
        path=path,
        query=query,
        body=body.encode("utf-8"),
        parsed=parsed,
        authorization=authorization,
    )


def _credentials(vector: Mapping[str, Any], signature: str | None = None) -> Credentials:
    return Credentials(
        client_code=vector["client_code"],
        signature=signature or vector["signature"],
        timestamp=str(vector["timestamp"]),
    )


@pytest.mark.parametrize("vector", VECTORS, ids=_vector_ids)
def test_vector_verifies_over_the_body_sent(vector: Mapping[str, Any]) -> None:
    sent = vector.get("body_sent", vector["body"])
    variant = verify_signature(
        _request(vector, sent),
        _credentials(vector),
        sign_key=vector["sign_key"],
        convention=vector["convention"],
    )
    if "body_sent" in vector:
        assert variant == "compact"
    elif vector.get("authorization"):
        assert variant == "authorization_raw"
    elif vector["method"] == "GET" and "variant_of" in vector:
        assert variant == "path_query"  # a path-only signature is the canonical one when there is no query
    else:
        assert variant in {"raw", "path_query"}


def test_path_only_get_signature_is_accepted_for_a_query_request() -> None:
    full = next(v for v in VECTORS if v["name"] == "sso-login-url-get")
    path_only = next(v for v in VECTORS if v["name"] == "sso-login-url-get-path-only")
    variant = verify_signature(
        _request(full, ""),
        _credentials(full, path_only["signature"]),
        sign_key=full["sign_key"],
        convention="sso",
    )
    assert variant == "path_only"


def test_python_sample_signature_over_the_spaced_body_is_also_accepted() -> None:
    vector = next(v for v in VECTORS if v["name"] == "python-sample-spacing")
    variant = verify_signature(
        _request(vector, vector["body_sent"]),
        _credentials(vector, vector["signature_over_body_sent"]),
        sign_key=vector["sign_key"],
        convention="integration",
    )
    assert variant == "raw"


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS if v["convention"] == "integration" and v["method"] == "POST"],
    ids=_vector_ids,
)
def test_changed_byte_is_refused_with_the_expected_raw_string(vector: Mapping[str, Any]) -> None:
    tampered = _tamper(str(vector.get("body_sent", vector["body"])))
    with pytest.raises(ApiError) as caught:
        verify_signature(
            _request(vector, tampered),
            _credentials(vector),
            sign_key=vector["sign_key"],
            convention="integration",
        )
    assert caught.value.code == "ERRPLT40104"
    expected = f"{vector['client_code']}{vector['timestamp']}POST{vector['path']}{tampered}"
    masked = re.sub(r'("otp": ?)"[0-9]+"', r'\1"******"', expected)  # the OTP is never shown back
    assert caught.value.debug["expected_raw_signature"] == masked
    assert caught.value.debug["received_signature"] == vector["signature"]
    assert vector["sign_key"] not in json.dumps(caught.value.debug)


def _tamper(body: str) -> str:
    """``body`` with its last ASCII letter changed: still JSON, one byte different."""
    index = max(i for i, ch in enumerate(body) if ch.isascii() and ch.isalpha())
    replacement = "Z" if body[index] != "Z" else "Y"
    return body[:index] + replacement + body[index + 1 :]


def test_sso_vector_with_a_wrong_signature_answers_erroauth4036() -> None:
    vector = next(v for v in VECTORS if v["name"] == "sso-create-token")
    with pytest.raises(ApiError, match="ERROAUTH4036"):
        verify_signature(
            _request(vector, vector["body"]),
            _credentials(vector, "0" * 40),
            sign_key=vector["sign_key"],
            convention="sso",
        )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1698289216", None),
        ("1698289516", None),
        ("1698288916", None),
        ("1698288915", "ERRPLT40105"),
        ("1698289517", "ERRPLT40106"),
        ("1698289216000", "ERRPLT40007"),
        ("1698289216.5", "ERRPLT40007"),
        ("-1698289216", "ERRPLT40007"),
        ("abc", "ERRPLT40007"),
        (None, "ERRPLT40007"),
    ],
)
def test_timestamp_window(value: str | None, code: str | None) -> None:
    now = 1698289216.0
    if code is None:
        assert check_timestamp(value, now=now, tolerance=300, convention="integration") == int(value or 0)
    else:
        with pytest.raises(ApiError) as caught:
            check_timestamp(value, now=now, tolerance=300, convention="integration")
        assert caught.value.code == code


def test_millisecond_timestamp_hint_names_milliseconds() -> None:
    with pytest.raises(ApiError, match="milliseconds"):
        check_timestamp("1698289216000", now=1698289216.0, tolerance=300, convention="integration")


def test_sso_timestamp_problems_answer_erroauth4037() -> None:
    with pytest.raises(ApiError, match="ERROAUTH4037"):
        check_timestamp("1", now=1698289216.0, tolerance=300, convention="sso")
