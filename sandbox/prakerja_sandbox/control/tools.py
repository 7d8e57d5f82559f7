"""Control API: the clock, faults, network profiles and the browserless attendance verification."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import flask

from prakerja_sandbox.clock import format_time, parse_time
from prakerja_sandbox.context import Sandbox, current_sandbox
from prakerja_sandbox.control.inputs import json_body, query_text
from prakerja_sandbox.control.reply import ok
from prakerja_sandbox.errors import ApiError
from prakerja_sandbox.faults import FAULT_KINDS, MAX_LATENCY_MS, NETWORK_PROFILES, Faults

__all__ = ["bp"]

bp = flask.Blueprint("tools", __name__)

_TEN_YEARS = 10 * 366 * 24 * 3600


def _clock_state(sandbox: Sandbox) -> dict[str, Any]:
    return {
        "now": sandbox.clock.now_text(),
        "real_now": format_time(sandbox.clock.real_now()),
        "offset_seconds": sandbox.clock.offset_seconds(),
    }


@bp.get("/clock")
def clock() -> flask.Response:
    """Sandbox time, real time and the offset between them."""
    return ok(_clock_state(current_sandbox()))


@bp.post("/clock")
def move_clock() -> flask.Response:
    """Move sandbox time: ``{"advance_seconds": N}``, ``{"set": "<ISO-8601>"}`` or ``{"reset": true}``.

    OTP and token expiry, course starts and redeem windows follow sandbox time; signature timestamps keep
    following real time. ``reset`` returns to the configured offset (``--clock-offset``, normally 0).
    """
    sandbox = current_sandbox()
    body = json_body({"advance_seconds", "set", "reset"})
    given = [name for name in ("advance_seconds", "set", "reset") if name in body]
    if not given:
        raise ApiError("ERRPLT40003", field="advance_seconds", detail="send advance_seconds, set or reset")
    if len(given) > 1:
        raise ApiError("ERRPLT40005", field=given[1], detail="send only one of advance_seconds, set, reset")
    if "advance_seconds" in body:
        seconds = body.integer("advance_seconds", minimum=-_TEN_YEARS, maximum=_TEN_YEARS)
        sandbox.clock.advance(seconds or 0)
    elif "set" in body:
        text = body.text("set", max_length=40) or ""
        try:
            moment = parse_time(text)
        except ValueError:
            raise ApiError(
                "ERRPLT40005", field="set", detail="an ISO-8601 time, e.g. 2024-05-01T09:00:00Z"
            ) from None
        sandbox.clock.set(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    elif body.flag("reset", default=False):
        sandbox.clock.set_offset(sandbox.config.clock_offset_seconds)
    return ok(_clock_state(sandbox))


def _faults_state(faults: Faults) -> dict[str, Any]:
    return {
        "faults": [fault.to_json() for fault in faults.active()],
        "network_profile": faults.profile(),
        "kinds": list(FAULT_KINDS),
    }


@bp.get("/faults")
def list_faults() -> flask.Response:
    """Active faults and the network profile."""
    return ok(_faults_state(Faults(current_sandbox())))


@bp.post("/faults")
def add_fault() -> flask.Response:
    """Inject a fault (see :mod:`prakerja_sandbox.faults`)."""
    body = json_body(
        {"operation", "kind", "latency_ms", "status", "code", "count", "probability", "client_code", "mode",
         "retry_after", "seed"}
    )  # fmt: skip
    fault = Faults(current_sandbox()).add(
        operation=body.text("operation", default="*", max_length=64) or "*",
        kind=body.required_text("kind", choices=FAULT_KINDS),
        latency_ms=body.integer("latency_ms", minimum=0, maximum=MAX_LATENCY_MS),
        status=body.integer("status", minimum=400, maximum=599),
        code=body.text("code", pattern=r"ERR[A-Z]+[0-9]+"),
        count=body.integer("count", minimum=1, maximum=1_000_000),
        probability=body.number("probability", default=1.0, minimum=0.0, maximum=1.0),
        client_code=body.text("client_code", max_length=64),
        mode=body.text("mode", default="gateway_timeout", choices=("gateway_timeout", "close")) or "",
        retry_after=body.integer("retry_after", minimum=0, maximum=3600),
        seed=body.integer("seed", default=0, minimum=0, maximum=2**31) or 0,
    )
    return ok(fault.to_json(), message="Fault injected.", status=201)


@bp.delete("/faults")
def clear_faults() -> flask.Response:
    """Remove every fault, or those of one operation (``?operation=payments.status``)."""
    removed = Faults(current_sandbox()).clear(operation=query_text("operation", max_length=64))
    return ok({"removed": removed})


@bp.delete("/faults/<row_id:fault_id>")
def clear_fault(fault_id: int) -> flask.Response:
    """Remove one fault."""
    if not Faults(current_sandbox()).clear(fault_id=fault_id):
        raise ApiError("ERRPLT40401", detail=f"no fault {fault_id}")
    return ok({"removed": 1})


@bp.get("/network-profile")
def network_profile() -> flask.Response:
    """The current network profile and the ones available."""
    faults = Faults(current_sandbox())
    return ok({"current": faults.profile(), "profiles": sorted(NETWORK_PROFILES)})


@bp.post("/network-profile")
def set_network_profile() -> flask.Response:
    """Shape every operation like a partner's link: ``{"name": "poor-coverage", "seed": 7}``."""
    body = json_body({"name", "seed"})
    name = body.required_text("name", choices=tuple(NETWORK_PROFILES))
    seed = body.integer("seed", default=0, minimum=0, maximum=2**31) or 0
    return ok(Faults(current_sandbox()).set_profile(name, seed=seed))
