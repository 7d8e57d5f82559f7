"""Sign keys and OTPs never leak into what the sandbox prints, answers, logs or reports.

A served sandbox (random OTPs) goes through purchases, wrong OTPs, bad signatures and a contract-check run;
then everything a person could read is gathered and searched: the server's own output (logs, access log),
every answer body (refusals with their ``debug`` block included), the request log through the control API,
the coverage page, the whole dashboard (partner table and SMS inbox included), the start-up banner, and the
contract-check reports.

Test code reads the values themselves from control-API data, ``GET /_sandbox/inbox`` (OTPs) and
``GET /_sandbox/partners`` (sign keys), which are not searched: that is where they are meant to be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from prakerja.contract import contract_dir
from prakerja.contract_check import check, to_junit_xml

from .served import ServedSandbox, partner

pytestmark = pytest.mark.slow

SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
STATUS = "/api/v1/integration/payment/status"
BUYER = "9990000000000200"


def _sign_keys() -> list[str]:
    with (contract_dir() / "partners.yaml").open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    return [
        str(entry["sign_key"])
        for group in ("digital_platforms", "training_institutions")
        for entry in document[group]
    ]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """A sandbox with random OTPs, served by two workers."""
    database = tmp_path_factory.mktemp("secrets") / "secrets.sqlite3"
    sandbox = ServedSandbox(database, workers=2, options=["--otp-mode", "random"])
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _exercise(sandbox: ServedSandbox) -> list[str]:
    """Purchases with a wrong then the right OTP, and refusals; returns every answer body."""
    dp = partner("tokopedia")
    answers: list[str] = []
    for round_ in range(3):
        sent = sandbox.post(
            SEND_OTP,
            {"user_platform_id": "secret-check", "prakerja_id": BUYER, "course_code": "prakerjaoauth1",
             "schedule_code": "prakerjaoauth", "amount": 20000},
            dp,
        )  # fmt: skip
        answers.append(sent.text)
        token = sent.json()["data"]["payment_token"]
        inbox = sandbox.http.get("/_sandbox/inbox", params={"prakerja_id": BUYER, "kind": "otp", "limit": 1})
        otp = inbox.json()["data"]["messages"][0]["otp"]
        wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
        body = {"invoice_url": "https://dp.example/i/s", "invoice_code": f"SECRET-{round_}"}
        for attempt in (wrong, otp):
            paid = sandbox.post(AUTHORIZE, {"otp": attempt, **body}, dp, Authorization=f"Payment {token}")
            answers.append(paid.text)
    bad = sandbox.http.post(
        STATUS,
        content=b'{"invoice_code":"SECRET-0"}',
        headers={**dp.headers(STATUS, b'{"invoice_code":"SECRET-0"}'), "signature": "f" * 40},
    )
    answers.append(bad.text)
    return answers


def _readable(sandbox: ServedSandbox, answers: list[str], tmp_path: Path) -> dict[str, str]:
    http = sandbox.http
    log = http.get("/_sandbox/requests", params={"limit": 1000}).json()["data"]
    entries = [http.get(f"/_sandbox/requests/{item['id']}").text for item in log["items"]]
    dashboard = http.get("/_sandbox/").text
    dp = partner("tokopedia")
    report = check(
        base_url=sandbox.base_url,
        client_code=dp.client_code,
        sign_key=dp.sign_key,
        max_examples=3,
        seed=5,
        kinds=("valid", "signature"),
        operations=["payments.status", "payments.quota"],
    )
    return {
        "answers": "\n".join(answers),
        "request log": "\n".join([str(log), *entries]),
        "coverage": http.get("/_sandbox/coverage").text,
        "dashboard": dashboard,
        "contract-check reports": "\n".join([report.to_markdown(), report.to_json(), to_junit_xml(report)]),
        "server output (banner, logs, access log)": sandbox.output(),
    }


def _otp_pattern(otp: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9A-Za-z.]){otp}(?![0-9A-Za-z])")


def test_sign_keys_and_otps_appear_nowhere_a_person_reads(shared: ServedSandbox, tmp_path: Path) -> None:
    answers = _exercise(shared)
    inbox = shared.http.get("/_sandbox/inbox", params={"kind": "otp", "limit": 1000}).json()["data"][
        "messages"
    ]
    otps = {str(message["otp"]) for message in inbox}
    readable = _readable(shared, answers, tmp_path)

    leaks = [
        f"{place}: sign key {key[:6]}..."
        for place, text in readable.items()
        for key in _sign_keys()
        if key in text
    ]
    leaks += [
        f"{place}: OTP {otp}"
        for place, text in readable.items()
        for otp in otps
        if _otp_pattern(otp).search(text)
    ]

    assert len(otps) == 3
    assert all(readable.values())
    assert '"otp": "******"' in readable["request log"]  # the authorize bodies were logged, masked
    assert "Kode OTP Prakerja Anda: ******" in readable["dashboard"]  # the inbox is shown, masked
    assert "<code>9d1c...</code>" in readable["dashboard"]  # so is the partner table
    assert "SBX-DP-TOKOPEDIA        9d1c..." in readable["server output (banner, logs, access log)"]
    assert leaks == []
