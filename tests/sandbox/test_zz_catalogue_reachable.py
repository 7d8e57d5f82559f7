"""The sandbox answers every code of the catalogue, and only those.

This runs last in ``tests/sandbox`` (file order) and reads the codes every in-process sandbox answered during
the session. It needs the whole folder to have run, so it is skipped, saying so, when only part of it was
selected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prakerja.contract import load_contract

from .conftest import EmittedCodes

HERE = Path(__file__).resolve().parent


def _whole_folder_ran(session: pytest.Session) -> bool:
    files = {Path(str(item.path)).resolve() for item in session.items}
    wanted = {path.resolve() for path in HERE.glob("test_*.py")}
    selected_all = len([item for item in session.items if Path(str(item.path)).parent == HERE])
    return (
        wanted <= files
        and selected_all > 400
        and not session.config.getoption("-k")
        and not (session.config.getoption("-m"))
    )


def test_every_catalogue_code_was_answered_by_the_sandbox(
    request: pytest.FixtureRequest, emitted_codes: EmittedCodes
) -> None:
    if not _whole_folder_ran(request.session):
        pytest.skip("needs the whole tests/sandbox folder in one session (run: pytest tests/sandbox)")
    catalogue = set(load_contract().errors)
    never = sorted(catalogue - set(emitted_codes.codes))
    assert never == [], f"catalogue codes no sandbox test made the sandbox answer: {never}"


def test_the_sandbox_answered_no_code_outside_the_catalogue(emitted_codes: EmittedCodes) -> None:
    assert sorted(set(emitted_codes.codes) - set(load_contract().errors)) == []
