"""The dashboard's views driven in headless Chromium over a real socket, at desktop and 390 px phone width.

The request log is filtered and a request opened; a fault is injected and removed from the form; the coverage
link opens the unmet codes; an LP's verification and SSO login end on the callback catcher. With
``PRAKERJA_UPDATE_SCREENSHOTS=1`` the run also writes the screenshots docs/sandbox.md shows (docs/images/).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from pngread import read_png
from test_pages_chromium import CHROMIUM, LP, LP_CODE, Institution, Site
from werkzeug.serving import make_server

from prakerja_sandbox import create_app
from prakerja_sandbox.context import EXTENSION_KEY

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium binary (Debian: apt-get install chromium)"),
]

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
UPDATE = os.environ.get("PRAKERJA_UPDATE_SCREENSHOTS") == "1"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A sandbox with traffic, whose LP registers the dashboard's callback catcher, served on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    app = create_app({"database": ":memory:", "public_base_url": base})
    sandbox = app.extensions[EXTENSION_KEY]
    with sandbox.store.transaction() as tx:
        tx.execute(
            "UPDATE partners SET redirect_uris = ?, sso_redirect_uris = ?, sso_login_uris = ? WHERE code = ?",
            (
                json.dumps([f"{base}/_sandbox/callback/attendance"]),
                json.dumps([f"{base}/_sandbox/callback/sso"]),
                json.dumps([f"{base}/_sandbox/callback/login"]),
                LP_CODE,
            ),
        )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    made = Site(app, Institution(), base)
    made.signed("POST", "/api/v1/integration/payment/redeem-code/status", body={"redeem_code": "PRAT-TC1001"})
    for code in ("PRAT-NOTFND", "PRAT-GONE01"):  # two refusals (Site.signed asserts a 200, hence suppress)
        with contextlib.suppress(AssertionError):
            made.signed("POST", "/api/v1/integration/payment/redeem-code/status", body={"redeem_code": code})
    try:
        yield made
    finally:
        server.shutdown()
        thread.join(timeout=10)
        sandbox.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    opened = browser.new_context(viewport=viewport).new_page()
    opened.set_default_timeout(15_000)
    return opened


def _shot(page: Any, name: str, *, full_page: bool = False) -> None:
    path = (DOCS_IMAGES if UPDATE else Path(os.environ.get("TMPDIR", "/tmp"))) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    image = read_png(path)
    assert image.distinct_colours(step=3) > 30, name  # text, pills and tables; a blank page has a handful


VIEWS = ["", "ui/requests", "ui/coverage", "ui/partners/tokopedia", "ui/partners/SBX-LP-CIPTAKREASI",
         "ui/participants/9990000000000200", "callback/attendance?state=S&status=verified"]  # fmt: skip


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_fits_a_390_px_phone(site: Site, browser: Any, view: str) -> None:
    page = _page(browser, PHONE)
    page.goto(f"{site.base}/_sandbox/{view}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.locator("header").is_visible()
    page.context.close()


def test_the_request_log_filters_pages_and_opens_a_request(site: Site, browser: Any) -> None:
    page = _page(browser, DESKTOP)
    page.goto(f"{site.base}/_sandbox/ui/requests")
    page.select_option("select[name=operation]", "attendance.status")
    page.check("input[name=failed_only]")
    page.click("#request-log button")
    assert page.locator("#request-log h2").inner_text().startswith("Request log 2 requests match")
    page.locator("#request-log table a[href*='/ui/requests/']").first.click()
    assert page.locator("#response-body").inner_text().count("ERRRDM40001") == 1
    assert "PRAT-GONE01" in page.locator("#request-body").inner_text()
    headers = page.locator("#request-headers").inner_text()
    assert site.sandbox.config.control_token is None or site.sandbox.config.control_token not in headers
    assert "ms" in page.locator("dl.facts").inner_text()
    _shot(page, "dashboard-request")
    page.context.close()


def test_a_fault_is_injected_and_removed_from_the_form(site: Site, browser: Any) -> None:
    page = _page(browser, DESKTOP)
    page.goto(f"{site.base}/_sandbox/#controls")
    form = page.locator("#fault-form")
    form.locator("select[name=operation]").select_option("payments.status")
    form.locator("select[name=kind]").select_option("error")
    form.locator("input[name=code]").fill("ERRPLT50301")
    form.locator("input[name=retry_after]").fill("30")
    form.locator("input[name=probability]").fill("0.5")
    form.locator("button").click()
    assert "injected: error on payments.status" in page.locator(".notice").inner_text()
    assert "Retry-After 30 s" in page.locator("#faults").inner_text()
    page.locator("#faults button").first.click()
    assert page.locator(".notice").inner_text() == "1 fault(s) removed."
    assert page.locator("#faults").count() == 0
    page.context.close()


def test_the_coverage_link_opens_the_unmet_codes_must_handle_first(site: Site, browser: Any) -> None:
    page = _page(browser, DESKTOP)
    page.goto(f"{site.base}/_sandbox/")
    page.click("#coverage-link")
    first = page.locator("#unmet table tr").nth(1).inner_text()
    assert "DP must handle" in first
    assert "ERRRDM40001" in page.locator("#met").inner_text()
    page.context.close()


def test_an_lp_verification_ends_on_the_callback_catcher(site: Site, browser: Any) -> None:
    data = site.signed(
        "POST",
        "/api/v1/integration/oauth/url-generate",
        body={"redeem_code": "PRAT-TC2001", "redirect_uri": f"{site.base}/_sandbox/callback/attendance",
              "email": "peserta@example.com", "sequence": 1},
    )  # fmt: skip
    page = _page(browser, PHONE)
    page.goto(str(data["url"]))
    page.click("#verified")
    page.wait_for_url(f"{site.base}/_sandbox/callback/attendance?**")
    caught = page.locator("#callback-params").inner_text()
    assert data["state"] in caught
    assert "verified" in caught
    page.context.close()


def test_an_sso_login_ends_on_the_callback_catcher(site: Site, browser: Any) -> None:
    query = urlencode(
        {"state": "STATE-CATCH", "scope": "name email", "client_id": LP,
         "redirect_uri": f"{site.base}/_sandbox/callback/sso", "login_uri": f"{site.base}/_sandbox/callback/login"},
        quote_via=quote,
    )  # fmt: skip
    page = _page(browser, PHONE)
    page.goto(str(site.signed("GET", "/api/v1/oauth/authorize", query=query)["redirect_url"]))
    page.fill("#identifier", "9990000000000200")
    page.click("#allow")
    page.wait_for_url(f"{site.base}/_sandbox/callback/sso?**")
    assert "STATE-CATCH" in page.locator("#callback-params").inner_text()
    page.context.close()


def test_screenshots_of_the_dashboard_and_the_participant_pages(site: Site, browser: Any) -> None:
    desktop = _page(browser, DESKTOP)
    desktop.goto(f"{site.base}/_sandbox/")
    _shot(desktop, "dashboard")
    desktop.goto(f"{site.base}/_sandbox/#controls")
    _shot(desktop, "dashboard-controls")
    desktop.goto(f"{site.base}/_sandbox/ui/requests")
    _shot(desktop, "dashboard-requests")
    desktop.context.close()
    phone = _page(browser, PHONE)
    data = site.signed(
        "POST",
        "/api/v1/integration/oauth/url-generate",
        body={"redeem_code": "PRAT-TC1001", "redirect_uri": f"{site.base}/_sandbox/callback/attendance",
              "email": "peserta@example.com", "sequence": 1},
    )  # fmt: skip
    phone.goto(str(data["url"]))
    _shot(phone, "verification-page")
    query = urlencode(
        {"state": "STATE-SHOT", "scope": "name email prakerjaid notelp", "client_id": LP,
         "redirect_uri": f"{site.base}/_sandbox/callback/sso", "login_uri": f"{site.base}/_sandbox/callback/login"},
        quote_via=quote,
    )  # fmt: skip
    phone.goto(str(site.signed("GET", "/api/v1/oauth/authorize", query=query)["redirect_url"]))
    _shot(phone, "consent-page")
    phone.context.close()
