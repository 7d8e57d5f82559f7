"""The examples of Prakerja's own pages are answered by the sandbox as the pages show them."""

from __future__ import annotations

from typing import Any

import pytest

from prakerja.contract import load_contract

from .conftest import SignedClient
from .kit import QUOTA
from .lp_kit import LP, REDEEM_STATUS, SSO_TOKEN, auth_code


def _examples(operation_id: str) -> dict[str, Any]:
    body = load_contract().operation(operation_id).spec["requestBody"]["content"]["application/json"]
    return {name: example["value"] for name, example in body["examples"].items()}


@pytest.mark.parametrize("name", sorted(_examples("payments.quota")))
def test_the_check_quota_examples_answer_their_schedule(signed: SignedClient, name: str) -> None:
    example = _examples("payments.quota")[name]
    response = signed.post(QUOTA, example)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert (data["course_code"], data["schedule_code"]) == (example["course_code"], example["schedule_code"])
    assert data["quota"] > 0


def test_the_status_page_example_code_answers_as_the_page_shows_it(signed: SignedClient) -> None:
    response = signed.post(REDEEM_STATUS, {"redeem_code": "GHOPNYXUVMT0", "sequence": 1}, as_=LP)
    data = response.get_json()["data"]
    assert (data["status"], data["attendance_status"]) == (1, 0)
    assert (data["course_code"], data["invoice_code"], data["schedule_code"], data["dp_platform"]) == (
        "prakerjaoauth1", "testing-1234567", "prakerjaoauth", "Tokopedia"
    )  # fmt: skip


def test_the_create_token_curl_as_the_page_writes_it_is_answered(signed: SignedClient) -> None:
    """``curl --data '{"code": ...}'`` without -H sends the JSON text labelled form-encoded."""
    code = auth_code(signed.client)
    response = signed.post(
        SSO_TOKEN, raw=f'{{"code": "{code}"}}', as_=LP, convention="sso",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["token_type"] == "Bearer"
    assert response.headers["Prakerja-Sandbox-Warning"].startswith('SBXW004 "')
