"""Network profiles: repeatable shaping of every operation like a partner's link."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from flask.testing import FlaskClient

from prakerja_sandbox.faults import NETWORK_PROFILES, plan_request

from .conftest import SignedClient
from .kit import STATUS

PROFILE = "/_sandbox/network-profile"


def _status(signed: SignedClient) -> int:
    return signed.post(STATUS, {"invoice_code": "testing-1234567"}).status_code


def test_the_same_seed_plans_the_same_requests() -> None:
    profile = NETWORK_PROFILES["poor-coverage"]
    first = [plan_request(profile, seed=7, index=i) for i in range(50)]
    assert first == [plan_request(profile, seed=7, index=i) for i in range(50)]
    assert first != [plan_request(profile, seed=8, index=i) for i in range(50)]


def test_poor_coverage_is_slow_jittery_and_loses_a_share_of_traffic() -> None:
    profile = NETWORK_PROFILES["poor-coverage"]
    plans = [plan_request(profile, seed=1, index=i) for i in range(2000)]
    outcomes = Counter(plan.outcome for plan in plans)
    assert 0.07 < outcomes["lose_request"] / 2000 < 0.13
    assert 0.07 < outcomes["lose_response"] / 2000 < 0.13
    latencies = [plan.latency_ms for plan in plans]
    assert min(latencies) >= 300
    assert max(latencies) <= 2700
    assert len(set(latencies)) > 100


def test_good_shapes_nothing() -> None:
    plans = {plan_request(NETWORK_PROFILES["good"], seed=3, index=i) for i in range(100)}
    assert {(plan.latency_ms, plan.outcome) for plan in plans} == {(0, "deliver")}


def test_offline_loses_every_request(client: FlaskClient, signed: SignedClient) -> None:
    assert client.post(PROFILE, json={"name": "offline"}).status_code == 200
    response = signed.post(STATUS, {"invoice_code": "testing-1234567"})
    assert (response.status_code, response.get_json()["code"]) == (503, "ERRPLT50301")


def test_back_to_good_restores_the_link(client: FlaskClient, signed: SignedClient) -> None:
    client.post(PROFILE, json={"name": "offline"})
    client.post(PROFILE, json={"name": "good"})
    assert _status(signed) == 200


def test_3g_adds_latency(client: FlaskClient, signed: SignedClient) -> None:
    client.post(PROFILE, json={"name": "3g", "seed": 5})
    started = time.perf_counter()
    assert _status(signed) == 200
    assert time.perf_counter() - started >= 0.25


@pytest.mark.slow
def test_poor_coverage_through_the_app_follows_the_plan(client: FlaskClient, signed: SignedClient) -> None:
    client.post(PROFILE, json={"name": "poor-coverage", "seed": 5})
    expected = {"deliver": 200, "lose_request": 503, "lose_response": 504}
    plans = [plan_request(NETWORK_PROFILES["poor-coverage"], seed=5, index=i) for i in range(4)]
    assert {plan.outcome for plan in plans} == set(expected)  # seed 5 starts with every outcome
    assert [_status(signed) for _ in plans] == [expected[plan.outcome] for plan in plans]


def test_the_profile_counts_the_requests_it_shaped(client: FlaskClient, signed: SignedClient) -> None:
    client.post(PROFILE, json={"name": "offline"})
    _status(signed)
    _status(signed)
    current = client.get(PROFILE).get_json()["data"]["current"]
    assert (current["name"], current["requests_shaped"]) == ("offline", 2)


def test_an_unknown_profile_is_refused(client: FlaskClient) -> None:
    response = client.post(PROFILE, json={"name": "5g"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "name")
