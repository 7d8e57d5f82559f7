"""Sign keys, OTPs and the control token never leak into what the sandbox prints, answers, logs or reports.

A served sandbox (random OTPs, a control token) goes through purchases, wrong OTPs, bad signatures over
bodies that carry the right OTP, malformed bodies carrying it, OTPs of the wrong form, and a contract-check
run; then everything a person could read is gathered and searched: the server's own output (logs, access
log), every answer body (refusals with their ``debug`` block included), the request log through the control
API, the coverage page, the whole dashboard (opened with ``?token=`` as a person does; partner table, SMS
inbox and expected raw strings included), the start-up banner, and the contract-check reports.

Test code reads the values themselves from control-API data, ``GET /_sandbox/inbox`` (OTPs) and
``GET /_sandbox/partners`` (sign keys), which are not searched: that is where they are meant to be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from prakerja.contract import contract_dir
from prakerja.contract_check import check, to_junit_xml

from .served import ServedSandbox, compact, partner

pytestmark = pytest.mark.slow

SEND_OTP = "/api/v1/integration/payment/send-otp"
AUTHORIZE = "/api/v1/integration/payment/authorize"
STATUS = "/api/v1/integration/payment/status"
BUYER = "9990000000000200"
TOKEN = "control-token-4b1d7e52"


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
    """A sandbox with random OTPs and a control token, served by two workers."""
    database = tmp_path_factory.mktemp("secrets") / "secrets.sqlite3"
    sandbox = ServedSandbox(database, workers=2, options=["--otp-mode", "random", "--control-token", TOKEN])
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def control(shared: ServedSandbox) -> Iterator[httpx.Client]:
    """A client of the control API, with the token in its header."""
    with httpx.Client(base_url=shared.base_url, headers={"X-Sandbox-Token": TOKEN}, timeout=60) as client:
        yield client


def _bodies_around(otp: str, round_: int) -> list[bytes]:
    """Authorize bodies carrying ``otp`` that are refused: malformed JSON, or an OTP of the wrong form."""
    return [
        f'{{"otp":"{otp}","invoice_url":"https://dp.example/i/m","invoice_code":"MAL-{round_}"'.encode(),
        f'{{"otp":"{otp}x","invoice_url":"https://dp.example/i/f","invoice_code":"FORM-{round_}"}}'.encode(),
        f'{{"otp":{otp},"invoice_url":"https://dp.example/i/n","invoice_code":"NUM-{round_}"}}'.encode(),
    ]


def _exercise(sandbox: ServedSandbox, control: httpx.Client) -> list[str]:
    """Purchases with a wrong then the right OTP, and refusals around the right OTP; every answer body."""
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
        inbox = control.get("/_sandbox/inbox", params={"prakerja_id": BUYER, "kind": "otp", "limit": 1})
        otp = inbox.json()["data"]["messages"][0]["otp"]
        payment = {"Authorization": f"Payment {token}"}
        for raw in _bodies_around(otp, round_):  # signed right: refused for their syntax or form
            answers.append(
                sandbox.http.post(
                    AUTHORIZE, content=raw, headers={**dp.headers(AUTHORIZE, raw), **payment}
                ).text
            )
        right = compact(
            {"otp": otp, "invoice_url": "https://dp.example/i/s", "invoice_code": f"SECRET-{round_}"}
        )
        signed = dp.headers(AUTHORIZE, right)["signature"]
        off_by_one = signed[:-1] + ("1" if signed.endswith("0") else "0")  # never the right signature
        for signature in ("f" * 40, off_by_one):  # bad signatures
            headers = {**dp.headers(AUTHORIZE, right), **payment, "signature": signature}
            answers.append(sandbox.http.post(AUTHORIZE, content=right, headers=headers).text)
        wrong = f"{(int(otp) + 1) % 1_000_000:06d}"
        body = {"invoice_url": "https://dp.example/i/s", "invoice_code": f"SECRET-{round_}"}
        for attempt in (wrong, otp):
            paid = sandbox.post(AUTHORIZE, {"otp": attempt, **body}, dp, **payment)
            answers.append(paid.text)
        assert paid.json()["success"] is True, f"round {round_}: the right OTP was refused: {paid.text}"
    bad = sandbox.http.post(
        STATUS,
        content=b'{"invoice_code":"SECRET-0"}',
        headers={**dp.headers(STATUS, b'{"invoice_code":"SECRET-0"}'), "signature": "f" * 40},
    )
    answers.append(bad.text)
    return answers


def _readable(
    sandbox: ServedSandbox, control: httpx.Client, answers: list[str], tmp_path: Path
) -> dict[str, str]:
    http = control
    log = http.get("/_sandbox/requests", params={"limit": 1000}).json()["data"]
    entries = [http.get(f"/_sandbox/requests/{item['id']}").text for item in log["items"]]
    with httpx.Client(base_url=sandbox.base_url, timeout=60, follow_redirects=True) as browser:
        dashboard = browser.get("/_sandbox/", params={"token": TOKEN}).text  # as a person opens it
    dp = partner("tokopedia")
    report = check(
        base_url=sandbox.base_url,
        client_code=dp.client_code,
        sign_key=dp.sign_key,
        max_examples=3,
        seed=5,
        kinds=("valid", "signature"),
        operations=["payments.status", "payments.quota"],
        control_token=TOKEN,
    )
    return {
        "answers": "\n".join(answers),
        "request log": "\n".join([str(log), *entries]),
        "coverage": http.get("/_sandbox/coverage").text,
        # the SMS inbox is left out: with random OTPs, showing them there is its purpose (tested below)
        "dashboard": re.sub(r'<section id="inbox">.*?</section>', "", dashboard, flags=re.S),
        "contract-check reports": "\n".join([report.to_markdown(), report.to_json(), to_junit_xml(report)]),
        "server output (banner, logs, access log)": sandbox.output(),
    }


def _otp_pattern(otp: str) -> re.Pattern[str]:
    # the OTP alone, or with the letter the wrong-form body appends (hex digests around it do not count)
    return re.compile(rf"(?<![0-9A-Za-z.]){otp}x?(?![0-9A-Za-z])")


def test_sign_keys_otps_and_the_control_token_appear_nowhere_a_person_reads(
    shared: ServedSandbox, control: httpx.Client, tmp_path: Path
) -> None:
    answers = _exercise(shared, control)
    inbox = control.get("/_sandbox/inbox", params={"kind": "otp", "limit": 1000}).json()["data"]["messages"]
    otps = {str(message["otp"]) for message in inbox}
    readable = _readable(shared, control, answers, tmp_path)

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
    leaks += [f"{place}: control token" for place, text in readable.items() if TOKEN in text]

    assert len(otps) == 3
    assert all(readable.values())
    log = readable["request log"]
    assert log.count('"otp":"******"') >= 3 * 6  # every authorize body was logged, masked, malformed ones too
    assert "expected_raw_signature" in log  # the refused signatures were logged with their raw strings
    assert "expected raw string" in readable["dashboard"]
    assert "<code>9d1c...</code>" in readable["dashboard"]  # so is the partner table
    assert "SBX-DP-TOKOPEDIA        9d1c..." in readable["server output (banner, logs, access log)"]
    assert "token=[hidden]" in readable["server output (banner, logs, access log)"]
    assert leaks == []


def test_with_random_otps_the_dashboard_inbox_shows_them_for_reading(
    shared: ServedSandbox, control: httpx.Client
) -> None:
    sent = shared.post(
        SEND_OTP,
        {"user_platform_id": "inbox-check", "prakerja_id": BUYER, "course_code": "prakerjaoauth1",
         "schedule_code": "prakerjaoauth", "amount": 20000},
        partner("tokopedia"),
    )  # fmt: skip
    assert sent.status_code == 200
    inbox = control.get("/_sandbox/inbox", params={"kind": "otp", "limit": 1}).json()["data"]["messages"]
    page = control.get("/_sandbox/").text
    section = re.search(r'<section id="inbox">.*?</section>', page, flags=re.S)
    assert section is not None
    assert f"Kode OTP Prakerja Anda: {inbox[0]['otp']}" in section.group(0)
