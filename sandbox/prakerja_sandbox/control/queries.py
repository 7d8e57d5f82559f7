"""Read-only views of the sandbox state, shared by the control API (JSON) and the dashboard (HTML).

Every function takes an open read transaction and returns plain dicts ready for ``jsonify`` or a template.
Sign keys appear only in :func:`partners` and OTPs only in :func:`inbox`: control-API data for test code.
The dashboard masks both (:mod:`prakerja_sandbox.redaction`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from prakerja.contract import Contract
from prakerja_sandbox.storage.base import Row, Tx
from prakerja_sandbox.storage.text_search import mentions_filter

__all__ = [
    "Page",
    "coverage",
    "inbox",
    "participants",
    "partners",
    "redeem_codes",
    "request_entry",
    "requests",
    "transactions",
]

#: the request log's row count, kept by the database as rows come and go (storage migration 0006)
_LOG_ROWS = "SELECT row_count FROM request_log_count"

REDEEM_STATUS = {0: "UNUSED", 1: "REDEEMED", 2: "CANCELLED"}
ATTENDANCE_STATUS = {0: "NOT_ATTENDED", 1: "ATTENDED", 2: "FAILED"}


@attrs.frozen
class Page:
    """One page of a longer list."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_json(self) -> dict[str, Any]:
        """The page as the control API answers it."""
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset}


def _where(filters: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The ``WHERE`` of the filters given (not ``None``): a value fills each ``?`` of its clause, a list its ``?``s."""
    clauses = [clause for clause, value in filters.items() if value is not None]
    params: list[Any] = []
    for clause, value in filters.items():
        if isinstance(value, list):
            params.extend(value)
        elif value is not None:
            params.extend([value] * clause.count("?"))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _page(
    tx: Tx,
    select: str,
    table: str,
    filters: Mapping[str, Any],
    order: str,
    limit: int,
    offset: int,
    *,
    unfiltered_total: str | None = None,
) -> Page:
    """One page of ``table``; the total counts the matching rows (``unfiltered_total`` reads it when unfiltered)."""
    where, params = _where(filters)
    if not where and unfiltered_total is not None:
        total = int(tx.scalar(unfiltered_total) or 0)
    else:
        total = int(tx.scalar(f"SELECT COUNT(*) FROM {table}{where}", params))
    rows = tx.all(
        f"SELECT {select} FROM {table}{where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return Page(items=rows, total=total, limit=limit, offset=offset)


def partners(tx: Tx) -> list[dict[str, Any]]:
    """Every DP and LP with its sandbox credentials, status and (LP) curating DP."""
    rows = tx.all(
        "SELECT p.*, dp.name AS curated_by_name FROM partners p LEFT JOIN partners dp ON dp.code = p.curated_by "
        "ORDER BY CASE p.kind WHEN 'DP' THEN 0 ELSE 1 END, p.rowid"
    )
    found = []
    for row in rows:
        entry: dict[str, Any] = {
            "role": row["kind"],
            "code": row["code"],
            "name": row["name"],
            "client_code": row["client_code"],
            "sign_key": row["sign_key"],
            "status": row["status"],
        }
        if row["kind"] == "DP":
            entry["invoice_prefix"] = row["invoice_prefix"]
        else:
            entry["curated_by"] = row["curated_by"]
            entry["curated_by_name"] = row["curated_by_name"]
            entry["city_code"] = row["city_code"]
            entry["redirect_uris"] = json.loads(row["redirect_uris"])
            entry["sso"] = None
            if row["sso_client_name"] is not None:
                entry["sso"] = {
                    "client_name": row["sso_client_name"],
                    "redirect_uris": json.loads(row["sso_redirect_uris"]),
                    "login_uris": json.loads(row["sso_login_uris"]),
                }
        found.append(entry)
    return found


def participants(tx: Tx, *, limit: int, offset: int, search: str | None = None) -> Page:
    """Participants by Kartu Prakerja number; ``search`` matches a number prefix or part of a name."""
    where, params = "", []
    if search is not None:
        where, params = (
            " WHERE prakerja_id LIKE ? OR lower(name) LIKE lower(?)",
            [f"{search}%", f"%{search}%"],
        )
    total = int(tx.scalar(f"SELECT COUNT(*) FROM participants{where}", params))
    rows = tx.all(
        "SELECT prakerja_id, name, birth_date, gender, education, phone, email, regency_code, balance, status, "
        f"magic_step, magic_code FROM participants{where} ORDER BY prakerja_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return Page(items=rows, total=total, limit=limit, offset=offset)


def transactions(
    tx: Tx, *, limit: int, offset: int, dp_code: str | None = None, prakerja_id: str | None = None
) -> Page:
    """Purchases, newest first."""
    page = _page(
        tx,
        "t.transaction_code, t.invoice_code, t.invoice_url, t.status, t.amount, t.prakerja_id, t.user_platform_id, "
        "t.course_code, t.schedule_code, t.redeem_code, t.created_at, t.voided_at, t.dp_code, "
        "(SELECT name FROM partners WHERE code = t.dp_code) AS dp_name",
        "transactions t",
        {"t.dp_code = ?": dp_code, "t.prakerja_id = ?": prakerja_id},
        "t.created_at DESC, t.rowid DESC",
        limit,
        offset,
    )
    return page


def _attendance(tx: Tx, codes: list[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    if not codes:
        return found
    marks = ",".join("?" for _ in codes)
    for row in tx.all(
        f"SELECT redeem_code, sequence, status, verified_at FROM attendance WHERE redeem_code IN ({marks}) "
        "ORDER BY redeem_code, sequence",
        codes,
    ):
        found[row["redeem_code"]].append(
            {
                "sequence": row["sequence"],
                "status": row["status"],
                "status_label": ATTENDANCE_STATUS.get(row["status"], str(row["status"])),
                "verified_at": row["verified_at"],
            }
        )
    return found


def redeem_codes(
    tx: Tx,
    *,
    limit: int,
    offset: int,
    code: str | None = None,
    lp_code: str | None = None,
    prakerja_id: str | None = None,
) -> Page:
    """Redeem codes, newest first, each with its attendance per sequence and its course."""
    page = _page(
        tx,
        "r.code AS redeem_code, r.status, r.course_code, r.schedule_code, r.invoice_code, r.transaction_code, "
        "r.prakerja_id, r.redeem_at, r.email, r.is_test, r.test_case, r.expect_code, r.resettable, r.created_at, "
        "r.lp_code, COALESCE((SELECT name FROM partners WHERE code = r.dp_code), r.dp_platform) AS dp_platform, "
        "c.type AS course_type, c.sessions, c.tpm_count, c.has_uk, c.title AS course_title",
        "redeem_codes r JOIN courses c ON c.code = r.course_code",
        {"r.code = ?": code, "r.lp_code = ?": lp_code, "r.prakerja_id = ?": prakerja_id},
        "r.created_at DESC, r.rowid DESC",
        limit,
        offset,
    )
    attendance = _attendance(tx, [row["redeem_code"] for row in page.items])
    for row in page.items:
        row["status_label"] = REDEEM_STATUS.get(row["status"], str(row["status"]))
        row["is_test"] = bool(row["is_test"])
        row["resettable"] = bool(row["resettable"])
        row["has_uk"] = bool(row["has_uk"])
        row["attendance"] = attendance[row["redeem_code"]]
    return page


def inbox(tx: Tx, *, limit: int, prakerja_id: str | None = None, kind: str | None = None) -> list[Row]:
    """SMS messages, newest first (the only place OTP values appear)."""
    where, params = _where({"prakerja_id = ?": prakerja_id, "kind = ?": kind})
    return tx.all(
        "SELECT id, kind, phone, prakerja_id, text, otp, payment_token, redeem_code, created_at "
        f"FROM inbox{where} ORDER BY id DESC LIMIT ?",
        [*params, limit],
    )


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def requests(
    tx: Tx,
    *,
    limit: int,
    offset: int,
    operation: str | None = None,
    client_code: str | None = None,
    failed_only: bool = False,
    mentions: str | None = None,
    error_code: str | None = None,
    warned_only: bool = False,
) -> Page:
    """The request log, newest first, with signature diagnostics (headers and bodies already redacted).

    ``mentions`` keeps the requests whose body or query holds that text (a Kartu Prakerja number, an invoice
    or a redeem code, an e-mail), which is how a participant's or a purchase's requests are found: exactly, case
    kept, through the log's substring index (:mod:`prakerja_sandbox.storage.text_search`).
    """
    filters: dict[str, Any] = {
        "operation_id = ?": operation,
        "client_code = ?": client_code,
        "error_code = ?": error_code,
    }
    if failed_only:  # a literal: the partial index is chosen for this very term
        filters["status >= 400"] = True
    if mentions is not None:
        clause, values = mentions_filter(tx, mentions)
        filters[clause] = values
    if warned_only:  # requests accepted only through a lenient path (Prakerja-Sandbox-Warning)
        filters["warnings IS NOT NULL AND warnings != ?"] = ""  # the first term picks the partial index
    # each filter has an index (storage migrations 0006 and 0007)
    page = _page(tx, "*", "request_log", filters, "id DESC", limit, offset, unfiltered_total=_LOG_ROWS)
    for row in page.items:
        _decorate_request(row)
    return page


def request_entry(tx: Tx, entry_id: int) -> dict[str, Any] | None:
    """One request log entry, or ``None``."""
    row = tx.one("SELECT * FROM request_log WHERE id = ?", (entry_id,))
    return None if row is None else _decorate_request(row)


def _decorate_request(row: dict[str, Any]) -> dict[str, Any]:
    row["request_headers"] = _loads(row["request_headers"])
    row["debug"] = _loads(row["debug"])
    row["warnings"] = _loads(row.get("warnings")) or []
    row["signature_ok"] = row["signature_variant"] is not None
    debug = row["debug"] if isinstance(row["debug"], dict) else {}
    row["expected_raw_signature"] = debug.get("expected_raw_signature")
    return row


def coverage(tx: Tx, contract: Contract) -> dict[str, Any]:
    """Which catalogue codes the partner's calls have met since the log was last wiped, and which never.

    The totals are kept by the database as rows are logged (storage migration 0006): the bound dropping old
    rows does not take a code away, a reset does (unless it keeps the request log).
    """
    emitted = tx.all(
        "SELECT error_code AS code, count, first_at, last_at FROM coverage_codes ORDER BY error_code"
    )
    by_operation = tx.all(
        "SELECT operation_id AS operation, calls, succeeded FROM coverage_operations ORDER BY operation_id"
    )
    seen = {row["code"] for row in emitted}
    for row in emitted:
        entry = contract.errors.get(row["code"])
        row["title"] = None if entry is None else entry.title
    never = [
        {"code": code, "title": entry.title, "http_status": entry.http_status}
        for code, entry in contract.errors.items()
        if code not in seen
    ]
    total = len(contract.errors)
    return {
        "emitted": emitted,
        "never_emitted": never,
        "operations": by_operation,
        "catalogue_size": total,
        "covered": total - len(never),
    }
