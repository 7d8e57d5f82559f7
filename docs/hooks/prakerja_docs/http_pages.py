"""The HTTP API reference: one page per tag, one section per operation, from ``contracts/openapi.yaml``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from prakerja.contract import Contract, Operation
from prakerja_docs.markdown import code, error_link, table
from prakerja_docs.schema_text import FieldRow, constraints, field_rows, resolve, type_name

TAGS = {
    "payments": "Payments (DP)",
    "attendance": "Attendance (LP)",
    "tpm": "TPM and UK (LP)",
    "sso": "SSO (LP)",
}

#: The Indonesian summary of each tag's reference page.
SUMMARIES_ID = {
    "payments": "Operasi pembayaran untuk platform digital (DP): cek kuota, kirim OTP ke peserta, otorisasi "
    "pembayaran dengan OTP dan token pembayaran, cek status transaksi dan pembatalan (void). Setiap bagian memuat "
    "metode, path, tabel field permintaan dan jawaban, contoh, dan kode galat.",
    "attendance": "Operasi kehadiran untuk lembaga pelatihan (LP): membuat URL verifikasi wajah per sesi, "
    "membaca status kode redeem dan kehadiran, serta reset kode uji. Setiap bagian memuat field, contoh dan kode "
    "galat.",
    "tpm": "Operasi TPM (tugas praktik mandiri) dan UK (uji keterampilan) untuk LP: mengirim tugas peserta, "
    "memberi umpan balik dan nilai, lalu membaca status tugas. Setiap bagian memuat field, contoh dan kode galat.",
    "sso": "Login dengan Prakerja (SSO) untuk LP: halaman persetujuan, penukaran kode otorisasi menjadi token, "
    "memperbarui token dan membaca profil peserta. Setiap bagian memuat header, field, contoh dan kode galat.",
}

SIGNING_TEXT = {
    "integration": "signed, headers `client_code`, `signature`, `timestamp`",
    "sso": "signed, headers `X-Client-Id`, `X-Signature`, `X-Timestamp`",
    "none": "not signed (a page the participant's browser opens)",
}


def _field_table(rows: list[FieldRow]) -> str:
    def describe(row: FieldRow) -> str:
        text = row.description
        if row.inferred_reason:
            text += f" *Inferred: {row.inferred_reason}*"
        if row.decision:
            text += f" *{row.decision}*"
        return text

    return table(
        ["Field", "Type", "Required", "Constraints", "Description"],
        [
            (code(r.name), r.type, "yes" if r.required else "no", r.constraints or "-", describe(r))
            for r in rows
        ],
    )


def _parameters(contract: Contract, operation: Operation) -> list[dict[str, Any]]:
    document = contract.openapi
    return [resolve(document, raw) for raw in operation.spec.get("parameters", ())]


def _parameter_table(document: Mapping[str, Any], params: list[dict[str, Any]]) -> str:
    rows = []
    for param in params:
        schema = resolve(document, param.get("schema", {}))
        rows.append(
            (
                code(param["name"]),
                param["in"],
                "yes" if param.get("required") else "no",
                f"{type_name(schema)}; {constraints(schema)}".rstrip("; "),
                param.get("description", ""),
            )
        )
    return table(["Name", "In", "Required", "Type and constraints", "Description"], rows)


def _examples(media: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, example in (media.get("examples") or {}).items():
        yield str(example.get("summary", name)), example.get("value")
    if "example" in media:
        yield "Example", media["example"]


def _json_block(value: Any) -> str:
    if isinstance(value, str):
        return f"```text\n{value}\n```\n"
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def _decisions(operation: Operation) -> list[str]:
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, Mapping):
            decision = node.get("x-decision")
            if isinstance(decision, Mapping):
                number = decision.get("inconsistency")
                label = f"inconsistency {number}" if number else "decision"
                text = f"**{label}**: {decision.get('decision', '')} *{decision.get('reason', '')}*"
                if text not in found:
                    found.append(text)
            for key, value in node.items():
                if key != "x-decision":
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(operation.spec)
    return found


def _request_section(contract: Contract, operation: Operation) -> list[str]:
    out: list[str] = []
    params = _parameters(contract, operation)
    if params:
        out += ["**Parameters**", "", _parameter_table(contract.openapi, params)]
    body = operation.spec.get("requestBody")
    if body:
        media = body["content"]["application/json"]
        rows = list(field_rows(contract.openapi, media["schema"]))
        out += [
            "**Request body** (JSON object; unknown fields are refused with ERRPLT40006)",
            "",
            _field_table(rows),
        ]
        for summary, value in _examples(media):
            out += [f"Example request: {summary}", "", _json_block(value)]
    return out


def _response_section(contract: Contract, operation: Operation) -> list[str]:
    out: list[str] = []
    response = operation.spec.get("responses", {}).get("200", {})
    for media_type, media in response.get("content", {}).items():
        schema = resolve(contract.openapi, media.get("schema", {}))
        data = schema.get("properties", {}).get("data")
        if media_type == "application/json" and data:
            rows = list(field_rows(contract.openapi, data, prefix="data."))
            out += ["**Response `data`** (HTTP 200; ignore fields you do not know)", "", _field_table(rows)]
        elif media_type != "application/json":
            out += [f"**Response**: HTTP 200, `{media_type}`. {response.get('description', '')}", ""]
        for summary, value in _examples(media):
            out += [f"Example response: {summary}", "", _json_block(value)]
    return out


def operation_section(contract: Contract, operation: Operation, *, page: str) -> str:
    """The Markdown section documenting one operation."""
    spec = operation.spec
    facts = [
        f"`{operation.method} {operation.path}`",
        f"server `{operation.server}`",
        SIGNING_TEXT.get(operation.signing, operation.signing),
        f"for the {spec.get('x-actor', '?')}",
        f"{spec.get('x-provenance', 'documented')}",
    ]
    source = spec.get("externalDocs", {}).get("url")
    if source:
        facts.append(f"[Prakerja's page]({source})")
    out = [
        f"## {operation.operation_id}: {spec.get('summary', '')} {{#{operation.operation_id}}}",
        "",
        " · ".join(facts),
        "",
    ]
    if spec.get("deprecated"):
        out += [
            '!!! warning "Deprecated"',
            "    Kept for older integrations; new code should not call it.",
            "",
        ]
    out += [str(spec.get("description", "")), ""]
    if spec.get("x-provenance") == "inferred" and spec.get("x-reason"):
        out += ['!!! note "Inferred"', f"    {spec['x-reason']}", ""]
    out += _request_section(contract, operation)
    out += _response_section(contract, operation)
    codes = spec.get("x-error-codes", [])
    if codes:
        links = [
            f"{error_link(c, page=page)} {contract.errors[c].title}" for c in codes if c in contract.errors
        ]
        out += ["**Error codes**", "", ", ".join(links), ""]
    decisions = _decisions(operation)
    if decisions:
        out += ["**Decisions**", ""] + [f"- {d}" for d in decisions] + [""]
    return "\n".join(out)


def tag_page(contract: Contract, tag: str) -> str:
    """The reference page of every operation with ``tag``."""
    page = f"reference/http/{tag}.md"
    tag_info: dict[str, Any] = next((t for t in contract.openapi.get("tags", ()) if t.get("name") == tag), {})
    operations = [op for op in contract.operations.values() if tag in op.spec.get("tags", ())]
    out = [
        f"# {TAGS[tag]}",
        "",
        '!!! abstract "Ringkasan (Bahasa Indonesia)"',
        f"    {SUMMARIES_ID[tag]}",
        "",
        str(tag_info.get("description", "")),
        "",
        "Generated from `contracts/openapi.yaml`.",
        "",
    ]
    out += [operation_section(contract, op, page=page) for op in operations]
    return "\n".join(out)


def index_page(contract: Contract) -> str:
    """The overview of the HTTP API: servers, conventions and every operation."""
    info = contract.openapi.get("info", {})
    servers = table(
        ["Server", "URL", "Environment", "Description"],
        [
            (
                code(s.get("x-server-name", "")),
                code(s["url"]),
                s.get("x-environment", ""),
                s.get("description", ""),
            )
            for s in contract.openapi.get("servers", ())
        ],
    )
    rows = []
    for op in sorted(contract.operations.values(), key=lambda o: o.operation_id):
        tag = op.spec.get("tags", ["payments"])[0]
        rows.append(
            (
                f"[`{op.operation_id}`]({tag}.md#{op.operation_id})",
                code(f"{op.method} {op.path}"),
                op.signing,
                op.spec.get("x-actor", ""),
                op.spec.get("summary", "") + (" (deprecated)" if op.spec.get("deprecated") else ""),
            )
        )
    return "\n".join(
        [
            "# HTTP API",
            "",
            '!!! abstract "Ringkasan (Bahasa Indonesia)"',
            "    Referensi HTTP seluruh 17 operasi Prakerja untuk DP dan LP, dibuat otomatis dari "
            "`contracts/openapi.yaml`: metode, path, cara penandatanganan, tabel field permintaan dan jawaban "
            "beserta batasannya, contoh, kode galat, dan keputusan kontrak di tempat dokumentasi resmi diam atau "
            "saling bertentangan.",
            "",
            str(info.get("description", "")),
            "",
            "## Servers",
            "",
            servers,
            "## Operations",
            "",
            table(["Operation", "Request", "Signing", "Actor", "Summary"], rows),
            "Every decision the contract takes where Prakerja's pages are silent or contradict themselves is "
            "listed under [Contract decisions](../decisions.md).",
            "",
        ]
    )
