"""MkDocs hook: pages and tables generated from ``contracts/`` at build time.

Generated pages: the error catalogue, the contract decisions, the HTTP reference (one page per tag) and the
sandbox's magic values. ``docs/`` holds a short placeholder of each (so links in the Markdown sources lead
somewhere on a forge); the build replaces it with the generated page. A hand-written page can also pull a generated table in
with a marker line, e.g. ``<!-- contract: signing-vectors -->``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.structure.files import File, Files
from prakerja_docs.ambiguity_pages import ambiguities_table, sandbox_warnings_table
from prakerja_docs.catalogue_pages import decisions_page, errors_page
from prakerja_docs.http_pages import TAGS, index_page, tag_page
from prakerja_docs.markdown import unescape_code_pipes
from prakerja_docs.scenario_pages import credentials_tables, magic_values_page, signing_vectors_table
from prakerja_docs.sdk_pages import operations_reference

from prakerja.contract import Contract, load_contract


def generated_pages(contract: Contract) -> dict[str, str]:
    """Every generated page, by its path under ``docs/``."""
    pages = {
        "reference/errors.md": errors_page(contract),
        "reference/decisions.md": decisions_page(contract),
        "reference/http/index.md": index_page(contract),
        "sandbox/magic-values.md": magic_values_page(contract),
    }
    for tag in TAGS:
        pages[f"reference/http/{tag}.md"] = tag_page(contract, tag)
    return pages


def sdk_operations(contract: Contract) -> str:
    """The SDK's resource methods (they depend on the SDK, not on the contract)."""
    return operations_reference()


MARKERS: dict[str, Callable[[Contract], str]] = {
    "<!-- contract: signing-vectors -->": signing_vectors_table,
    "<!-- contract: credentials -->": credentials_tables,
    "<!-- contract: ambiguities -->": ambiguities_table,
    "<!-- contract: sandbox-warnings -->": sandbox_warnings_table,
    "<!-- sdk: operations -->": sdk_operations,
}


def on_files(files: Files, config: Any) -> Files:
    """Add the generated pages to the site, in place of their placeholders in ``docs/``."""
    for path, content in generated_pages(load_contract()).items():
        placeholder = files.get_file_from_path(path)
        if placeholder is not None:
            files.remove(placeholder)
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Replace marker lines with the tables they name; pipes in a table's code spans lose their backslash."""
    for marker, render in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, render(load_contract()))
    return unescape_code_pipes(markdown)


_SUMMARY_ID = re.compile(
    r'<div class="admonition abstract">(\s*<p class="admonition-title">Ringkasan \(Bahasa Indonesia\))'
)
_SPHINX_ROLE = re.compile(r":(?:class|meth|func|attr|mod|data|exc|obj):<code>~?([^<]+)</code>")


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Docstrings written for Sphinx (``:class:`~a.B```) read as plain code names on the site; the Indonesian
    summaries say their language (``lang="id"``, for screen readers, hyphenation and translation tools)."""
    html = _SUMMARY_ID.sub(r'<div class="admonition abstract summary-id" lang="id">\1', html)
    return _SPHINX_ROLE.sub(lambda m: f"<code>{m.group(1).rsplit('.', 1)[-1]}</code>", html)
