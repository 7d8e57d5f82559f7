"""The magic participants of contracts/scenarios.yaml answer their code at their step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from prakerja.contract import load_contract

from .conftest import SignedClient
from .kit import AUTHORIZE, SEND_OTP, authorize_body, payment_token, send_otp_body

MAGIC = load_contract().scenarios["magic_participants"]["participants"]


def _by_step(step: str | None) -> list[Mapping[str, Any]]:
    return [person for person in MAGIC if person["step"] == step]


def _ids(person: Mapping[str, Any]) -> str:
    return f"{person['prakerja_id']}-{person['code']}"


@pytest.mark.parametrize("person", _by_step("payments.send_otp"), ids=_ids)
def test_send_otp_step_participant_answers_its_code(signed: SignedClient, person: Mapping[str, Any]) -> None:
    response = signed.post(SEND_OTP, send_otp_body(prakerja_id=person["prakerja_id"]))
    assert response.get_json()["code"] == person["code"]
    assert response.status_code == load_contract().error(person["code"]).http_status


@pytest.mark.parametrize("person", _by_step("payments.authorize"), ids=_ids)
def test_authorize_step_participant_passes_send_otp_then_answers_its_code(
    signed: SignedClient, person: Mapping[str, Any]
) -> None:
    token = payment_token(signed, prakerja_id=person["prakerja_id"])
    response = signed.post(AUTHORIZE, authorize_body(), authorization=f"Payment {token}")
    assert response.get_json()["code"] == person["code"]


@pytest.mark.parametrize("person", _by_step("payments.authorize"), ids=_ids)
def test_authorize_step_participant_answers_its_code_whatever_the_otp(
    signed: SignedClient, person: Mapping[str, Any]
) -> None:
    token = payment_token(signed, prakerja_id=person["prakerja_id"])
    response = signed.post(AUTHORIZE, authorize_body(otp="999999"), authorization=f"Payment {token}")
    assert response.get_json()["code"] == person["code"]


def test_magic_refusal_comes_after_field_validation(signed: SignedClient) -> None:
    person = _by_step("payments.send_otp")[0]
    body = {**send_otp_body(prakerja_id=person["prakerja_id"]), "amount": "20000"}
    assert signed.post(SEND_OTP, body).get_json()["code"] == "ERRPLT40004"


def test_magic_refusal_comes_after_authentication(signed: SignedClient) -> None:
    person = _by_step("payments.send_otp")[0]
    response = signed.post(SEND_OTP, send_otp_body(prakerja_id=person["prakerja_id"]), signature="0" * 40)
    assert response.get_json()["code"] == "ERRPLT40104"


def test_the_succeeding_participant_buys(signed: SignedClient) -> None:
    (person,) = _by_step(None)
    token = payment_token(signed, prakerja_id=person["prakerja_id"])
    response = signed.post(AUTHORIZE, authorize_body(), authorization=f"Payment {token}")
    assert response.status_code == 200
    assert response.get_json()["data"]["prakerja_name"] == person["name"]
