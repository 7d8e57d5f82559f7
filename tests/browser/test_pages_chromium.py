"""The participant pages in a real browser: headless Chromium clicks through them over a real socket.

The sandbox is served on 127.0.0.1 (a free port) next to a tiny "training institution" that records the query
its callbacks receive. Each test starts where an LP would (url-generate, or the SSO login URL), lets Chromium
press the buttons, and checks the browser ends on the LP's callback with the expected query.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import flask
import pytest
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

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

LP = "SBX-LP-CIPTAKREASI"
LP_CODE = "lp-cipta-kreasi-nusantara"
BUYER = "9990000000000200"


class Institution:
    """A stand-in LP site under ``/lp``: it records every callback query and answers a small page."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        query = {name: values[0] for name, values in parse_qs(request.query_string.decode()).items()}
        with self._lock:
            self.received.append((request.path, query))
        page = "<!doctype html><html lang='id'><title>LP</title><h1 id='lp'>Callback LP</h1></html>"
        return Response(page, mimetype="text/html")(environ, start_response)


class Site:
    """The sandbox and the LP served together on one local port."""

    def __init__(self, app: flask.Flask, institution: Institution, base: str) -> None:
        self.app = app
        self.institution = institution
        self.base = base
        sandbox = app.extensions[EXTENSION_KEY]
        assert isinstance(sandbox, Sandbox)
        self.sandbox = sandbox

    def signed(self, method: str, path: str, *, body: dict[str, Any] | None = None, query: str = "") -> Any:
        """Call the sandbox API as the LP (integration headers for POST, SSO headers for GET)."""
        with self.sandbox.store.read() as tx:
            key = tx.scalar("SELECT sign_key FROM partners WHERE client_code = ?", (LP,))
        raw = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        stamp = str(int(time.time()))
        target = f"{path}?{query}" if query else path
        signature = sign(
            sign_key=key,
            client_code=LP,
            timestamp=stamp,
            method=method,
            path=target,
            body=raw,
            authorization="",
        )
        sso = path.startswith("/api/v1/oauth")
        names = (
            ("X-Client-Id", "X-Signature", "X-Timestamp")
            if sso
            else ("client_code", "signature", "timestamp")
        )
        headers = dict(zip(names, (LP, signature, stamp), strict=True))
        if body is not None:
            headers["Content-Type"] = "application/json"
        response = self.app.test_client().open(target, method=method, data=raw or None, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def site() -> Iterator[Site]:
    """A seeded sandbox whose LP callbacks point at the recording institution, served on 127.0.0.1."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app({"database": ":memory:", "public_base_url": base})
    sandbox = app.extensions[EXTENSION_KEY]
    with sandbox.store.transaction() as tx:
        tx.execute(
            "UPDATE partners SET redirect_uris = ?, sso_redirect_uris = ?, sso_login_uris = ? WHERE code = ?",
            (
                json.dumps([f"{base}/lp/attendance/callback"]),
                json.dumps([f"{base}/lp/sso/callback"]),
                json.dumps([f"{base}/lp/login"]),
                LP_CODE,
            ),
        )
    institution = Institution()
    server = make_server("127.0.0.1", port, DispatcherMiddleware(app, {"/lp": institution}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(app, institution, base)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        sandbox.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium from the system (Playwright drives it; no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser page with a phone-sized viewport."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="id-ID")
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def _query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def _verification_url(site: Site, redeem_code: str) -> tuple[str, str]:
    data = site.signed(
        "POST",
        "/api/v1/integration/oauth/url-generate",
        body={
            "redeem_code": redeem_code,
            "redirect_uri": f"{site.base}/lp/attendance/callback",
            "email": "peserta@example.com",
            "sequence": 1,
        },
    )
    return str(data["url"]), str(data["state"])


def _login_url(site: Site) -> str:
    query = urlencode(
        {
            "state": "STATE-123456",
            "scope": "name email prakerjaid notelp",
            "client_id": LP,
            "redirect_uri": f"{site.base}/lp/sso/callback",
            "login_uri": f"{site.base}/lp/login",
        },
        quote_via=quote,
    )
    return str(site.signed("GET", "/api/v1/oauth/authorize", query=query)["redirect_url"])


def test_verified_attendance_returns_to_the_lp_callback(site: Site, page: Any) -> None:
    url, state = _verification_url(site, "PRAT-TC2001")
    page.goto(url)
    assert page.locator("h1").inner_text().startswith("Verifikasi Kehadiran")
    page.click("#verified")
    page.wait_for_url(f"{site.base}/lp/attendance/callback?**")
    assert _query(page.url) == {
        "state": state,
        "redeem_code": "PRAT-TC2001",
        "sequence": "1",
        "status": "verified",
    }
    assert site.institution.received == [("/attendance/callback", _query(page.url))]
    status = site.signed(
        "POST", "/api/v1/integration/payment/redeem-code/status", body={"redeem_code": "PRAT-TC2001"}
    )
    assert (status["status"], status["attendance_status"]) == (1, 1)


def test_failed_attendance_returns_status_failed(site: Site, page: Any) -> None:
    url, state = _verification_url(site, "PRAT-TC1001")
    page.goto(url)
    page.click("#failed")
    page.wait_for_url(f"{site.base}/lp/attendance/callback?**")
    assert _query(page.url) == {
        "state": state,
        "redeem_code": "PRAT-TC1001",
        "sequence": "1",
        "status": "failed",
    }


def test_verification_page_fits_a_phone_screen(site: Site, page: Any) -> None:
    url, _ = _verification_url(site, "PRAT-TC1001")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("#verified").is_visible()
    assert page.locator("#failed").is_visible()


def test_reused_verification_link_shows_an_error_page(site: Site, page: Any) -> None:
    url, _ = _verification_url(site, "PRAT-TC1001")
    page.goto(url)
    page.click("#verified")
    page.wait_for_url(f"{site.base}/lp/attendance/callback?**")
    response = page.goto(url)
    assert response.status == 400
    assert "sudah digunakan" in page.locator("h1").inner_text()


def test_sso_consent_allow_returns_a_code_that_exchanges_for_tokens(site: Site, page: Any) -> None:
    page.goto(_login_url(site))
    assert "Cipta Kreasi Nusantara" in page.locator("#client-name").inner_text()
    page.fill("#identifier", BUYER)
    page.click("#allow")
    page.wait_for_url(f"{site.base}/lp/sso/callback?**")
    query = _query(page.url)
    assert query["state"] == "STATE-123456"
    tokens = site.signed("POST", "/api/v1/oauth/token", body={"code": query["code"]})
    assert tokens["token_type"] == "Bearer"


def test_sso_consent_deny_returns_to_the_login_uri(site: Site, page: Any) -> None:
    page.goto(_login_url(site))
    page.click("#deny")
    page.wait_for_url(f"{site.base}/lp/login?**")
    assert _query(page.url) == {"error": "access_denied", "state": "STATE-123456"}


def test_sso_unknown_participant_stays_on_the_form(site: Site, page: Any) -> None:
    login = _login_url(site)
    page.goto(login)
    page.fill("#identifier", "0000000000000000")
    page.click("#allow")
    page.wait_for_selector("#problem")
    assert urlsplit(page.url).path == "/consent-sso"
    assert site.institution.received == []
