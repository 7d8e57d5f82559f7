"""Security properties: constant-time signatures, replay window, secrets kept out of output, body limits,
and a control API that can be turned off or locked with a token."""

from __future__ import annotations

import hmac
import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from prakerja_sandbox import create_app
from prakerja_sandbox.validation import parse_json

from .served import ServedSandbox, compact, partner

QUOTA = "/api/v1/integration/payment/quota-schedule"
QUOTA_BODY = {"course_code": "prakerjaoauth1", "schedule_code": "prakerjaoauth"}


def _client(**settings: Any) -> FlaskClient:
    return create_app(settings).test_client()


def _signed_post(client: FlaskClient, path: str, body: bytes, *, timestamp: int | None = None) -> Any:
    dp = partner("tokopedia")
    return client.post(path, data=body, headers=dp.headers(path, body, timestamp=timestamp))


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(left: Any, right: Any) -> bool:
        compared.append((left, right))
        return real(left, right)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    client = _client()
    body = compact(QUOTA_BODY)
    headers = {**partner("tokopedia").headers(QUOTA, body), "signature": "0" * 40}

    answer = client.post(QUOTA, data=body, headers=headers)

    assert answer.json is not None
    assert answer.json["code"] == "ERRPLT40104"
    assert (b"0" * 40) in {right for _, right in compared}


def test_a_replayed_request_outside_the_timestamp_window_is_refused() -> None:
    # A 3 s window: wide enough that a loaded machine still answers the first call inside it.
    client = _client(timestamp_tolerance_seconds=3)
    body = compact(QUOTA_BODY)
    moment = int(time.time())
    headers = partner("tokopedia").headers(QUOTA, body, timestamp=moment)
    assert client.post(QUOTA, data=body, headers=headers).status_code == 200

    while time.time() < moment + 4.2:  # bounded: a little over the window
        time.sleep(0.1)
    replay = client.post(QUOTA, data=body, headers=headers)

    assert replay.status_code == 400
    assert replay.json is not None
    assert replay.json["code"] == "ERRPLT40105"


def test_a_request_stamped_in_the_future_beyond_the_window_is_refused() -> None:
    # A minute past the 300 s window, so that a slow, loaded machine cannot bring the stamp back inside it
    # between signing and checking.
    answer = _signed_post(_client(), QUOTA, compact(QUOTA_BODY), timestamp=int(time.time()) + 360)

    assert answer.status_code == 400
    assert answer.json is not None
    assert answer.json["code"] == "ERRPLT40106"


def test_a_body_over_the_size_limit_is_refused_before_it_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[bytes] = []

    def spy(raw: bytes) -> Any:
        parsed.append(raw)
        return parse_json(raw)

    monkeypatch.setattr("prakerja_sandbox.api.common.parse_json", spy)  # what the operation decorator calls
    client = _client(max_body_bytes=1024)
    oversized = b'{"course_code": "' + b"x" * 2000 + b'"}'

    answer = client.post(QUOTA, data=oversized, headers={"Content-Type": "application/json"})

    assert answer.status_code == 400
    assert answer.json is not None
    assert answer.json["code"] == "ERRPLT41301"
    assert parsed == []


def test_the_control_api_can_be_turned_off() -> None:
    client = _client(control_api=False)

    for path in ("/_sandbox/requests", "/_sandbox/inbox", "/_sandbox/"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.json is not None
        assert answer.json["code"] == "ERRPLT40401"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-token"}, 401),
        ({"X-Sandbox-Token": "wrong-token"}, 401),
        ({"Authorization": "Bearer shared-on-the-lan"}, 200),
        ({"X-Sandbox-Token": "shared-on-the-lan"}, 200),
    ],
)
def test_a_control_token_locks_the_control_api(headers: dict[str, str], status: int) -> None:
    client = _client(control_token="shared-on-the-lan")

    assert client.get("/_sandbox/requests", headers=headers).status_code == status


@pytest.mark.slow
def test_the_command_line_locks_or_turns_off_the_control_api(tmp_path: Any) -> None:
    locked = ServedSandbox(tmp_path / "locked.sqlite3", workers=1, options=["--control-token", "lan-token"])
    try:
        assert locked.http.get("/_sandbox/inbox").status_code == 401
        assert (
            locked.http.get("/_sandbox/inbox", headers={"Authorization": "Bearer lan-token"}).status_code
            == 200
        )
    finally:
        locked.stop()
    off = ServedSandbox(tmp_path / "off.sqlite3", workers=1, options=["--no-control-api"])
    try:
        assert off.http.get("/_sandbox/inbox").status_code == 404
    finally:
        off.stop()
