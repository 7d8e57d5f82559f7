"""docs/contract.md lists every decision of the contract; the table is regenerated, never edited by hand.

Run ``python tests/contracts/test_contract_doc.py`` to rewrite the table after changing the contract.
"""

from __future__ import annotations

import sys
from pathlib import Path

from prakerja.contract import Contract, load_contract

DOC = Path(__file__).resolve().parents[2] / "docs" / "contract.md"
BEGIN = "<!-- decisions:begin (generated from contracts/ by tests/contracts/test_contract_doc.py) -->"
END = "<!-- decisions:end -->"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_table(contract: Contract) -> str:
    rows = [
        "| # | kind | id | decision | reason | provenance | applies to |",
        "|---|---|---|---|---|---|---|",
    ]

    def add(kind: str, ident: str, decision: str, reason: str, provenance: str, applies: str) -> None:
        rows.append(
            f"| {len(rows) - 1} | {kind} | `{ident}` | {_cell(decision)} | {_cell(reason)} | {provenance} | {_cell(applies)} |"
        )

    for item in contract.openapi["x-decisions"]:
        inconsistency = item.get("inconsistency")
        topic = f"{item['topic']} (inconsistency {inconsistency})" if inconsistency else item["topic"]
        add(
            "contract",
            item["id"],
            f"**{topic}**: {item['decision']}",
            item["reason"],
            item["provenance"],
            ", ".join(item.get("applies_to", ())),
        )
    scenarios = contract.scenarios
    add(
        "scenario",
        "sandbox-otp",
        f"Every sandbox OTP is {scenarios['otp']['value']} unless the sandbox runs with --otp-mode random.",
        scenarios["otp"]["description"],
        scenarios["otp"]["provenance"],
        "payments.send_otp, payments.authorize",
    )
    add(
        "scenario",
        "shared-test-codes",
        "PRAT- test codes are shared by every validated training institution.",
        scenarios["test_codes"]["shared_reason"],
        "inferred",
        "attendance.*, tpm.*",
    )
    add(
        "scenario",
        "magic-participants",
        "Kartu Prakerja numbers starting 999 trigger a named send-otp or authorize refusal.",
        scenarios["magic_participants"]["description"],
        scenarios["magic_participants"]["provenance"],
        "payments.send_otp, payments.authorize",
    )
    for case in scenarios["test_codes"]["cases"]:
        if case["provenance"] == "inferred":
            add(
                "scenario",
                case["case"],
                f"{case['redeem_code']}: {case['description']}",
                f"negative case in the documented TC pattern, answers {case.get('expect_code', case['expect_status'])}",
                "inferred",
                "attendance.*",
            )
    for vector in contract.signing_vectors:
        if vector["provenance"] == "inferred":
            add(
                "signing",
                vector["name"],
                vector["description"],
                vector["source"],
                "inferred",
                vector["convention"],
            )
    for code, entry in contract.errors.items():
        if entry.provenance == "inferred":
            add(
                "error code",
                code,
                f"{entry.http_status} {entry.title}: {entry.message_en}",
                entry.reasoning or "",
                "inferred",
                ", ".join(entry.operations),
            )
    return "\n".join(rows)


def _rendered_doc(text: str, contract: Contract) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{render_table(contract)}\n{END}{tail}"


def test_decision_table_is_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text
    assert END in text
    assert text == _rendered_doc(text, load_contract()), "run: python tests/contracts/test_contract_doc.py"


def test_every_inferred_item_of_the_contract_has_a_row() -> None:
    text = DOC.read_text(encoding="utf-8")
    contract = load_contract()
    inferred_codes = [code for code, e in contract.errors.items() if e.provenance == "inferred"]
    decision_ids = [item["id"] for item in contract.openapi["x-decisions"]]
    assert all(f"| `{ident}` |" in text for ident in [*inferred_codes, *decision_ids])


if __name__ == "__main__":
    DOC.write_text(_rendered_doc(DOC.read_text(encoding="utf-8"), load_contract()), encoding="utf-8")
    sys.exit(0)
