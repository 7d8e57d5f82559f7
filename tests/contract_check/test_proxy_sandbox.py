"""The proxy in front of the local sandbox: the SDK works through it and the observations hold no secret."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx

from prakerja import PrakerjaClient
from prakerja.contract_check.proxy import ContractProxy
from prakerja.signing import sign
from prakerja.testing import LocalSandbox


def _lines(path: Path, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) >= count:
            return [json.loads(line) for line in lines]
        time.sleep(0.02)
    raise AssertionError(f"expected {count} observations in {path}")


def test_a_purchase_through_the_proxy_works_and_leaves_no_secret_in_the_file(tmp_path: Path) -> None:
    file = tmp_path / "observations.jsonl"
    with LocalSandbox.served() as sandbox, ContractProxy(sandbox.base_url, observations=file) as proxy:
        buyer = sandbox.create_participant(
            name="Siti Rahayu Wulandari", email="siti.wulandari@example.co.id", phone="081298765432"
        )
        dp = sandbox.partner("SBX-DP-TOKOPEDIA")
        with PrakerjaClient(client_code=dp.client_code, sign_key=dp.sign_key, base_url=proxy.url) as client:
            sent = client.payments.send_otp(
                user_platform_id="siti-wulandari-77",
                prakerja_id=buyer.prakerja_id,
                course_code="prakerjaoauth1",
                schedule_code="prakerjaoauth",
                amount=20000,
            )
            otp = sandbox.otp(buyer.prakerja_id)
            paid = client.payments.authorize(
                sent.payment_token,
                otp=otp,
                invoice_code="INV-PROXY-9137",
                invoice_url="https://toko.example/invoice/INV-PROXY-9137",
            )
            record = client.payments.status("INV-PROXY-9137")
            voided = client.payments.void(
                invoice_code="INV-PROXY-9137", transaction_code=paid.transaction_code
            )
        redeem_code = sandbox.redeem_code(buyer.prakerja_id)
        seen = _lines(file, 5)

    assert record.transaction_code == paid.transaction_code  # every call went through, signatures intact
    assert [(o["operation"], o["status"]) for o in seen] == [
        ("payments.send_otp", 200),
        ("payments.authorize", 200),
        ("payments.status", 200),
        ("payments.void", 200),
        ("payments.status", 200),  # the void's read-back
    ]
    assert voided.voided
    drift = [f for o in seen for f in o["findings"] if f["kind"] != "reading"]
    assert drift == []  # the sandbox answers as the contract says
    text = file.read_text(encoding="utf-8")
    for secret in (
        dp.sign_key,
        buyer.prakerja_id,
        buyer.phone,
        "Siti",
        "siti.wulandari@example.co.id",
        "siti-wulandari-77",
        otp,
        sent.payment_token,
        paid.transaction_code,
        "INV-PROXY-9137",
        redeem_code,
    ):
        assert secret not in text


def test_a_request_the_sandbox_accepts_only_leniently_is_recorded_with_its_ambiguity(tmp_path: Path) -> None:
    file = tmp_path / "observations.jsonl"
    with LocalSandbox.served() as sandbox, ContractProxy(sandbox.base_url, observations=file) as proxy:
        lp = sandbox.partner("SBX-LP-CIPTAKREASI")
        # The official Python sample: signs compact JSON, sends json.dumps output with spaces.
        path = "/api/v1/integration/payment/redeem-code/status"
        stamp = str(int(time.time()))
        signature = sign(
            sign_key=lp.sign_key,
            client_code=lp.client_code,
            timestamp=stamp,
            method="POST",
            path=path,
            body=b'{"redeem_code":"PRAT-TC1001","sequence":1}',
        )
        answer = httpx.post(
            proxy.url + path,
            content=b'{"redeem_code": "PRAT-TC1001", "sequence": 1}',
            headers={
                "Content-Type": "application/json",
                "client_code": lp.client_code,
                "signature": signature,
                "timestamp": stamp,
            },
        )
        [seen] = _lines(file, 1)

    assert answer.status_code == 200
    warning = answer.headers["Prakerja-Sandbox-Warning"]
    [finding] = [f for f in seen["findings"] if f["kind"] == "sandbox-warning"]
    assert warning.startswith(finding["observed"])
    assert finding["ambiguity"] == "signed-body-bytes"
    assert seen["response"]["warnings"] == [finding["observed"]]
