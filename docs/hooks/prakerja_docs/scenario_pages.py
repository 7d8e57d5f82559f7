"""The sandbox's magic values, seed credentials and the signing vectors, from ``contracts/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prakerja.contract import Contract
from prakerja_docs.markdown import code, error_link, table

PAGE = "sandbox/magic-values.md"

INTRO_ID = """!!! abstract "Ringkasan (Bahasa Indonesia)"
    Nilai-nilai khusus sandbox: OTP tetap `123456`, kode redeem uji berawalan `PRAT-` untuk setiap kasus uji
    (TC), nomor Kartu Prakerja `999…` yang memicu setiap penolakan send-otp dan authorize, serta kredensial
    DP dan LP bawaan. Semua tabel dibuat otomatis dari `contracts/` saat situs dibangun.
"""


def _expect(case: Mapping[str, Any]) -> str:
    status = case.get("expect_status")
    error = case.get("expect_code")
    return f"{status} {error_link(error, page=PAGE)}" if error else f"{status} OK"


def _courses(contract: Contract) -> str:
    rows = []
    for course in contract.scenarios.get("test_courses", ()):
        sessions = course.get("sessions", 1)
        tasks = f"{course.get('tpm_count', 0)} TPM" + (" + UK" if course.get("has_uk") else "")
        rows.append(
            (
                f"{code(course['code'])}<br>schedule {code(course['schedule_code'])}",
                f"{course['type'].replace('_', '-')}, {sessions} session{'s' if sessions != 1 else ''}, {tasks}",
                f"Rp{course.get('price', 0):,}".replace(",", "."),
                course.get("note", ""),
            )
        )
    return table(["Course", "Type and tasks", "Price", "Note"], rows)


def _cases(contract: Contract) -> str:
    rows = []
    for case in contract.scenarios["test_codes"]["cases"]:
        verified = ", ".join(str(s) for s in case.get("verified_sequences", ())) or "none"
        rows.append(
            (
                f"{code(case['redeem_code'])}<br>{case['case']}",
                code(case["course_code"]) if case.get("course_code") else "-",
                f"{case['sequence']} (verified before: {verified})",
                _expect(case),
                "yes" if case.get("resettable") else "no",
                case.get("description", ""),
            )
        )
    return table(["Redeem code and case", "Course", "Sequence", "Answer", "Reset", "What it tests"], rows)


def _examples(contract: Contract) -> str:
    rows = []
    for example in contract.scenarios.get("example_codes", ()):
        rows.append(
            (
                code(example["redeem_code"]),
                code(example["course_code"]),
                code(example.get("invoice_code", "")),
                ", ".join(str(s) for s in example.get("verified_sequences", ())) or "none",
                "yes" if example.get("resettable") else "no",
                example.get("description", ""),
            )
        )
    return table(["Redeem code", "Course", "Invoice", "Verified", "Resettable", "Description"], rows)


def _participants(contract: Contract) -> str:
    magic = contract.scenarios["magic_participants"]
    rows = []
    for person in magic["participants"]:
        answer = error_link(person["code"], page=PAGE) if person.get("code") else "success"
        rows.append((code(person["prakerja_id"]), code(person["step"] or "-"), answer, person["description"]))
    return table(["Kartu Prakerja number", "Refused at", "Answer", "Behaviour"], rows)


def credentials_tables(contract: Contract) -> str:
    """The seed digital platforms and training institutions with their sandbox credentials."""
    partners = contract.partners
    dps = table(
        ["Digital platform", "client_code", "sign_key", "Status", "Invoice prefix"],
        [
            (
                p["name"],
                code(p["client_code"]),
                code(p["sign_key"]),
                p["status"],
                code(p.get("invoice_prefix", "")),
            )
            for p in partners.get("digital_platforms", ())
        ],
    )
    lps = table(
        [
            "Training institution",
            "client_code",
            "sign_key",
            "Status",
            "Curated by",
            "Attendance redirect_uri",
        ],
        [
            (
                p["name"],
                code(p["client_code"]),
                code(p["sign_key"]),
                p["status"],
                p["curated_by"],
                "<br>".join(code(u) for u in p.get("redirect_uris", ())),
            )
            for p in partners.get("training_institutions", ())
        ],
    )
    return "\n".join(
        [
            "### Digital platforms (DP)",
            "",
            dps,
            "### Training institutions (LP)",
            "",
            "An LP that is not `validated` is refused with "
            + error_link("ERRPLT40302", page=PAGE)
            + ": use it to test that refusal.",
            "",
            lps,
        ]
    )


def magic_values_page(contract: Contract) -> str:
    """The sandbox's magic values and scenarios."""
    scenarios = contract.scenarios
    otp = scenarios["otp"]
    codes = scenarios["test_codes"]
    magic = scenarios["magic_participants"]
    return "\n".join(
        [
            "# Magic values and scenarios",
            "",
            INTRO_ID,
            str(scenarios.get("description", "")),
            "",
            "Every table on this page is generated from `contracts/scenarios.yaml` and `contracts/partners.yaml` "
            "when the site is built: what you read here is what a fresh sandbox does.",
            "",
            "## OTP {#otp}",
            "",
            f"The sandbox's OTP is `{otp['value']}` ({otp['length']} digits). {otp['description']}",
            "",
            "## Test courses {#test-courses}",
            "",
            _courses(contract),
            "## Test redeem codes (`PRAT-`) {#test-redeem-codes}",
            "",
            f"Pattern `{codes['pattern']}`; cases are named `{codes['case_pattern']}`. "
            f"{codes.get('shared_reason', '')} Positive cases can be put back to their start with "
            "`attendance.reset`; negative cases cannot.",
            "",
            _cases(contract),
            "## Documented example codes {#example-codes}",
            "",
            "The codes used as examples on Prakerja's pages exist in the sandbox too, in the state the pages show.",
            "",
            _examples(contract),
            "## Magic participants {#magic-participants}",
            "",
            f"{magic['description']} Pattern `{magic['pattern']}`.",
            "",
            _participants(contract),
            "## Sandbox credentials {#sandbox-credentials}",
            "",
            "Every seed partner of a fresh sandbox, with its sandbox-only credentials.",
            "",
            credentials_tables(contract),
        ]
    )


def signing_vectors_table(contract: Contract) -> str:
    """The known-answer vectors of ``contracts/signing.json`` as a table."""
    rows = []
    for vector in contract.signing_vectors:
        inputs = f"key {code(vector['sign_key'])}"
        if vector.get("body_sent"):
            inputs += f"; sent {code(vector['body_sent'])}"
        rows.append(
            (
                f"**{vector['name']}**<br>{vector.get('description', '')}",
                code(vector["raw"]) + "<br>" + inputs,
                code(vector["signature"]),
                vector.get("provenance", ""),
            )
        )
    return table(["Vector", "Raw string and key", "Signature", "Provenance"], rows)
