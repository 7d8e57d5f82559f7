"""Contract checks: does a server (the local sandbox, or Prakerja itself) behave as the contract says?

::

    from prakerja.contract_check import check

    report = check(base_url="http://127.0.0.1:5000", client_code="SBX-DP-TOKOPEDIA", sign_key="...")
    print(report.summary())
    assert report.ok

The same checks run from the command line as ``prakerja-contract check``. Requests are generated with
hypothesis from the contract's schemas: contract-valid requests, contract-invalid ones, signature attacks
and (with a sandbox control API) whole purchase-to-attendance lifecycles against a reference model.
"""

from __future__ import annotations

from prakerja._extras import require_extra

require_extra("contract", "prakerja.contract_check (prakerja-contract check)")

from prakerja.contract_check.exchange import Exchange, SentRequest, SentResponse
from prakerja.contract_check.junit import to_junit_xml
from prakerja.contract_check.report import Report, RunInfo
from prakerja.contract_check.results import CheckResult, Failure
from prakerja.contract_check.runner import KINDS, check
from prakerja.contract_check.wire import Credentials

__all__ = [
    "KINDS",
    "CheckResult",
    "Credentials",
    "Exchange",
    "Failure",
    "Report",
    "RunInfo",
    "SentRequest",
    "SentResponse",
    "check",
    "to_junit_xml",
]
