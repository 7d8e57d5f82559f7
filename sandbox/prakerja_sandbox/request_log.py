"""The request log's writer: one row per partner-facing request, written without slowing the request down.

With an in-memory database every row is written at once, in its own transaction. With a file database rows
are queued in the worker process and written together, in one transaction, at most ``batch_seconds`` later
(sooner when ``max_batch`` rows wait): a separate write transaction per request took the sandbox's write lock
as often as every purchase did, and cost more than the request itself.

What a partner sees stays the same: every control call that reads the log (``/_sandbox/requests``,
``/_sandbox/coverage``, the dashboard, ``/_sandbox/reset``) calls :meth:`RequestLog.settle` first, which writes
its own process's queue and, when the server shares a :class:`LogBoard` with its workers, waits until every
other live worker has written the rows it had queued at that moment (at most about ``batch_seconds``). So a
test that reads the log right after a call sees that call, whichever worker answered it. The queue is
written when the worker stops (gunicorn's ``worker_exit`` and interpreter exit); a worker killed with
``SIGKILL`` loses at most the last ``batch_seconds`` of log rows, never any state: purchases, seats and
attendance are committed by the request itself, before it answers.

The log is bounded: it keeps about ``max_rows`` rows (``request_log_max_rows``, ``--request-log-rows``;
100,000 by default, some 110 MB), dropping the oldest first. Rows are dropped in steps of about 1% of the
bound, so the log holds between ``max_rows`` and ``1.01 * max_rows`` rows; each write checks the bound with
two index look-ups.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Sequence
from typing import Any

from prakerja_sandbox.storage.base import Store, Tx

__all__ = ["COLUMNS", "LogBoard", "RequestLog"]

#: The columns of one row, in the order :meth:`RequestLog.record` takes them.
COLUMNS = (
    "at",
    "method",
    "path",
    "query",
    "operation_id",
    "client_code",
    "partner_code",
    "status",
    "error_code",
    "signature_variant",
    "request_headers",
    "request_body",
    "response_body",
    "debug",
    "duration_ms",
    "warnings",
    "request_id",
)
_MARKS = f"({', '.join('?' for _ in COLUMNS)})"
_INSERT = f"INSERT INTO request_log ({', '.join(COLUMNS)}) VALUES {_MARKS}"
# A batch goes in as INSERTs of up to this many rows (850 parameters, under SQLite's oldest limit of 999): the
# log's totals (storage migration 0006) are then updated once per statement on PostgreSQL, not once per row.
_ROWS_PER_INSERT = 50
# two subqueries, each answered from the primary key's b-tree (one SELECT with both MIN and MAX scans the table)
_BOUNDS = "SELECT (SELECT MIN(id) FROM request_log) AS first, (SELECT MAX(id) FROM request_log) AS last"
_log = logging.getLogger("prakerja_sandbox")


def _unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database is unavailable (try again later), not that a row is unfit.

    Both drivers follow DB-API 2: ``OperationalError`` covers a lost connection, a locked database and a
    full disk; ``DataError``, ``IntegrityError`` and errors outside the driver concern the values themselves.
    """
    return any(cls.__name__ == "OperationalError" for cls in type(error).__mro__)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one owned by another user counts: waiting on it is bounded anyway)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LogBoard:
    """Shared memory made by the server before it forks its workers: per worker, rows queued and rows written.

    Each worker claims a slot (its pid) and counts there; a reader compares the counts to know when the rows
    every other worker had queued are in the database. Each slot has one writing process, and its counters
    are aligned 64-bit words, so they are read and written whole.
    """

    def __init__(self, slots: int) -> None:
        self._lock = multiprocessing.Lock()
        self._pids = multiprocessing.RawArray("q", slots)
        self._queued = multiprocessing.RawArray("q", slots)
        self._written = multiprocessing.RawArray("q", slots)

    def claim(self) -> int | None:
        """A free slot for this process (one whose worker is gone), or ``None`` when all are taken."""
        pid = os.getpid()
        with self._lock:
            for slot, owner in enumerate(self._pids):
                if owner == pid or owner == 0 or not _alive(owner):
                    self._pids[slot] = pid
                    self._queued[slot] = 0
                    self._written[slot] = 0
                    return slot
        return None

    def queued(self, slot: int, rows: int) -> None:
        """``rows`` more rows wait in ``slot``'s queue."""
        self._queued[slot] += rows

    def written(self, slot: int, rows: int) -> None:
        """``rows`` more rows of ``slot``'s queue are in the database."""
        self._written[slot] += rows

    def wait_for_others(self, *, timeout: float, poll: float = 0.005) -> bool:
        """Wait until every other live worker wrote what it had queued now; ``False`` after ``timeout``."""
        me = os.getpid()
        targets = [
            (slot, pid, self._queued[slot]) for slot, pid in enumerate(self._pids) if pid not in (0, me)
        ]
        deadline = time.monotonic() + timeout
        while True:
            targets = [
                (slot, pid, queued)
                for slot, pid, queued in targets
                if self._pids[slot] == pid and self._written[slot] < queued and _alive(pid)
            ]
            if not targets:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll)


def _flush_at_exit(reference: weakref.ReferenceType[RequestLog]) -> None:
    log = reference()
    if log is not None:
        log.close()


class RequestLog:
    """Writes request-log rows to ``store``, at once (``batch_seconds`` 0) or in batches."""

    def __init__(
        self, store: Store, *, batch_seconds: float, max_batch: int = 500, max_rows: int = 0
    ) -> None:
        self._store = store
        self._max_rows = max_rows
        self._batch_seconds = batch_seconds
        self._max_batch = max_batch
        self._pending: list[Sequence[Any]] = []
        #: rows dropped because the store could not hold them (each is logged at ERROR)
        self.dropped = 0
        self._lock = threading.Lock()  # guards _pending and the writer thread's start
        self._flush_lock = threading.Lock()  # one flush at a time keeps rows in arrival order
        self._wake = threading.Event()
        self._stopped = False
        self._writer: threading.Thread | None = None
        self._writer_pid: int | None = None
        self._board: LogBoard | None = None
        self._slot: int | None = None
        if batch_seconds > 0:
            atexit.register(_flush_at_exit, weakref.ref(self))

    def share(self, board: LogBoard) -> None:
        """Count this process's queue on ``board``, so :meth:`settle` in any worker can wait for it."""
        self._board = board

    @property
    def batched(self) -> bool:
        """Whether rows wait in a queue before they are written."""
        return self._batch_seconds > 0

    def record(self, row: Sequence[Any]) -> None:
        """Log one request (values in :data:`COLUMNS` order)."""
        if not self.batched or self._stopped:
            with self._store.transaction() as tx:
                tx.execute(_INSERT, row)
                self._bound(tx)
            return
        with self._lock:
            self._ensure_writer()
            self._pending.append(row)
            waiting = len(self._pending)
            if self._board is not None and self._slot is not None:
                self._board.queued(self._slot, 1)
        if waiting >= self._max_batch:
            self._wake.set()

    def flush(self) -> int:
        """Write every queued row now, in one transaction; returns how many were written."""
        with self._flush_lock:
            with self._lock:
                rows, self._pending = self._pending, []
            if rows:
                try:
                    with self._store.transaction() as tx:
                        for start in range(0, len(rows), _ROWS_PER_INSERT):
                            chunk = rows[start : start + _ROWS_PER_INSERT]
                            statement = _INSERT + f", {_MARKS}" * (len(chunk) - 1)
                            tx.execute(statement, [value for row in chunk for value in row])
                        self._bound(tx)
                except Exception as failed:
                    if _unavailable(failed):
                        self._requeue(rows)
                        raise
                    self._write_each(rows)  # a row the store cannot take must not hold back the others
                self._written(len(rows))
            return len(rows)

    def _written(self, count: int) -> None:
        if self._board is not None and self._slot is not None and count:
            self._board.written(self._slot, count)

    def _requeue(self, rows: list[Sequence[Any]]) -> None:
        with self._lock:  # keep them for the next attempt, in order
            self._pending[:0] = rows

    def _write_each(self, rows: list[Sequence[Any]]) -> None:
        """Write ``rows`` one per transaction, dropping (and logging) each row the store refuses as such."""
        for index, row in enumerate(rows):
            try:
                with self._store.transaction() as tx:
                    tx.execute(_INSERT, row)
                    self._bound(tx)
            except Exception as failed:
                if _unavailable(failed):
                    self._requeue(rows[index:])
                    self._written(index)  # written or dropped already
                    raise
                self.dropped += 1
                _log.error(
                    "dropped a request-log row the store cannot hold (%s %s, request id %s): %s: %s",
                    row[1],
                    row[2],
                    row[-1],
                    type(failed).__name__,
                    failed,
                )

    def _bound(self, tx: Tx) -> None:
        """Drop the oldest rows when the log holds more than ``max_rows`` plus a step (ids are consecutive)."""
        if not self._max_rows:
            return
        bounds = tx.one(_BOUNDS)
        if bounds is None or bounds["last"] is None:
            return
        step = max(1, self._max_rows // 100)
        if bounds["last"] - bounds["first"] + 1 > self._max_rows + step:
            tx.execute("DELETE FROM request_log WHERE id <= ?", (bounds["last"] - self._max_rows,))

    def settle(self) -> None:
        """Write this process's queue, then wait for the rows the other workers had queued.

        Afterwards the log holds every request answered before the call. The wait is about one batch
        interval at most; after ``max(1 s, 20 intervals)`` it gives up with a warning.
        """
        self.flush()
        if self._board is None or not self.batched:
            return
        if not self._board.wait_for_others(timeout=max(1.0, 20 * self._batch_seconds)):
            _log.warning("another worker has not written its request log yet; its newest rows may be missing")

    def close(self) -> None:
        """Stop the writer thread and write what is queued (later rows are written at once)."""
        self._stopped = True
        self._wake.set()
        writer = self._writer
        if writer is not None and writer.is_alive() and writer is not threading.current_thread():
            writer.join(timeout=5)
        try:
            self.flush()
        except Exception:
            _log.exception("could not write %d queued request-log rows", len(self._pending))

    def _ensure_writer(self) -> None:
        # A forked worker inherits the object but not the thread: start one per process.
        pid = os.getpid()
        if self._writer is not None and self._writer_pid == pid and self._writer.is_alive():
            return
        self._writer_pid = pid
        if self._board is not None:
            self._slot = self._board.claim()
        self._writer = threading.Thread(target=self._run, name="prakerja-sandbox-request-log", daemon=True)
        self._writer.start()

    def _run(self) -> None:
        while not self._stopped:
            self._wake.wait(self._batch_seconds)
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                _log.exception("could not write the request log; the rows stay queued")
