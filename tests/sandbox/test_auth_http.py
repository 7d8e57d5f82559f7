"""Authentication of integration calls over HTTP: headers, signature variants, timestamps, debug output."""

from __future__ import annotations

import json
import time

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from prakerja_sandbox import Sandbox, create_app

from .conftest import SignedClient
from .kit import QUOTA, TEST_COURSE, TEST_SCHEDULE, scalar

BODY = {"course_code": TEST_COURSE, "schedule_code": TEST_SCHEDULE}


def _code(response: TestResponse) -> str:
    return str(response.get_json()["code"])


@pytest.mark.parametrize(
    "names",
    [
        ("client_code", "signature", "timestamp"),
        ("Client_code", "Signature", "Timestamp"),
        ("CLIENT_CODE", "SIGNATURE", "TIMESTAMP"),
        ("client-code", "signature", "timestamp"),
    ],
)
def test_header_names_in_any_case(
    signed: SignedClient, client: FlaskClient, names: tuple[str, str, str]
) -> None:
    from prakerja.signing import sign

    client_code, key = signed.credentials("tokopedia")
    raw = json.dumps(BODY, separators=(",", ":"))
    stamp = str(int(time.time()))
    signature = sign(
        sign_key=key, client_code=client_code, timestamp=stamp, method="POST", path=QUOTA, body=raw
    )
    headers = dict(zip(names, (client_code, signature, stamp), strict=True))
    response = client.post(QUOTA, data=raw, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 200


def test_python_sample_spacing_body_is_accepted(signed: SignedClient, sandbox: Sandbox) -> None:
    spaced = json.dumps(BODY)  # {"course_code": "...", ...}: what the Python sample sends
    compact = json.dumps(BODY, separators=(",", ":"))  # what it signs
    response = signed.post(QUOTA, raw=spaced, sign_body=compact)
    assert response.status_code == 200
    assert scalar(sandbox, "SELECT signature_variant FROM request_log ORDER BY id DESC LIMIT 1") == "compact"


def test_ascii_escaped_signature_of_a_unicode_body_is_accepted(
    signed: SignedClient, sandbox: Sandbox
) -> None:
    body = {"course_code": "kursus-é", "schedule_code": TEST_SCHEDULE}
    sent = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    escaped = json.dumps(body, separators=(",", ":"))
    response = signed.post(QUOTA, raw=sent, sign_body=escaped)
    assert response.get_json()["code"] != "ERRPLT40104"
    assert (
        scalar(sandbox, "SELECT signature_variant FROM request_log ORDER BY id DESC LIMIT 1")
        == "compact_ascii"
    )


def test_changed_byte_is_refused_with_the_raw_string_the_sandbox_expected(signed: SignedClient) -> None:
    sent = json.dumps(BODY, separators=(",", ":"))
    response = signed.post(QUOTA, raw=sent, sign_body=sent.replace("prakerjaoauth1", "prakerjaoauth2"))
    body = response.get_json()
    assert response.status_code == 400  # every refusal answers 400 by default, as documented
    assert body["code"] == "ERRPLT40104"
    client_code, key = signed.credentials("tokopedia")
    debug = body["debug"]
    assert debug["expected_raw_signature"].startswith(client_code)
    assert debug["expected_raw_signature"].endswith(f"POST{QUOTA}{sent}")
    assert len(debug["received_signature"]) == 40
    assert key not in json.dumps(body)


def test_signature_over_the_full_url_gets_a_hint(signed: SignedClient) -> None:
    response = signed.post(QUOTA, BODY, sign_path=f"http://localhost{QUOTA}")
    assert response.get_json()["code"] == "ERRPLT40104"
    assert "path only" in response.get_json()["debug"]["hint"]


def test_without_sandbox_debug_refusals_carry_no_debug() -> None:
    app = create_app({"sandbox_debug": False})
    signed = SignedClient(app.test_client(), app.extensions["prakerja_sandbox"])
    body = signed.post(QUOTA, BODY, signature="0" * 40).get_json()
    assert body == {"success": False, "code": "ERRPLT40104", "message": "Signature tidak valid."}


def test_missing_client_code_answers_errplt40101(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, drop=("client_code",))) == "ERRPLT40101"


def test_unknown_client_code_answers_errplt40102(signed: SignedClient) -> None:
    response = signed.post(QUOTA, BODY, headers={"client_code": "SBX-DP-NOBODY"})
    assert response.status_code == 400
    assert _code(response) == "ERRPLT40102"


def test_missing_signature_answers_errplt40103(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, drop=("signature",))) == "ERRPLT40103"


def test_missing_timestamp_answers_errplt40007(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, drop=("timestamp",))) == "ERRPLT40007"


def test_millisecond_timestamp_answers_errplt40007(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, timestamp=int(time.time() * 1000))) == "ERRPLT40007"


def test_stale_timestamp_answers_errplt40105(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, timestamp=int(time.time()) - 600)) == "ERRPLT40105"


def test_future_timestamp_answers_errplt40106(signed: SignedClient) -> None:
    assert _code(signed.post(QUOTA, BODY, timestamp=int(time.time()) + 600)) == "ERRPLT40106"


def test_node_rounding_one_second_ahead_is_accepted(signed: SignedClient) -> None:
    assert signed.post(QUOTA, BODY, timestamp=int(time.time()) + 1).status_code == 200


def test_tolerance_is_configurable() -> None:
    app = create_app({"timestamp_tolerance_seconds": 5})
    signed = SignedClient(app.test_client(), app.extensions["prakerja_sandbox"])
    assert _code(signed.post(QUOTA, BODY, timestamp=int(time.time()) - 60)) == "ERRPLT40105"


def test_timestamps_follow_real_time_not_the_sandbox_clock(signed: SignedClient, sandbox: Sandbox) -> None:
    sandbox.clock.advance(3600)
    assert signed.post(QUOTA, BODY).status_code == 200


def test_uppercase_hex_signature_is_accepted(signed: SignedClient) -> None:
    from prakerja.signing import sign

    client_code, key = signed.credentials("tokopedia")
    stamp = int(time.time())
    raw = json.dumps(BODY, separators=(",", ":"))
    signature = sign(
        sign_key=key, client_code=client_code, timestamp=stamp, method="POST", path=QUOTA, body=raw
    )
    assert signed.post(QUOTA, BODY, timestamp=stamp, signature=signature.upper()).status_code == 200


def test_signature_of_another_partner_key_is_refused(signed: SignedClient) -> None:
    from prakerja.signing import sign

    client_code, _ = signed.credentials("tokopedia")
    _, other_key = signed.credentials("bukalapak")
    stamp = int(time.time())
    raw = json.dumps(BODY, separators=(",", ":"))
    signature = sign(
        sign_key=other_key, client_code=client_code, timestamp=stamp, method="POST", path=QUOTA, body=raw
    )
    assert _code(signed.post(QUOTA, BODY, timestamp=stamp, signature=signature)) == "ERRPLT40104"
