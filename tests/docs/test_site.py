"""The site builds with ``mkdocs build --strict`` and carries the pages generated from the contract."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from mkdocs.utils.yaml import yaml_load

from prakerja.contract import load_contract

from .site import ROOT, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("site")
    done = build_site(destination)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return destination


def _nav_files(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [f for value in node.values() for f in _nav_files(value)]
    if isinstance(node, list):
        return [f for item in node for f in _nav_files(item)]
    return []


def _squeezed(text: str) -> str:
    """Text without tags, backticks or whitespace: what a reader sees, compared character by character."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("`", "").split())


def test_the_site_builds_strictly(site: Path) -> None:
    assert (site / "index.html").is_file()


def test_every_nav_entry_is_a_built_page(site: Path) -> None:
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # mkdocs' loader: it knows the !ENV tag

    for page in _nav_files(config["nav"]):
        stem = page.removesuffix(".md")
        built = site / (stem.removesuffix("index") if stem.endswith("index") else stem + "/") / "index.html"
        assert built.is_file(), page


def test_the_error_page_lists_every_code_with_its_action(site: Path) -> None:
    text = _squeezed((site / "reference/errors/index.html").read_text())

    for entry in load_contract().errors.values():
        assert entry.code in text
        assert _squeezed(entry.action) in text, entry.code


def test_the_error_page_opens_with_how_many_codes_are_documented(site: Path) -> None:
    entries = load_contract().errors.values()
    documented = sum(1 for entry in entries if entry.provenance == "documented")
    text = _squeezed((site / "reference/errors/index.html").read_text())

    opening = _squeezed(f"Only {documented} of these {len(entries)} codes are documented by Prakerja")
    assert opening in text
    assert text.index(opening) < text.index(_squeezed("Every refusal carries one of these"))
    assert _squeezed("Catch the families first") in text


def test_the_http_reference_has_a_section_per_operation(site: Path) -> None:
    pages = "".join(
        (site / f"reference/http/{tag}/index.html").read_text()
        for tag in ("payments", "attendance", "tpm", "sso")
    )

    for operation_id, operation in load_contract().operations.items():
        assert f'id="{operation_id}"' in pages
        assert operation.path in pages


def test_the_magic_values_page_lists_every_test_code_and_magic_participant(site: Path) -> None:
    html = (site / "sandbox/magic-values/index.html").read_text()
    scenarios = load_contract().scenarios

    for case in scenarios["test_codes"]["cases"]:
        assert case["redeem_code"] in html
    for person in scenarios["magic_participants"]["participants"]:
        assert person["prakerja_id"] in html


def test_the_signing_page_shows_every_known_answer_vector(site: Path) -> None:
    html = (site / "signing/index.html").read_text()

    for vector in load_contract().signing_vectors:
        assert vector["signature"] in html


def test_flows_are_mermaid_diagrams(site: Path) -> None:
    html = (site / "flows/index.html").read_text()

    assert html.count('<pre class="mermaid">') == html.count("sequenceDiagram") == 4


def test_the_python_api_reference_is_generated_from_docstrings(site: Path) -> None:
    html = (site / "reference/python/index.html").read_text()

    assert "The lower-case hex HMAC-SHA1 signature of a request." in html
    assert "client.payments.send_otp" in html
    assert ":class:" not in html


def test_every_written_page_has_an_indonesian_introduction() -> None:
    # the vendored scripts' README is not a page of the site
    pages = sorted(page for page in (ROOT / "docs").rglob("*.md") if "javascripts" not in page.parts)
    # the generated pages' sources are placeholders, replaced when the site is built
    written = [page for page in pages if "This page is generated from" not in page.read_text()]

    assert len(written) >= 15
    missing = [
        str(page.relative_to(ROOT))
        for page in written
        if "Ringkasan (Bahasa Indonesia)" not in page.read_text()
    ]
    assert missing == []


def test_the_contract_page_renders_the_ambiguity_register(site: Path) -> None:
    text = _squeezed((site / "contract/index.html").read_text())

    for entry in load_contract().ambiguities.values():
        assert entry.id in text
        assert _squeezed(entry.sandbox_strict) in text, entry.id
        for reading in entry.readings:
            assert _squeezed(reading.source) in text, (entry.id, reading.id)


def test_links_in_the_markdown_sources_lead_to_files_that_exist() -> None:
    """Read on a forge, a link to a generated page opens its placeholder, not a 404."""
    docs = ROOT / "docs"
    broken = [
        f"{page.relative_to(docs)} -> {target}"
        for page in docs.rglob("*.md")
        if "hooks" not in page.parts
        for target in re.findall(r"\]\(([^)#\s:]+\.md)(?:#[^)]*)?\)", page.read_text())
        if not (page.parent / target).resolve().is_file()
    ]
    assert broken == []


def test_generated_pages_replace_their_placeholders(site: Path) -> None:
    for page in ("reference/errors/", "reference/http/payments/", "sandbox/magic-values/"):
        html = (site / page / "index.html").read_text()
        assert "This page is generated from" not in html, page
        assert "Ringkasan (Bahasa Indonesia)" in html, page


def test_the_http_index_shows_the_conventions_as_a_list(site: Path) -> None:
    html = (site / "reference/http/index.html").read_text()
    assert "<p>Conventions:</p>\n<ul>" in html
