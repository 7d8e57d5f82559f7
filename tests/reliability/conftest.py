"""Fixtures for the reliability suites, which run against the sandbox served by its own command."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from .served import ServedSandbox


def read_rows(database: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read straight from the sandbox's database file (read-only)."""
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSandbox]:
    """The seeded sandbox with three worker processes on a fresh database file."""
    database = tmp_path_factory.mktemp("served") / "sandbox.sqlite3"
    sandbox = ServedSandbox(database, workers=3)
    try:
        yield sandbox
    finally:
        sandbox.stop()
