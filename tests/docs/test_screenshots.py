"""The built site renders in headless Chromium: key pages load their theme and show their content."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from .site import build_site, serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
WIDTH, HEIGHT = 1280, 1400
PAGES = {
    "getting-started/dp/": "Getting started: digital platform",
    "signing/": "Signing requests",
    "reference/errors/": "Error catalogue",
}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    destination = tmp_path_factory.mktemp("site")
    done = build_site(destination)
    assert done.returncode == 0, done.stderr
    return destination


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, timeout=120, check=False
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_with_its_theme(built_site: Path, page: str, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    with serve(built_site) as (url, served):
        dom = _chromium("--dump-dom", "--virtual-time-budget=3000", f"{url}/{page}", profile=tmp_path / "p1")
        _chromium(
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={shot}",
            "--virtual-time-budget=3000",
            f"{url}/{page}",
            profile=tmp_path / "p2",
        )

    html = dom.stdout.decode("utf-8", "replace")
    assert PAGES[page] in html
    # The theme's stylesheet and script were fetched and served: the page is styled and its navigation works.
    fetched = {path.split("?")[0]: status for path, status in served}
    assert any(
        p.endswith(".css") and "/assets/stylesheets/main" in p and s == 200 for p, s in fetched.items()
    )
    assert any(
        p.endswith(".js") and "/assets/javascripts/bundle" in p and s == 200 for p, s in fetched.items()
    )
    assert not [p for p, s in fetched.items() if s >= 400 and not p.endswith("favicon.ico")]
    data = shot.read_bytes()
    assert _png_size(data) == (WIDTH, HEIGHT)
    # A blank page of this size compresses to a few kilobytes; rendered text and tables do not.
    assert len(data) > 60_000
