"""The control API under /_sandbox: state, inbox, clock, logs and coverage."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from prakerja_sandbox import Sandbox
from prakerja_sandbox.control.synthetic import seed_synthetic

from .conftest import SignedClient
from .kit import AUTHORIZE, BUYER, SEND_OTP, STATUS, authorize_body, send_otp_body


def _data(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["success"] is True
    return body["data"]


def _buy(signed: SignedClient, invoice_code: str = "INV-CTL-1") -> dict[str, Any]:
    token = signed.post(SEND_OTP, send_otp_body()).get_json()["data"]["payment_token"]
    response = signed.post(AUTHORIZE, authorize_body(invoice_code), authorization=f"Payment {token}")
    return dict(response.get_json())


def test_partners_lists_every_seeded_partner_with_its_sign_key(client: FlaskClient) -> None:
    partners = _data(client.get("/_sandbox/partners"))["partners"]
    tokopedia = next(p for p in partners if p["client_code"] == "SBX-DP-TOKOPEDIA")
    assert tokopedia["sign_key"] == "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81"
    lp = next(p for p in partners if p["client_code"] == "SBX-LP-CIPTAKREASI")
    assert (lp["role"], lp["curated_by_name"], lp["status"]) == ("LP", "Tokopedia", "validated")


def test_reset_undoes_a_purchase(client: FlaskClient, signed: SignedClient) -> None:
    assert _buy(signed)["success"] is True
    _data(client.post("/_sandbox/reset", json={}))
    response = signed.post(STATUS, {"invoice_code": "INV-CTL-1"})
    assert response.get_json()["code"] == "ERRPLT40032"


def test_reset_without_seed_leaves_the_sandbox_empty(client: FlaskClient) -> None:
    counts = _data(client.post("/_sandbox/reset", json={"seed": False}))["counts"]
    assert counts["partners"] == 0


def test_reset_can_keep_the_request_log(client: FlaskClient, signed: SignedClient) -> None:
    signed.post(STATUS, {"invoice_code": "nothing"})
    assert _data(client.post("/_sandbox/reset", json={"keep_request_log": True}))["request_log_kept"] == 1
    assert _data(client.get("/_sandbox/requests"))["total"] == 1


def test_inbox_holds_the_otp_then_the_redeem_code_newest_first(
    client: FlaskClient, signed: SignedClient
) -> None:
    purchase = _buy(signed)
    messages = _data(client.get(f"/_sandbox/inbox?prakerja_id={BUYER}"))["messages"]
    assert [m["kind"] for m in messages] == ["redeem_code", "otp"]
    assert messages[1]["otp"] == "123456"
    with_code = _data(client.get("/_sandbox/transactions"))["items"][0]
    assert with_code["invoice_code"] == purchase["data"]["invoice_code"]
    assert messages[0]["redeem_code"] == with_code["redeem_code"]


def test_inbox_filters_by_kind(client: FlaskClient, signed: SignedClient) -> None:
    _buy(signed)
    messages = _data(client.get("/_sandbox/inbox?kind=otp"))["messages"]
    assert {m["kind"] for m in messages} == {"otp"}


def test_moving_the_clock_past_the_otp_lifetime_expires_the_otp(
    client: FlaskClient, signed: SignedClient
) -> None:
    token = signed.post(SEND_OTP, send_otp_body()).get_json()["data"]["payment_token"]
    _data(client.post("/_sandbox/clock", json={"advance_seconds": 301}))
    response = signed.post(AUTHORIZE, authorize_body(), authorization=f"Payment {token}")
    assert response.get_json()["code"] == "ERRPLT40024"


def test_clock_can_be_set_and_reset(client: FlaskClient) -> None:
    moved = _data(client.post("/_sandbox/clock", json={"set": "2030-01-02T03:04:05Z"}))
    assert moved["now"].startswith("2030-01-02T03:04")
    back = _data(client.post("/_sandbox/clock", json={"reset": True}))
    assert abs(back["offset_seconds"]) < 1


def test_clock_refuses_two_moves_at_once(client: FlaskClient) -> None:
    response = client.post("/_sandbox/clock", json={"advance_seconds": 5, "reset": True})
    assert (response.status_code, response.get_json()["code"]) == (400, "ERRPLT40005")


def test_clock_refuses_a_text_advance(client: FlaskClient) -> None:
    response = client.post("/_sandbox/clock", json={"advance_seconds": "60"})
    assert response.get_json()["code"] == "ERRPLT40004"
    assert response.get_json()["debug"]["field"] == "advance_seconds"


def test_clock_needs_a_move(client: FlaskClient) -> None:
    assert client.post("/_sandbox/clock", json={}).get_json()["code"] == "ERRPLT40003"


def test_control_refuses_unknown_fields_and_malformed_json(client: FlaskClient) -> None:
    assert client.post("/_sandbox/reset", json={"sed": True}).get_json()["code"] == "ERRPLT40006"
    broken = client.post("/_sandbox/reset", data=b"{nope", content_type="application/json")
    assert broken.get_json()["code"] == "ERRPLT40001"
    assert client.post("/_sandbox/reset", json=[1]).get_json()["code"] == "ERRPLT40002"


def test_request_log_shows_the_expected_raw_string_of_a_bad_signature(
    client: FlaskClient, signed: SignedClient
) -> None:
    signed.post(STATUS, {"invoice_code": "INV-9"}, signature="0" * 40)
    entry = _data(client.get("/_sandbox/requests?limit=1"))["items"][0]
    assert entry["error_code"] == "ERRPLT40104"
    assert entry["signature_ok"] is False
    assert entry["expected_raw_signature"].endswith(
        'POST/api/v1/integration/payment/status{"invoice_code":"INV-9"}'
    )


def test_request_log_names_the_matched_signature_variant(client: FlaskClient, signed: SignedClient) -> None:
    signed.post(STATUS, raw=b'{"invoice_code": "INV-9"}', sign_body=b'{"invoice_code":"INV-9"}')
    entry = _data(client.get("/_sandbox/requests?operation=payments.status"))["items"][0]
    assert entry["signature_variant"] == "compact"


def test_request_log_never_holds_the_otp_or_a_sign_key(client: FlaskClient, signed: SignedClient) -> None:
    _buy(signed)
    text = client.get("/_sandbox/requests").get_data(as_text=True)
    assert "123456" not in text
    assert "9d1c9c1ca8da42a15b1a882ecc6c254f9f009d81" not in text


def test_request_log_lists_the_requests_answered_with_one_error_code(
    client: FlaskClient, signed: SignedClient
) -> None:
    signed.post(STATUS, {"invoice_code": "NO-SUCH-INVOICE"})
    signed.post(STATUS, {})
    signed.post(STATUS, {"invoice_code": "INV-9"}, signature="f" * 40)

    def listed(code: str) -> list[str | None]:
        return [
            item["error_code"] for item in _data(client.get(f"/_sandbox/requests?error_code={code}"))["items"]
        ]

    everything = [item["error_code"] for item in _data(client.get("/_sandbox/requests"))["items"]]
    assert len(everything) == 3
    assert len(set(everything)) == 3, everything  # three different refusals
    for code in {code for code in everything if code}:
        assert listed(code) == [code] * everything.count(code)
    assert listed("ERRPLT49999") == []


def test_unknown_request_log_entry_is_a_coded_404(client: FlaskClient) -> None:
    response = client.get("/_sandbox/requests/999999")
    assert (response.status_code, response.get_json()["code"]) == (404, "ERRPLT40401")


def test_coverage_counts_emitted_codes_and_lists_the_rest(client: FlaskClient, signed: SignedClient) -> None:
    signed.post(STATUS, {"invoice_code": "unknown-1"})
    signed.post(STATUS, {"invoice_code": "unknown-2"})
    coverage = _data(client.get("/_sandbox/coverage"))
    assert {k: v for k, v in coverage["emitted"][0].items() if k in ("code", "count")} == {
        "code": "ERRPLT40032",
        "count": 2,
    }
    never = {entry["code"] for entry in coverage["never_emitted"]}
    assert "ERRPLT40032" not in never
    assert "ERRVOD40001" in never
    assert coverage["covered"] == 1


def test_participants_are_paged(client: FlaskClient) -> None:
    first = _data(client.get("/_sandbox/participants?limit=5"))
    second = _data(client.get("/_sandbox/participants?limit=5&offset=5"))
    assert len(first["items"]) == 5
    assert first["total"] > 10
    assert not {p["prakerja_id"] for p in first["items"]} & {p["prakerja_id"] for p in second["items"]}


def test_participants_page_size_is_bounded(client: FlaskClient) -> None:
    response = client.get("/_sandbox/participants?limit=0")
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "limit")


def test_an_added_participant_can_buy(client: FlaskClient, signed: SignedClient) -> None:
    added = _data(client.post("/_sandbox/participants", json={"name": "Rina Kusuma", "education": "S1"}), 201)
    assert len(added["prakerja_id"]) == 16
    response = signed.post(SEND_OTP, send_otp_body(prakerja_id=added["prakerja_id"]))
    assert response.status_code == 200, response.get_json()


def test_adding_a_participant_twice_is_refused(client: FlaskClient) -> None:
    body = {"prakerja_id": "1234567890123456", "name": "Rina Kusuma"}
    _data(client.post("/_sandbox/participants", json=body), 201)
    response = client.post("/_sandbox/participants", json=body)
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == (
        "ERRPLT40005",
        "prakerja_id",
    )


def test_a_participant_needs_a_name(client: FlaskClient) -> None:
    response = client.post("/_sandbox/participants", json={"education": "S1"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40003", "name")


def test_an_added_course_and_schedule_are_on_sale(client: FlaskClient, signed: SignedClient) -> None:
    course = {"code": "ctl-course-1", "lp": "SBX-LP-CIPTAKREASI", "price": 250000, "type": "webinar"}
    assert _data(client.post("/_sandbox/courses", json=course), 201)["sold_on"] == ["tokopedia"]
    schedule = {
        "code": "ctl-schedule-1",
        "course_code": "ctl-course-1",
        "start_offset_minutes": 60,
        "capacity": 3,
    }
    _data(client.post("/_sandbox/schedules", json=schedule), 201)
    body = send_otp_body(course_code="ctl-course-1", schedule_code="ctl-schedule-1", amount=250000)
    assert signed.post(SEND_OTP, body).status_code == 200


def test_a_course_of_an_unknown_lp_is_refused(client: FlaskClient) -> None:
    response = client.post("/_sandbox/courses", json={"code": "x1", "lp": "SBX-DP-TOKOPEDIA"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == ("ERRPLT40005", "lp")


def test_a_schedule_of_an_unknown_course_is_refused(client: FlaskClient) -> None:
    response = client.post("/_sandbox/schedules", json={"code": "s1", "course_code": "nope"})
    assert (response.get_json()["code"], response.get_json()["debug"]["field"]) == (
        "ERRPLT40005",
        "course_code",
    )


def test_synthetic_seed_adds_participants_and_purchases(client: FlaskClient, sandbox: Sandbox) -> None:
    before = _data(client.get("/_sandbox/participants?limit=1"))["total"]
    result = _data(client.post("/_sandbox/seed", json={"participants": 300, "redeem_codes": 120, "seed": 3}))
    assert (result["participants"], result["redeem_codes"]) == (300, 120)
    assert _data(client.get("/_sandbox/participants?limit=1"))["total"] == before + 300
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM schedules WHERE sold > capacity") == 0
        doubles = tx.scalar(
            "SELECT COUNT(*) FROM (SELECT prakerja_id, course_code FROM transactions "
            "GROUP BY prakerja_id, course_code HAVING COUNT(*) > 1) AS doubled"
        )
        assert doubles == 0


def test_synthetic_seed_is_bounded(client: FlaskClient) -> None:
    response = client.post("/_sandbox/seed", json={"participants": 10_000_000})
    assert response.get_json()["code"] == "ERRPLT40005"


def test_redeem_codes_carry_their_attendance(client: FlaskClient) -> None:
    entry = _data(client.get("/_sandbox/redeem-codes/PRAT-TC1999"))
    assert entry["attendance"][0]["sequence"] == 1
    assert entry["attendance"][0]["status_label"] == "ATTENDED"


def test_unknown_redeem_code_is_a_coded_404(client: FlaskClient) -> None:
    response = client.get("/_sandbox/redeem-codes/NOPE")
    assert (response.status_code, response.get_json()["code"]) == (404, "ERRPLT40401")


def test_transactions_list_purchases_newest_first(client: FlaskClient, signed: SignedClient) -> None:
    _buy(signed, "INV-A")
    items = _data(client.get("/_sandbox/transactions?dp=tokopedia"))["items"]
    assert items[0]["invoice_code"] == "INV-A"
    assert items[0]["dp_name"] == "Tokopedia"


def test_synthetic_seed_reports_its_progress(sandbox: Sandbox) -> None:
    reports: list[tuple[str, int, int]] = []
    seed_synthetic(sandbox, participants=20, redeem_codes=5, progress=lambda *step: reports.append(step))
    assert reports[-1] == ("redeem codes", 5, 5)
    assert ("participants", 20, 20) in reports
