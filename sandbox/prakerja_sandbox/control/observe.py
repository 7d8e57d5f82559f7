"""Control API: what happened. SMS inbox, request log, error-code coverage, transactions and redeem codes."""

from __future__ import annotations

import flask

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.inputs import query_int, query_text
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.errors import ApiError

__all__ = ["bp"]

bp = flask.Blueprint("observe", __name__)


@bp.get("/inbox")
def inbox() -> flask.Response:
    """SMS messages (OTP and redeem code), newest first: ``?prakerja_id=&kind=otp|redeem_code&limit=``."""
    sandbox = current_sandbox()
    prakerja_id = query_text("prakerja_id", max_length=16)
    kind = query_text("kind", choices=("otp", "redeem_code"))
    limit = query_int("limit", default=50, minimum=1, maximum=1000)
    with sandbox.store.read() as tx:
        messages = queries.inbox(tx, limit=limit, prakerja_id=prakerja_id, kind=kind)
    return ok({"messages": messages})


@bp.get("/requests")
def requests() -> flask.Response:
    """The request log with signature diagnostics, newest first.

    Filters: ``?operation=payments.send_otp&client_code=...&error_code=ERRPLT40023&failed=1&warned=1&mentions=...
    &limit=50&offset=0`` (``error_code``: only requests answered with that catalogue code; ``warned``: only
    requests answered with a ``Prakerja-Sandbox-Warning``, listed in ``warnings``; ``mentions``: only requests
    whose body or query string holds that text). Each entry tells
    which signing variant matched (``signature_variant``) or, on a mismatch, the raw string the sandbox
    expected (``expected_raw_signature``). Sign keys and OTPs are never logged.
    """
    sandbox = current_sandbox()
    limit = query_int("limit", default=50, minimum=1, maximum=1000)
    offset = query_int("offset", default=0)
    failed = query_text("failed", choices=("0", "1", "true", "false")) in ("1", "true")
    warned = query_text("warned", choices=("0", "1", "true", "false")) in ("1", "true")
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        page = queries.requests(
            tx,
            limit=limit,
            offset=offset,
            operation=query_text("operation", max_length=64),
            client_code=query_text("client_code", max_length=64),
            error_code=query_text("error_code", max_length=32),
            failed_only=failed,
            warned_only=warned,
            mentions=query_text("mentions", max_length=256),
        )
    return ok(page.to_json())


@bp.get("/requests/<row_id:entry_id>")
def request_entry(entry_id: int) -> flask.Response:
    """One request log entry."""
    sandbox = current_sandbox()
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        entry = queries.request_entry(tx, entry_id)
    if entry is None:
        raise ApiError("ERRPLT40401", detail=f"no request log entry {entry_id}")
    return ok(entry)


@bp.get("/coverage")
def coverage() -> flask.Response:
    """Catalogue codes the calls so far have produced (with counts), and the ones never produced."""
    sandbox = current_sandbox()
    sandbox.request_log.settle()
    with sandbox.store.read() as tx:
        return ok(queries.coverage(tx, sandbox.contract))


@bp.get("/transactions")
def transactions() -> flask.Response:
    """Purchases, newest first: ``?dp=<seed code>&prakerja_id=&limit=&offset=``."""
    sandbox = current_sandbox()
    limit = query_int("limit", default=50, minimum=1, maximum=1000)
    offset = query_int("offset", default=0)
    with sandbox.store.read() as tx:
        page = queries.transactions(
            tx,
            limit=limit,
            offset=offset,
            dp_code=query_text("dp", max_length=64),
            prakerja_id=query_text("prakerja_id", max_length=16),
        )
    return ok(page.to_json())


@bp.get("/redeem-codes")
def redeem_codes() -> flask.Response:
    """Redeem codes with their attendance per sequence, newest first: ``?lp=&prakerja_id=&limit=&offset=``."""
    sandbox = current_sandbox()
    limit = query_int("limit", default=50, minimum=1, maximum=1000)
    offset = query_int("offset", default=0)
    with sandbox.store.read() as tx:
        page = queries.redeem_codes(
            tx,
            limit=limit,
            offset=offset,
            lp_code=query_text("lp", max_length=64),
            prakerja_id=query_text("prakerja_id", max_length=16),
        )
    return ok(page.to_json())


@bp.get("/redeem-codes/<code>")
def redeem_code(code: str) -> flask.Response:
    """One redeem code with its attendance."""
    sandbox = current_sandbox()
    with sandbox.store.read() as tx:
        page = queries.redeem_codes(tx, limit=1, offset=0, code=code)
    if not page.items:
        raise ApiError("ERRPLT40401", field="redeem_code", detail=f"no redeem code {code!r} in this sandbox")
    return ok(page.items[0])
