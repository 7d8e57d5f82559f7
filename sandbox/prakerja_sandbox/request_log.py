"""The request log's writer: one row per partner-facing request, written without slowing the request down.

With an in-memory database every row is written at once, in its own transaction. With a file database rows
are queued in the worker process and written together, in one transaction, at most ``batch_seconds`` later
(sooner when ``max_batch`` rows wait): a separate write transaction per request took the sandbox's write lock
as often as every purchase did, and cost more than the request itself.

What a partner sees stays the same: every control call that reads the log (``/_sandbox/requests``,
``/_sandbox/coverage``, the dashboard, ``/_sandbox/reset``) writes the queue of its own process first, so they
show every earlier request the process answered. With
several worker processes, another worker's rows appear within ``batch_seconds``. The queue is written when
the worker stops (gunicorn's ``worker_exit`` and interpreter exit); a worker killed with ``SIGKILL`` loses
at most the last ``batch_seconds`` of log rows, never any state: purchases, seats and attendance are
committed by the request itself, before it answers.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import weakref
from collections.abc import Sequence
from typing import Any

from prakerja_sandbox.storage.base import Store

__all__ = ["COLUMNS", "RequestLog"]

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
)
_INSERT = f"INSERT INTO request_log ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
_log = logging.getLogger("prakerja_sandbox")


def _flush_at_exit(reference: weakref.ReferenceType[RequestLog]) -> None:
    log = reference()
    if log is not None:
        log.close()


class RequestLog:
    """Writes request-log rows to ``store``, at once (``batch_seconds`` 0) or in batches."""

    def __init__(self, store: Store, *, batch_seconds: float, max_batch: int = 500) -> None:
        self._store = store
        self._batch_seconds = batch_seconds
        self._max_batch = max_batch
        self._pending: list[Sequence[Any]] = []
        self._lock = threading.Lock()  # guards _pending and the writer thread's start
        self._flush_lock = threading.Lock()  # one flush at a time keeps rows in arrival order
        self._wake = threading.Event()
        self._stopped = False
        self._writer: threading.Thread | None = None
        self._writer_pid: int | None = None
        if batch_seconds > 0:
            atexit.register(_flush_at_exit, weakref.ref(self))

    @property
    def batched(self) -> bool:
        """Whether rows wait in a queue before they are written."""
        return self._batch_seconds > 0

    def record(self, row: Sequence[Any]) -> None:
        """Log one request (values in :data:`COLUMNS` order)."""
        if not self.batched or self._stopped:
            with self._store.transaction() as tx:
                tx.execute(_INSERT, row)
            return
        with self._lock:
            self._pending.append(row)
            waiting = len(self._pending)
            self._ensure_writer()
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
                        for row in rows:
                            tx.execute(_INSERT, row)
                except Exception:
                    with self._lock:  # keep them for the next attempt, in order
                        self._pending[:0] = rows
                    raise
            return len(rows)

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
