"""The request log's writer: immediate for an in-memory sandbox, batched for a file, and never out of sight."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest

from prakerja_sandbox import Sandbox, create_app
from prakerja_sandbox.clock import Clock
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.request_log import COLUMNS, LogBoard, RequestLog
from prakerja_sandbox.storage import SqliteStore

from .conftest import LP, SignedClient

STATUS = "/api/v1/integration/payment/redeem-code/status"


def _row(path: str) -> tuple[Any, ...]:
    values: dict[str, Any] = dict.fromkeys(COLUMNS)
    values.update(at="2026-01-01T00:00:00Z", method="POST", path=path, query="", status=200)
    values.update(request_headers="{}")
    return tuple(values[name] for name in COLUMNS)


def _paths(store: SqliteStore) -> list[str]:
    with store.read() as tx:
        return [row["path"] for row in tx.all("SELECT path FROM request_log ORDER BY id")]


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(str(tmp_path / "log.sqlite3"))
    yield store
    store.close()


def test_unbatched_rows_are_written_at_once(file_store: SqliteStore) -> None:
    log = RequestLog(file_store, batch_seconds=0)
    log.record(_row("/a"))
    assert _paths(file_store) == ["/a"]


def test_batched_rows_wait_for_the_flush_and_keep_their_order(file_store: SqliteStore) -> None:
    log = RequestLog(file_store, batch_seconds=60)
    for path in ("/a", "/b", "/c"):
        log.record(_row(path))
    assert _paths(file_store) == []
    assert log.flush() == 3
    assert _paths(file_store) == ["/a", "/b", "/c"]
    assert log.flush() == 0
    log.close()


def test_a_full_batch_is_written_without_waiting_for_the_interval(file_store: SqliteStore) -> None:
    log = RequestLog(file_store, batch_seconds=60, max_batch=3)
    for path in ("/a", "/b", "/c"):
        log.record(_row(path))
    deadline = time.monotonic() + 10
    while _paths(file_store) != ["/a", "/b", "/c"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _paths(file_store) == ["/a", "/b", "/c"]
    log.close()


def test_the_writer_thread_writes_within_the_interval(file_store: SqliteStore) -> None:
    log = RequestLog(file_store, batch_seconds=0.02)
    log.record(_row("/a"))
    deadline = time.monotonic() + 10
    while not _paths(file_store) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _paths(file_store) == ["/a"]
    log.close()


def test_close_writes_the_queue_and_later_rows_go_straight_in(file_store: SqliteStore) -> None:
    log = RequestLog(file_store, batch_seconds=60)
    log.record(_row("/queued"))
    log.close()
    assert _paths(file_store) == ["/queued"]
    log.record(_row("/after"))
    assert _paths(file_store) == ["/queued", "/after"]


def test_a_row_the_store_cannot_hold_is_dropped_and_the_others_are_written_in_order(
    file_store: SqliteStore, caplog: pytest.LogCaptureFixture
) -> None:
    log = RequestLog(file_store, batch_seconds=60)
    log.record(_row("/a"))
    log.record((None,) * len(COLUMNS))  # NOT NULL columns: no store can hold it
    log.record(_row("/b"))

    with caplog.at_level(logging.ERROR, logger="prakerja_sandbox"):
        assert log.flush() == 3

    assert _paths(file_store) == ["/a", "/b"]
    assert log.dropped == 1
    assert "dropped a request-log row the store cannot hold" in caplog.text
    log.record(_row("/c"))  # nothing stays stuck at the head of the queue
    log.flush()
    assert _paths(file_store) == ["/a", "/b", "/c"]
    log.close()


class _Unavailable:
    """A store whose next ``failures`` transactions fail as a locked or unreachable database does."""

    def __init__(self, store: SqliteStore, failures: int) -> None:
        self._store = store
        self.failures = failures

    def transaction(self) -> Any:
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return self._store.transaction()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_an_unavailable_store_keeps_every_row_queued_for_the_next_flush(file_store: SqliteStore) -> None:
    store = _Unavailable(file_store, failures=1)
    log = RequestLog(store, batch_seconds=60)
    log.record(_row("/a"))
    log.record(_row("/b"))

    with pytest.raises(sqlite3.OperationalError):
        log.flush()
    assert _paths(file_store) == []

    assert log.flush() == 2
    assert _paths(file_store) == ["/a", "/b"]
    assert log.dropped == 0
    log.close()


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[flask.Flask]:
    # an interval no test waits for: only the control API's own flush can make rows visible
    application = create_app({"database": str(tmp_path / "app.sqlite3"), "request_log_batch_ms": 600_000})
    yield application
    application.extensions[EXTENSION_KEY].close()


def test_the_control_api_shows_requests_still_queued(file_app: flask.Flask) -> None:
    sandbox = file_app.extensions[EXTENSION_KEY]
    assert isinstance(sandbox, Sandbox)
    assert sandbox.request_log.batched
    client = file_app.test_client()
    signed = SignedClient(client, sandbox)
    answer = signed.post(STATUS, {"redeem_code": "NOSUCHCODE01", "sequence": 1}, as_=LP)
    assert answer.status_code == 400
    with sandbox.store.read() as tx:
        assert tx.scalar("SELECT COUNT(*) FROM request_log") == 0  # still queued
    listed = client.get("/_sandbox/requests").get_json()["data"]["items"]
    assert [(item["path"], item["error_code"]) for item in listed] == [(STATUS, "ERRRDM40001")]
    coverage = client.get("/_sandbox/coverage").get_json()["data"]
    assert "ERRRDM40001" in {row["code"] for row in coverage["emitted"]}


def test_an_in_memory_sandbox_writes_each_row_at_once() -> None:
    application = create_app({"database": ":memory:", "request_log_batch_ms": 600_000})
    sandbox = application.extensions[EXTENSION_KEY]
    try:
        assert not sandbox.request_log.batched
        SignedClient(application.test_client(), sandbox).post(
            STATUS, {"redeem_code": "X", "sequence": 1}, as_=LP
        )
        with sandbox.store.read() as tx:
            assert tx.scalar("SELECT COUNT(*) FROM request_log") == 1
    finally:
        sandbox.close()


def test_a_pinned_clock_reads_the_offset_once(file_store: SqliteStore) -> None:
    clock, other_worker = Clock(file_store), Clock(file_store)
    with clock.pinned():
        first = clock.offset_seconds()
        other_worker.advance(3600)
        assert clock.offset_seconds() == first  # one request sees one time
        clock.advance(60)  # its own moves are seen at once
        assert clock.offset_seconds() == pytest.approx(first + 3600 + 60)
    assert clock.offset_seconds() == pytest.approx(first + 3660)


def _worker(database: str, board: LogBoard, ready: Any, paths: list[str]) -> None:
    """Another worker process: queue ``paths`` with a long interval, so only its writer thread writes them."""
    store = SqliteStore(database)
    log = RequestLog(store, batch_seconds=0.4)
    log.share(board)
    for path in paths:
        log.record(_row(path))
    ready.set()
    time.sleep(1.5)  # the writer thread flushes after 0.4 s; then the process lingers
    log.close()
    store.close()


def test_settle_waits_for_the_rows_another_worker_has_queued(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    database = str(tmp_path / "shared.sqlite3")
    store = SqliteStore(database)
    board = LogBoard(slots=4)
    ready = context.Event()
    other = context.Process(target=_worker, args=(database, board, ready, ["/other-1", "/other-2"]))
    other.start()
    try:
        assert ready.wait(30)
        mine = RequestLog(store, batch_seconds=0.4)
        mine.share(board)
        mine.record(_row("/mine"))
        assert sorted(_paths(store)) == []  # both still queued, each in its own process

        mine.settle()

        assert sorted(_paths(store)) == ["/mine", "/other-1", "/other-2"]
    finally:
        other.join(30)
        store.close()
    assert other.exitcode == 0


def test_settle_does_not_wait_for_a_worker_that_died(tmp_path: Path) -> None:
    board = LogBoard(slots=1)
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_claim_and_queue, args=(board,))
    child.start()
    child.join(30)
    store = SqliteStore(str(tmp_path / "dead.sqlite3"))
    log = RequestLog(store, batch_seconds=0.05)
    log.share(board)
    started = time.monotonic()
    log.settle()
    assert (
        time.monotonic() - started < 0.5
    )  # its slot says "1 queued, 0 written", but nobody is left to write
    assert board.claim() == 0  # and the dead worker's only slot is free again
    store.close()


def _claim_and_queue(board: LogBoard) -> None:
    slot = board.claim()
    assert slot is not None
    board.queued(slot, 1)
