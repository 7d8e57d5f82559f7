"""The error catalogue and the contract decisions, from ``contracts/errors.yaml`` and ``x-decisions``."""

from __future__ import annotations

from collections.abc import Iterable

from prakerja.contract import Contract, ErrorEntry
from prakerja_docs.markdown import code, operation_link, table

FAMILIES = {
    "request": "Request format",
    "auth": "Authentication and signing",
    "permission": "Permission",
    "routing": "Paths and methods",
    "server": "Transient server errors",
    "payment": "Payments (send OTP, authorize, status, quota)",
    "void": "Void",
    "attendance": "Redeem codes and attendance",
    "tpm": "TPM and UK",
    "sso": "SSO",
}

INTRO_ID = """!!! abstract "Ringkasan (Bahasa Indonesia)"
    Halaman ini memuat seluruh kode galat Prakerja dari `contracts/errors.yaml`: arti setiap kode dalam bahasa
    Indonesia dan Inggris, status HTTP, asal-usulnya (terdokumentasi atau disimpulkan) dan apa yang harus
    dilakukan mitra. Ambil keputusan berdasarkan `code`, jangan berdasarkan teks `message`.
"""


def _provenance(entry: ErrorEntry) -> str:
    text: str = entry.provenance
    if entry.reasoning:
        text += f": {entry.reasoning}"
    if entry.message_provenance != entry.provenance:
        text += f"<br>message {entry.message_provenance}"
        if entry.message_reasoning:
            text += f": {entry.message_reasoning}"
    return text


def _rows(entries: Iterable[ErrorEntry]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for entry in entries:
        flags = []
        if entry.retryable:
            flags.append("retryable")
        if entry.dp_must_handle:
            flags.append("DP must show it")
        rows.append(
            (
                f'<span id="{entry.code}"></span>**{entry.code}**<br>{entry.title}',
                str(entry.http_status) + ("<br>" + ", ".join(flags) if flags else ""),
                f"{entry.message_en}<br>*{entry.message_id}*",
                entry.action,
                _provenance(entry),
            )
        )
    return rows


HEADERS = ["Code", "HTTP", "Meaning (English, then the message Prakerja sends)", "What to do", "Provenance"]


def errors_page(contract: Contract) -> str:
    """Every catalogue code, the digital platform's must-handle ones first, then by family."""
    entries = list(contract.errors.values())
    must = [e for e in entries if e.dp_must_handle]
    documented = sum(1 for e in entries if e.provenance == "documented")
    out = [
        # A search for a code lands here first, not on pages that merely quote it (CI output, examples).
        "---",
        "search:",
        "  boost: 20",
        "---",
        "",
        "# Error catalogue",
        "",
        f'!!! warning "Only {documented} of these {len(entries)} codes are documented by Prakerja"',
        f"    The other {len(entries) - documented} are inferred: the real API may answer codes the SDK does "
        "not know, or known situations with other codes. Catch the families first (`PaymentError`, "
        "`AttendanceError`, ...; in the Python SDK an unknown code raises the family of its operation) and a "
        "code's class only where you need one.",
        "",
        INTRO_ID,
        f"Every refusal carries one of these {len(entries)} codes in `code` (SSO answers repeat it in "
        "`errorCode`). Decide on the code, never on the message text. Generated from `contracts/errors.yaml`; "
        "`prakerja explain CODE` prints the same entry in a terminal.",
        "",
        "*documented* codes appear on Prakerja's developer pages; *inferred* codes fill the gaps of the "
        "published pages, and say why. *retryable* codes are transient: repeat a read after a pause, never a "
        "payment (ask `payments.status` instead).",
        "",
        "## What a digital platform must handle",
        "",
        "A DP must turn each of these refusals into a message for the participant (Prakerja requires it for "
        "Send OTP's validations).",
        "",
        table(
            ["Code", "Meaning", "What to do"],
            [(f"[`{e.code}`](#{e.code})", e.message_en, e.action) for e in must],
        ),
    ]
    seen = set()
    for family, title in FAMILIES.items():
        group = [e for e in entries if e.family == family]
        if not group:
            continue
        seen.add(family)
        group.sort(key=lambda e: (not e.dp_must_handle, e.code))
        out += [f"## {title}", "", table(HEADERS, _rows(group))]
    rest = [e for e in entries if e.family not in seen]
    if rest:
        out += ["## Other codes", "", table(HEADERS, _rows(rest))]
    return "\n".join(out)


def decisions_page(contract: Contract) -> str:
    """Every ``x-decisions`` entry: what the contract decided where Prakerja's pages say nothing or disagree."""
    out = [
        "# Contract decisions",
        "",
        "Where Prakerja's published pages are silent or contradict themselves, the contract decides, and says "
        "so here. Numbered inconsistencies follow the reference's list. Generated from `x-decisions` in "
        "`contracts/openapi.yaml`.",
        "",
        '!!! abstract "Ringkasan (Bahasa Indonesia)"',
        "    Di mana halaman resmi Prakerja tidak menjelaskan sesuatu atau saling bertentangan, kontrak mengambil "
        "keputusan dan mencatatnya di sini: apa yang diputuskan, alasannya, asal-usulnya (terdokumentasi atau "
        "disimpulkan) dan operasi yang terdampak.",
        "",
    ]
    for decision in contract.openapi.get("x-decisions", ()):
        number = decision.get("inconsistency")
        heading = decision.get("topic", decision.get("id", ""))
        if number:
            heading += f" (inconsistency {number})"
        out += [f"## {heading} {{#{decision.get('id', '')}}}", "", str(decision.get("decision", "")), ""]
        out += [f"*Why:* {decision.get('reason', '')} *Provenance:* {decision.get('provenance', '')}.", ""]
        applies = decision.get("applies_to") or []
        links = []
        for operation_id in applies:
            operation = contract.operations.get(operation_id)
            if operation is None:
                links.append(code(operation_id))
                continue
            tag = operation.spec.get("tags", ["payments"])[0]
            links.append(operation_link(operation_id, tag, page="reference/decisions.md"))
        if links:
            out += ["Applies to: " + ", ".join(links), ""]
    return "\n".join(out)
