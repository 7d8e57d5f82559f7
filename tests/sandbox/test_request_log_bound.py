"""The request log's bound: about ``max_rows`` newest rows are kept, the oldest dropped first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from prakerja_sandbox.cli import build_parser, sandbox_config
from prakerja_sandbox.request_log import COLUMNS, RequestLog
from prakerja_sandbox.storage import SqliteStore


def _row(number: int) -> tuple[Any, ...]:
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(at="2026-01-01T00:00:00Z", method="POST", path=f"/{number}", query="", status=200)
    values.update(request_headers="{}")
    return tuple(values[name] for name in COLUMNS)


def _paths(store: SqliteStore) -> list[str]:
    with store.read() as tx:
        return [row["path"] for row in tx.all("SELECT path FROM request_log ORDER BY id")]


def _assert_newest_kept(paths: list[str], written: int, max_rows: int) -> None:
    step = max(1, max_rows // 100)
    assert min(written, max_rows) <= len(paths) <= max_rows + step
    assert paths == [f"/{number}" for number in range(written - len(paths), written)]  # the newest, in order


@settings(max_examples=30, deadline=None)
@given(max_rows=st.integers(min_value=1, max_value=300), written=st.integers(min_value=0, max_value=700))
def test_rows_written_one_by_one_keep_the_newest(max_rows: int, written: int) -> None:
    store = SqliteStore(":memory:")
    log = RequestLog(store, batch_seconds=0, max_rows=max_rows)
    for number in range(written):
        log.record(_row(number))
    _assert_newest_kept(_paths(store), written, max_rows)


@settings(max_examples=15, deadline=None)
@given(
    max_rows=st.integers(min_value=1, max_value=300),
    batches=st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_rows_written_in_batches_keep_the_newest(
    tmp_path_factory: Any, max_rows: int, batches: list[int]
) -> None:
    store = SqliteStore(str(Path(tmp_path_factory.mktemp("bound")) / "log.sqlite3"))
    log = RequestLog(store, batch_seconds=60, max_rows=max_rows)
    written = 0
    try:
        for size in batches:
            for _ in range(size):
                log.record(_row(written))
                written += 1
            log.flush()
        _assert_newest_kept(_paths(store), written, max_rows)
    finally:
        log.close()
        store.close()


def test_zero_keeps_every_row() -> None:
    store = SqliteStore(":memory:")
    log = RequestLog(store, batch_seconds=0, max_rows=0)
    for number in range(250):
        log.record(_row(number))
    assert len(_paths(store)) == 250


def test_the_bound_is_a_command_line_option() -> None:
    assert sandbox_config(build_parser().parse_args([])).request_log_max_rows == 100_000
    config = sandbox_config(build_parser().parse_args(["--request-log-rows", "500"]))
    assert config.request_log_max_rows == 500
