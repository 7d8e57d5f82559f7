"""The built site read in a browser with the network blocked, as a partner on a plane would read it.

Every page loads only from its own host, every diagram renders, commands and tables fit the column, the copy
button copies commands only, the Indonesian summaries are marked and readable, and search finds error codes in
the catalogue. Headless Chromium (driven by Playwright, no browser download) opens the pages from a local server; every
request to another host is aborted and recorded. The theme renders Mermaid into a closed shadow root, so an
init script opens it for the test to read the SVG.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .site import build_site, serve

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""
RENDERED = """
() => [...document.querySelectorAll("div.mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  const box = svg ? svg.getBoundingClientRect() : null;
  return { svg: Boolean(svg), width: box ? box.width : 0, height: box ? box.height : 0,
           text: svg ? svg.textContent : "" };
})
"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    destination = tmp_path_factory.mktemp("offline-site")
    done = build_site(destination)
    assert done.returncode == 0, done.stderr
    return destination


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


class OfflinePage:
    """A browser page whose requests to any host but this machine are aborted and remembered."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def offline(browser: Any) -> Iterator[OfflinePage]:
    opened = OfflinePage(browser)
    yield opened
    opened.context.close()


def _pages(site: Path) -> list[str]:
    found = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        found.append("" if relative == "." else relative + "/")
    return found


def _diagram_pages(site: Path) -> dict[str, int]:
    counts = {}
    for page in _pages(site):
        count = (site / page / "index.html").read_text().count('<pre class="mermaid">')
        if count:
            counts[page] = count
    return counts


def test_no_page_asks_for_anything_beyond_the_site(built_site: Path, offline: OfflinePage) -> None:
    pages = _pages(built_site)
    assert len(pages) > 20
    with serve(built_site) as (url, served):
        for page in pages:
            offline.page.goto(f"{url}/{page}", wait_until="networkidle")
    assert offline.blocked == []
    assert [path for path, status in served if status >= 400 and not path.endswith("favicon.ico")] == []


def test_every_diagram_renders_to_an_svg_with_the_network_blocked(
    built_site: Path, offline: OfflinePage
) -> None:
    diagrams = _diagram_pages(built_site)
    assert sum(diagrams.values()) >= 4
    offline.context.add_init_script(OPEN_SHADOW_ROOTS)
    with serve(built_site) as (url, _):
        for page, count in diagrams.items():
            offline.page.goto(f"{url}/{page}", wait_until="networkidle")
            with contextlib.suppress(PlaywrightTimeout):  # a diagram that fails to parse never renders
                offline.page.wait_for_function(
                    f"document.querySelectorAll('div.mermaid').length >= {count}", timeout=15_000
                )
            rendered = offline.page.evaluate(RENDERED)
            assert offline.page.locator("pre.mermaid").count() == 0, f"{page}: a diagram failed to render"
            assert len(rendered) == count, page
            for diagram in rendered:
                assert diagram["svg"], page
                assert diagram["width"] > 200, (page, diagram)
                assert diagram["height"] > 200, (page, diagram)
                assert not re.search(r"syntax error|parse error", diagram["text"], re.IGNORECASE), page
    assert offline.blocked == []
    assert offline.errors == []


WRAPPED_BLOCKS = ", ".join(
    f".md-content .language-{language} pre > code"
    for language in ("sh", "bash", "console", "json", "http", "text")
)
OVERFLOW = """(selector) => [...document.querySelectorAll(selector)]
  .filter((element) => element.scrollWidth > element.clientWidth + 1)
  .map((element) => element.textContent.slice(0, 80))"""
WIDE_TABLES = """() => {
  const column = document.querySelector(".md-content").getBoundingClientRect().right;
  return [...document.querySelectorAll(".md-content table")]
    .filter((table) => table.getBoundingClientRect().right > column + 1
                       || table.parentElement.scrollWidth > table.parentElement.clientWidth + 1)
    .map((table) => table.querySelector("tr").textContent.trim().slice(0, 80));
}"""


def test_commands_json_and_tables_fit_the_column(built_site: Path, offline: OfflinePage) -> None:
    sideways: dict[str, list[str]] = {}
    with serve(built_site) as (url, _):
        for page in _pages(built_site):
            offline.page.goto(f"{url}/{page}")
            found = offline.page.evaluate(OVERFLOW, WRAPPED_BLOCKS) + offline.page.evaluate(WIDE_TABLES)
            if found:
                sideways[page] = found
    assert sideways == {}


def test_no_page_shows_an_escaped_pipe(built_site: Path, offline: OfflinePage) -> None:
    with serve(built_site) as (url, _):
        for page in ("sandbox/", "contract/"):
            offline.page.goto(f"{url}/{page}")
            text = offline.page.inner_text(".md-content")
            assert "\\|" not in text, page
            assert "fixed|random" in text or page != "sandbox/"


def test_the_copy_button_copies_the_commands_without_prompt_or_output(built_site: Path, browser: Any) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    with serve(built_site) as (url, _):
        page.goto(f"{url}/cli/")
        block = page.locator(".language-console").filter(has_text="prakerja call attendance.status").first
        block.hover()
        block.locator("button.md-code__button").click()
        copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.splitlines() == [
        "export PRAKERJA_CLIENT_CODE=SBX-LP-CIPTAKREASI",
        "export PRAKERJA_SIGN_KEY=951fdf8a443d4f9ecba39c166cfdd6fec14c39e8",
        """prakerja call attendance.status --data '{"redeem_code":"GHOPNYXUVMT0","sequence":1}'""",
    ]


@pytest.mark.parametrize(
    "page",
    ["contract/", "reference/decisions/", "reference/http/", "reference/http/payments/", "reference/python/"],
)
def test_indonesian_summaries_are_marked_and_readable(
    built_site: Path, offline: OfflinePage, page: str
) -> None:
    with serve(built_site) as (url, _):
        offline.page.goto(f"{url}/{page}")
        summary = offline.page.locator('.admonition[lang="id"]')
        assert summary.count() == 1
        assert "Ringkasan (Bahasa Indonesia)" in summary.inner_text()
        size = summary.locator("p:not(.admonition-title)").first.evaluate(
            "(p) => parseFloat(getComputedStyle(p).fontSize)"
        )
    assert size >= 15


def test_searching_an_error_code_finds_its_catalogue_entry_first(
    built_site: Path, offline: OfflinePage
) -> None:
    with serve(built_site) as (url, _):
        offline.page.goto(f"{url}/")
        offline.page.locator(".md-search__input").click()
        offline.page.locator(".md-search__input").press_sequentially("ERRPLT40104", delay=20)
        first = offline.page.locator(".md-search-result__item a").first
        first.wait_for(timeout=15_000)
        assert "reference/errors/" in (first.get_attribute("href") or "")
