"""Benchmark 5: generated examples per second, ``prakerja-contract check`` against Schemathesis.

Both tools test the same read operations of the in-process sandbox (``httpx.WSGITransport`` for one,
Schemathesis' WSGI transport for the other) from the same ``contracts/openapi.yaml``, with valid and invalid
requests and response checks:

- ``prakerja.contract_check.check`` (what ``prakerja-contract check`` runs), kinds ``valid`` and ``invalid``;
- Schemathesis, positive and negative generation, ``call_and_validate`` with its server-error, status-code,
  content-type and response-schema checks; a signing hook serialises each generated body compactly and
  signs exactly those bytes.

The rate is requests sent per second of wall time, generation and checking included.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings

from bench._partners import Credentials, credentials, signed_headers
from bench._results import Result
from bench._settings import Settings
from prakerja.contract import contract_dir
from prakerja.contract_check import Credentials as CheckCredentials
from prakerja.contract_check import check
from prakerja_sandbox import create_app

__all__ = ["NAME", "OPERATIONS", "run", "schemathesis_rate"]

NAME = "5 contract checks"
#: operationId -> (method, path, partner seed code)
OPERATIONS: dict[str, tuple[str, str, str]] = {
    "payments.status": ("POST", "/api/v1/integration/payment/status", "tokopedia"),
    "payments.quota": ("POST", "/api/v1/integration/payment/quota-schedule", "tokopedia"),
    "attendance.status": (
        "POST",
        "/api/v1/integration/payment/redeem-code/status",
        "lp-cipta-kreasi-nusantara",
    ),
    "tpm.submission_status": (
        "POST",
        "/api/v1/integration/tpm/submission/status",
        "lp-cipta-kreasi-nusantara",
    ),
}


def _prakerja_contract_rate(examples: int) -> tuple[float, int, bool]:
    dp, lp = credentials("tokopedia"), credentials("lp-cipta-kreasi-nusantara")
    app = create_app()
    started = time.perf_counter()
    report = check(
        client_code=dp.client_code,
        sign_key=dp.sign_key,
        transport=httpx.WSGITransport(app=app),
        max_examples=examples,
        seed=11,
        operations=list(OPERATIONS),
        kinds=("valid", "invalid"),
        dp_credentials=CheckCredentials(client_code=dp.client_code, sign_key=dp.sign_key),
        lp_credentials=CheckCredentials(client_code=lp.client_code, sign_key=lp.sign_key),
    )
    seconds = time.perf_counter() - started
    sent = sum(report.requests.values())
    return sent / seconds, sent, report.ok


def _wire_body(body: Any) -> bytes:
    if type(body).__name__ == "NotSet":
        return b""
    if isinstance(body, bytes):
        return body
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _signed_call(case: Any, app: Any, partner: Credentials, path: str) -> Any:
    """The signing hook: send the case's body as compact JSON bytes, signed over exactly those bytes."""
    content = _wire_body(case.body)
    return case.call_and_validate(
        app=app, data=content, headers=signed_headers(partner, path, content), checks=_checks()
    )


def _checks() -> list[Any]:
    from schemathesis import checks

    return [
        checks.not_a_server_error,
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
    ]


def _exercise(operation: Any, app: Any, partner: Credentials, path: str, examples: int) -> tuple[int, int]:
    from schemathesis import GenerationMode
    from schemathesis.core.failures import FailureGroup

    counts = {"sent": 0, "failures": 0}
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE
    )

    @given(case=strategy)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def exercise(case: Any) -> None:
        counts["sent"] += 1
        try:
            _signed_call(case, app, partner, path)
        except (AssertionError, FailureGroup):  # Schemathesis' check failures, one or several
            counts["failures"] += 1

    exercise()
    return counts["sent"], counts["failures"]


def schemathesis_rate(examples: int) -> tuple[float, int, int]:
    """Schemathesis' requests per second on the same operations; also (requests, failures)."""
    import schemathesis

    schema = schemathesis.openapi.from_path(contract_dir() / "openapi.yaml")
    app = create_app()
    sent = failures = 0
    started = time.perf_counter()
    for method, path, partner_code in OPERATIONS.values():
        done, failed = _exercise(schema[path][method], app, credentials(partner_code), path, examples)
        sent, failures = sent + done, failures + failed
    seconds = time.perf_counter() - started
    return sent / seconds, sent, failures


def run(settings_: Settings) -> list[Result]:
    """Run both tools on the same operations and report their rates side by side."""
    examples = settings_.pick(100, 10)
    ours, our_requests, ok = _prakerja_contract_rate(examples)
    theirs, their_requests, failures = schemathesis_rate(examples)
    ratio = ours / theirs if theirs else float("inf")
    return [
        Result(
            benchmark=NAME,
            metric="prakerja-contract / Schemathesis examples/s",
            measured=f"{ours:,.0f}/s ({our_requests:,} requests) / {theirs:,.0f}/s ({their_requests:,}) "
            f"= {ratio:.2f}x",
            target="reported (no target)",
            met=None if ok else False,
            note=f"in-process sandbox, {len(OPERATIONS)} read operations, max {examples} examples per check; "
            f"prakerja-contract {'passed' if ok else 'FAILED'}, Schemathesis flagged {failures} answers",
        )
    ]
