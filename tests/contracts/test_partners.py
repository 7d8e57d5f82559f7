"""The sandbox seed (``contracts/partners.yaml``) is complete, consistent and grounded in the region data."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"

ORIGINAL_DPS = {
    "Tokopedia",
    "Bukalapak",
    "Skill Academy",
    "Pijar Mahir",
    "MauBelajarApa",
    "Pintaria",
    "Sekolahmu",
    "Sisnaker",
}
COURSE_TYPES = {"webinar", "self_paced", "offline"}
LP_STATUSES = {"validated", "pending_validation", "suspended"}
EDUCATION = ["SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]
CODE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    with (CONTRACTS / "partners.yaml").open(encoding="utf-8") as f:
        data: dict[str, Any] = yaml.safe_load(f)
    return data


@pytest.fixture(scope="module")
def provinces() -> list[dict[str, str]]:
    with (CONTRACTS / "regions" / "provinces.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def regencies() -> list[dict[str, str]]:
    with (CONTRACTS / "regions" / "regencies.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def regency_codes(regencies: list[dict[str, str]]) -> set[str]:
    return {r["code"] for r in regencies}


@pytest.fixture(scope="module")
def lps_by_code(seed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {lp["code"]: lp for lp in seed["training_institutions"]}


def _age_on(birth_date: str, day: dt.date) -> int:
    born = dt.date.fromisoformat(birth_date)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# ---------------------------------------------------------------- regions


def test_regions_have_38_provinces_with_two_digit_codes(provinces: list[dict[str, str]]) -> None:
    codes = [p["code"] for p in provinces]
    assert len(codes) == 38
    assert len(set(codes)) == 38
    assert all(re.fullmatch(r"\d{2}", c) for c in codes)


def test_regions_have_514_regencies_in_their_provinces(
    regencies: list[dict[str, str]], provinces: list[dict[str, str]]
) -> None:
    codes = [r["code"] for r in regencies]
    assert len(codes) == 514
    assert len(set(codes)) == 514
    assert all(re.fullmatch(r"\d{2}\.\d{2}", c) for c in codes)
    province_codes = {p["code"] for p in provinces}
    assert all(
        r["province_code"] in province_codes and r["code"][:2] == r["province_code"] for r in regencies
    )


# ---------------------------------------------------------------- top level


def test_seed_has_version_provenance_and_2024_defaults(seed: dict[str, Any]) -> None:
    assert seed["version"] == 1
    assert "Invented" in seed["provenance"]
    assert seed["defaults"] == {
        "participant_balance": 3_500_000,
        "otp_ttl_seconds": 300,
        "payment_token_ttl_seconds": 900,
    }


# ---------------------------------------------------------------- digital platforms


def test_the_eight_original_digital_platforms_are_present(seed: dict[str, Any]) -> None:
    names = [dp["name"] for dp in seed["digital_platforms"]]
    assert sorted(names) == sorted(ORIGINAL_DPS)


def test_partner_credentials_are_unique_across_dps_and_lps(seed: dict[str, Any]) -> None:
    partners = seed["digital_platforms"] + seed["training_institutions"]
    for field in ("code", "client_code", "sign_key"):
        values = [p[field] for p in partners]
        assert len(values) == len(set(values)), f"duplicate {field}"
    assert all(re.fullmatch(r"[0-9a-f]{32,}", p["sign_key"]) for p in partners)
    assert all(dp["client_code"].startswith("SBX-DP-") for dp in seed["digital_platforms"])
    assert all(lp["client_code"].startswith("SBX-LP-") for lp in seed["training_institutions"])


def test_invoice_prefixes_are_distinct(seed: dict[str, Any]) -> None:
    prefixes = [dp["invoice_prefix"] for dp in seed["digital_platforms"]]
    assert len(prefixes) == len(set(prefixes))
    tokopedia = next(dp for dp in seed["digital_platforms"] if dp["code"] == "tokopedia")
    assert tokopedia["invoice_prefix"] == "TOKPED-"


# ---------------------------------------------------------------- training institutions


def test_every_lp_is_curated_by_a_known_dp_and_every_dp_curates_two(seed: dict[str, Any]) -> None:
    dp_codes = {dp["code"] for dp in seed["digital_platforms"]}
    curators = Counter(lp["curated_by"] for lp in seed["training_institutions"])
    assert set(curators) <= dp_codes
    assert all(curators[dp] >= 2 for dp in dp_codes), curators


def test_lp_statuses_include_pending_and_suspended(seed: dict[str, Any]) -> None:
    statuses = Counter(lp["status"] for lp in seed["training_institutions"])
    assert set(statuses) == LP_STATUSES
    assert statuses["validated"] > statuses["pending_validation"] + statuses["suspended"]


def test_a_validated_lp_of_each_course_type_exists(
    seed: dict[str, Any], lps_by_code: dict[str, dict[str, Any]]
) -> None:
    types_by_lp: dict[str, set[str]] = {}
    for course in seed["courses"]:
        types_by_lp.setdefault(course["lp"], set()).add(course["type"])
    single_kind = {
        next(iter(types))
        for lp, types in types_by_lp.items()
        if len(types) == 1 and lps_by_code[lp]["status"] == "validated"
    }
    assert single_kind == COURSE_TYPES


def test_lp_cities_and_uris_are_well_formed(seed: dict[str, Any], regency_codes: set[str]) -> None:
    for lp in seed["training_institutions"]:
        assert lp["city_code"] in regency_codes, lp["code"]
        assert "http://127.0.0.1:8000/prakerja/attendance/callback" in lp["redirect_uris"]
        assert lp["sso"]["client_name"]
        uris = lp["redirect_uris"] + lp["sso"]["redirect_uris"] + lp["sso"]["login_uris"]
        assert all(
            re.fullmatch(r"(http://127\.0\.0\.1:\d+|https://[a-z0-9-]+\.example)/\S*", u) for u in uris
        )


# ---------------------------------------------------------------- courses


def test_every_course_belongs_to_a_known_lp_and_is_sold_by_its_curator(
    seed: dict[str, Any], lps_by_code: dict[str, dict[str, Any]]
) -> None:
    dp_codes = {dp["code"] for dp in seed["digital_platforms"]}
    for course in seed["courses"]:
        assert course["lp"] in lps_by_code, course["code"]
        assert lps_by_code[course["lp"]]["curated_by"] in course["sold_on"], course["code"]
        assert set(course["sold_on"]) <= dp_codes, course["code"]
    assert any(len(course["sold_on"]) >= 3 for course in seed["courses"])


def test_course_codes_prices_and_sequences_are_valid(seed: dict[str, Any]) -> None:
    codes = [c["code"] for c in seed["courses"]]
    assert len(codes) == len(set(codes))
    assert Counter(c["type"] for c in seed["courses"]).keys() == COURSE_TYPES
    for course in seed["courses"]:
        assert CODE.fullmatch(course["code"]), course["code"]
        assert 100_000 <= course["price"] <= 1_500_000, course["code"]
        assert 1 <= course["sessions"] <= 10, course["code"]
        assert 1 <= course["tpm_count"] <= 998, course["code"]
        assert isinstance(course["has_uk"], bool)


def test_course_requirements_are_complete_and_some_exclude_participants(seed: dict[str, Any]) -> None:
    for course in seed["courses"]:
        req = course["requirements"]
        assert set(req) == {"min_age", "max_age", "min_education"}, course["code"]
        assert 18 <= req["min_age"] < req["max_age"] <= 64, course["code"]
        assert req["min_education"] in EDUCATION, course["code"]
    assert any(
        EDUCATION.index(c["requirements"]["min_education"]) >= EDUCATION.index("S1") for c in seed["courses"]
    )
    assert any(c["requirements"]["max_age"] <= 35 for c in seed["courses"])


def test_schedule_codes_are_unique_and_valid(seed: dict[str, Any]) -> None:
    codes = [s["code"] for c in seed["courses"] for s in c["schedules"]]
    assert len(codes) == len(set(codes))
    assert all(CODE.fullmatch(code) for code in codes)
    assert all(1 <= len(c["schedules"]) <= 3 for c in seed["courses"])


def test_schedules_cover_past_now_soon_and_future(seed: dict[str, Any]) -> None:
    by_offset = [(s["start_offset_minutes"], c["type"]) for c in seed["courses"] for s in c["schedules"]]
    assert (0, "webinar") in by_offset
    assert (30, "webinar") in by_offset
    assert any(off < 0 for off, _ in by_offset)
    assert any(-60 <= off < 0 for off, _ in by_offset), "a schedule that started inside the redeem window"
    assert any(off < -60 for off, _ in by_offset), "a schedule that started outside the redeem window"
    assert any(off >= 7 * 24 * 60 for off, _ in by_offset)


def test_schedule_capacities_include_one_seat_and_full(seed: dict[str, Any]) -> None:
    schedules = [s for c in seed["courses"] for s in c["schedules"]]
    capacities = Counter(s["capacity"] for s in schedules)
    assert capacities[0] >= 1
    assert capacities[1] >= 1
    assert all(s["capacity"] >= 0 and s["duration_minutes"] > 0 for s in schedules)


# ---------------------------------------------------------------- participants


def test_prakerja_ids_are_unique_16_digits_and_not_magic(seed: dict[str, Any]) -> None:
    ids = [p["prakerja_id"] for p in seed["participants"]]
    assert len(ids) == len(set(ids))
    assert all(isinstance(i, str) and re.fullmatch(r"[0-9]{16}", i) for i in ids)
    assert not any(i.startswith("999") for i in ids)


def test_every_participant_lives_in_a_known_regency(seed: dict[str, Any], regency_codes: set[str]) -> None:
    unknown = [p["regency_code"] for p in seed["participants"] if p["regency_code"] not in regency_codes]
    assert unknown == []


def test_every_province_has_at_least_two_participants(
    seed: dict[str, Any], provinces: list[dict[str, str]]
) -> None:
    per_province = Counter(p["regency_code"][:2] for p in seed["participants"])
    thin = {p["name"]: per_province[p["code"]] for p in provinces if per_province[p["code"]] < 2}
    assert thin == {}


def test_participant_fields_are_well_formed(seed: dict[str, Any]) -> None:
    participants = seed["participants"]
    assert 140 <= len(participants) <= 160
    for p in participants:
        assert p["gender"] in {"F", "M"}, p["prakerja_id"]
        assert p["education"] in EDUCATION, p["prakerja_id"]
        assert re.fullmatch(r"08[0-9]{8,11}", p["phone"]), p["prakerja_id"]
        assert re.fullmatch(r"[a-z0-9._-]+@example\.(com|id)", p["email"]), p["prakerja_id"]
        assert p["status"] in {"active", "inactive"}, p["prakerja_id"]
        dt.date.fromisoformat(p["birth_date"])
    for field in ("phone", "email"):
        values = [p[field] for p in participants]
        assert len(values) == len(set(values)), f"duplicate {field}"


def test_participants_cover_every_education_level_and_both_genders(seed: dict[str, Any]) -> None:
    assert {p["education"] for p in seed["participants"]} == set(EDUCATION)
    assert {p["gender"] for p in seed["participants"]} == {"F", "M"}


def test_participants_include_edge_cases_for_purchase_rules(seed: dict[str, Any]) -> None:
    participants = seed["participants"]
    today = dt.date.today()
    assert any(_age_on(p["birth_date"], today) > 64 for p in participants)
    in_range = [p for p in participants if 18 <= _age_on(p["birth_date"], today) <= 64]
    assert len(in_range) >= 0.9 * len(participants)
    assert 1 <= sum(p["status"] == "inactive" for p in participants) <= 10
    cheapest = min(c["price"] for c in seed["courses"])
    assert any(p.get("balance", seed["defaults"]["participant_balance"]) < cheapest for p in participants)


def test_the_seed_has_a_participant_under_the_buying_age_on_the_seed_date(seed: dict[str, Any]) -> None:
    # Birth dates are absolute; the under-age case is pinned to the date the seed was written.
    seed_date = dt.date(2026, 11, 28)
    assert any(_age_on(p["birth_date"], seed_date) == 17 for p in seed["participants"])
    assert any(_age_on(p["birth_date"], seed_date) == 66 for p in seed["participants"])
