"""The /_sandbox/ dashboard in headless Chromium: it renders, is not blank, and shows the sandbox state."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest
from pngread import read_png
from werkzeug.serving import make_server

from prakerja.signing import sign
from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.context import EXTENSION_KEY


def _chromium() -> str | None:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    return found if found and os.access(found, os.X_OK) else None


CHROMIUM = _chromium()

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (Debian: apt-get install chromium)"),
]

DP = "SBX-DP-TOKOPEDIA"
WIDTH, HEIGHT = 1280, 900


def _post(app: flask.Flask, path: str, body: dict[str, object], **headers: str) -> dict[str, Any]:
    sandbox = app.extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    with sandbox.store.read() as tx:
        key = tx.scalar("SELECT sign_key FROM partners WHERE client_code = ?", (DP,))
    raw = json.dumps(body, separators=(",", ":"))
    stamp = str(int(time.time()))
    signature = headers.pop("signature", None) or sign(
        sign_key=key, client_code=DP, timestamp=stamp, method="POST", path=path, body=raw
    )
    sent = {"client_code": DP, "timestamp": stamp, "signature": signature, **headers}
    response = app.test_client().post(path, data=raw, content_type="application/json", headers=sent)
    return dict(response.get_json())


@pytest.fixture(scope="module")
def dashboard_url() -> Iterator[str]:
    """A sandbox with a purchase, a refused signature, synthetic participants and a fault, served locally."""
    app = create_app()
    client = app.test_client()
    client.post("/_sandbox/seed", json={"participants": 60, "redeem_codes": 10})
    order = {"user_platform_id": "u-1", "prakerja_id": "9990000000000200", "course_code": "prakerjaoauth1",
             "schedule_code": "prakerjaoauth", "amount": 20000}  # fmt: skip
    token = _post(app, "/api/v1/integration/payment/send-otp", order)["data"]["payment_token"]
    _post(
        app,
        "/api/v1/integration/payment/authorize",
        {"otp": "123456", "invoice_url": "https://dp.example/INV-DASH-1", "invoice_code": "INV-DASH-1"},
        Authorization=f"Payment {token}",
    )
    _post(app, "/api/v1/integration/payment/status", {"invoice_code": "INV-DASH-1"}, signature="0" * 40)
    client.post(
        "/_sandbox/faults", json={"operation": "payments.status", "kind": "latency", "latency_ms": 1500}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/_sandbox/"
    finally:
        server.shutdown()
        app.extensions[EXTENSION_KEY].close()


def _chromium_run(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
        *arguments,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_the_dashboard_screenshot_is_full_size_and_not_blank(dashboard_url: str, tmp_path: Path) -> None:
    shot = tmp_path / "dashboard.png"
    _chromium_run(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", dashboard_url)
    image = read_png(shot)
    assert (image.width, image.height) == (WIDTH, HEIGHT)
    assert image.distinct_colours(step=3) > 50  # text, pills and tables; a blank or error page has a handful


def test_the_dashboard_shows_partners_purchases_and_diagnostics(dashboard_url: str, tmp_path: Path) -> None:
    dom = _chromium_run(tmp_path, "--dump-dom", dashboard_url).stdout
    for expected in (
        "Tokopedia",
        "LPK Cipta Kreasi Nusantara",
        "SBX-LP-CIPTAKREASI",
        "pending_validation",
        "INV-DASH-1",
        "Kode OTP Prakerja Anda",
        "expected raw string",
        "ERRPLT40104",
        "1500 ms",
    ):
        assert expected in dom, expected
    # neither the SMS inbox nor the request log shows the OTP (a user id like "testing-1234567" may)
    assert re.search(r"(?<![0-9A-Za-z.-])123456(?![0-9A-Za-z])", dom) is None
    assert "Kode OTP Prakerja Anda: ******" in dom
