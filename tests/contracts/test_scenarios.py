"""Sandbox scenarios: test codes, TC cases and magic participants are well-formed."""

from __future__ import annotations

import re

from prakerja.contract import load_contract

SCENARIOS = load_contract().scenarios
CASES = SCENARIOS["test_codes"]["cases"]
MAGIC = SCENARIOS["magic_participants"]["participants"]


def test_documented_positive_cases_exist() -> None:
    assert {c["case"] for c in CASES if c["expect_status"] == 200} == {
        "TC1-001-200",
        "TC1-999-200",
        "TC2-001-200",
        "TC2-999-200",
    }


def test_case_ids_follow_the_pattern_and_agree_with_their_sequence() -> None:
    for case in CASES:
        match = re.fullmatch(r"TC([1-3])-(\d{3})-(\d{3})(?:-[A-Z])?", case["case"])
        assert match, case["case"]
        assert int(match[2]) == case["sequence"]
        assert int(match[3]) == case["expect_status"]


def test_test_codes_match_the_prat_pattern() -> None:
    pattern = re.compile(SCENARIOS["test_codes"]["pattern"])
    assert all(pattern.fullmatch(case["redeem_code"]) for case in CASES)


def test_only_positive_cases_are_resettable() -> None:
    assert all(case["resettable"] == (case["expect_status"] == 200) for case in CASES)


def test_negative_cases_name_their_code() -> None:
    assert all(case.get("expect_code") for case in CASES if case["expect_status"] != 200)


def test_test_cases_point_at_declared_test_courses() -> None:
    courses = {course["code"] for course in SCENARIOS["test_courses"]}
    assert {case["course_code"] for case in CASES if case.get("seeded", True)} <= courses


def test_every_send_otp_and_authorize_refusal_has_a_magic_participant() -> None:
    contract = load_contract()
    for step in ("payments.send_otp", "payments.authorize"):
        dp_codes = {
            code
            for code, entry in contract.errors.items()
            if step in entry.operations and entry.family == "payment" and code != "ERRPLT40036"
        }
        covered = {m["code"] for m in MAGIC if m["step"] == step}
        assert dp_codes <= covered, f"{step}: no magic participant for {sorted(dp_codes - covered)}"


def test_magic_participant_ids_encode_their_code() -> None:
    pattern = re.compile(SCENARIOS["magic_participants"]["pattern"])
    for magic in MAGIC:
        assert pattern.fullmatch(magic["prakerja_id"])
        if magic["code"]:
            assert magic["prakerja_id"].endswith(magic["code"][-5:])
            assert magic["prakerja_id"][9] == ("0" if magic["step"] == "payments.send_otp" else "1")


def test_fixed_otp_is_six_digits() -> None:
    assert re.fullmatch(r"\d{6}", SCENARIOS["otp"]["value"])
