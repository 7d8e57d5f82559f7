"""Control API: reset, synthetic seeds and the partners' credentials."""

from __future__ import annotations

import time

import flask

from prakerja_sandbox.context import current_sandbox
from prakerja_sandbox.control import queries
from prakerja_sandbox.control.inputs import json_body
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.control.synthetic import seed_synthetic
from prakerja_sandbox.request_log import COLUMNS
from prakerja_sandbox.seed import load_seed_file, reset
from prakerja_sandbox.storage.base import Row, Tx

__all__ = ["bp"]

bp = flask.Blueprint("state", __name__)

MAX_SYNTHETIC = 200_000
_LOG_COLUMNS = ", ".join(COLUMNS)


#: the coverage totals (storage migration 0006), kept with the request log: they count every row logged since
#: the log was last wiped, also the rows the log's bound dropped since
_COVERAGE = ("coverage_codes", "coverage_operations")


def _insert(tx: Tx, table: str, rows: list[Row]) -> None:
    for row in rows:
        marks = ", ".join("?" for _ in row)
        tx.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def _counts() -> dict[str, int]:
    sandbox = current_sandbox()
    with sandbox.store.read() as tx:
        return {
            table: int(tx.scalar(f"SELECT COUNT(*) FROM {table}"))
            for table in ("partners", "courses", "schedules", "participants", "transactions", "redeem_codes")
        }


@bp.post("/reset")
def reset_state() -> flask.Response:
    """Wipe every table and seed again (``{"seed": false}`` leaves it empty).

    Faults, the network profile and the clock offset go too. ``{"keep_request_log": true}`` keeps the request
    log and the coverage totals, so ``/_sandbox/coverage`` can add up a whole test suite that resets between
    cases (also the codes of rows the log's bound has dropped since).
    """
    sandbox = current_sandbox()
    body = json_body({"seed", "keep_request_log"})
    with_seed = body.flag("seed", default=sandbox.config.seed)
    keep_log = body.flag("keep_request_log", default=False)
    document = load_seed_file(sandbox.config.seed_file, sandbox.contract) if with_seed else None
    sandbox.request_log.settle()  # queued rows belong to the log kept or wiped now, not to the next one
    with sandbox.store.transaction() as tx:
        kept = tx.all(f"SELECT {_LOG_COLUMNS} FROM request_log ORDER BY id") if keep_log else []
        coverage = {table: tx.all(f"SELECT * FROM {table}") for table in _COVERAGE} if keep_log else {}
        reset(
            sandbox.store,
            sandbox.clock,
            sandbox.contract,
            document=document,
            clock_offset_seconds=sandbox.config.clock_offset_seconds,
        )
        _insert(tx, "request_log", kept)  # its triggers count the rows again
        for table, rows in coverage.items():  # what the kept rows added, and what the bound dropped before
            tx.execute(f"DELETE FROM {table}")
            _insert(tx, table, rows)
    return ok(
        {"seeded": with_seed, "request_log_kept": len(kept), "counts": _counts()}, message="Sandbox reset."
    )


@bp.post("/seed")
def seed_more() -> flask.Response:
    """Add synthetic participants and purchases: ``{"participants": N, "redeem_codes": M, "seed": 0}``."""
    sandbox = current_sandbox()
    body = json_body({"participants", "redeem_codes", "seed"})
    participants = body.integer("participants", default=0, minimum=0, maximum=MAX_SYNTHETIC) or 0
    redeem_codes = body.integer("redeem_codes", default=0, minimum=0, maximum=MAX_SYNTHETIC) or 0
    seed = body.integer("seed", default=0, minimum=0, maximum=2**31) or 0
    started = time.perf_counter()
    result = seed_synthetic(sandbox, participants=participants, redeem_codes=redeem_codes, seed=seed)
    return ok(
        {
            "participants": result.participants,
            "redeem_codes": result.redeem_codes,
            "schedules_opened": result.schedules_opened,
            "seed": result.seed,
            "seconds": round(time.perf_counter() - started, 3),
            "counts": _counts(),
        },
        message="Synthetic data added.",
    )


@bp.get("/health")
def health() -> flask.Response:
    """Whether the sandbox answers, and its time; open without the control token (a readiness probe)."""
    sandbox = current_sandbox()
    with sandbox.store.read() as tx:
        partners = int(tx.scalar("SELECT COUNT(*) FROM partners"))
    return ok({"status": "ok", "now": sandbox.clock.now_text(), "partners": partners})


@bp.get("/partners")
def partners() -> flask.Response:
    """Every DP and LP with its sandbox client code and sign key (the one place test code reads the keys)."""
    sandbox = current_sandbox()
    with sandbox.store.read() as tx:
        return ok({"partners": queries.partners(tx)})
