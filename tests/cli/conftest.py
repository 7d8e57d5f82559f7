from __future__ import annotations

import pytest
from click.testing import CliRunner


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose environment carries no Prakerja credentials unless a test sets them."""
    for name in ("PRAKERJA_CLIENT_CODE", "PRAKERJA_SIGN_KEY", "PRAKERJA_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()
