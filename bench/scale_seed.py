"""Seed a sandbox database with synthetic participants and redeem codes, drawing a progress bar.

Run as its own process by the scale benchmark, so its time and peak memory are its own::

    python -m bench.scale_seed DATABASE PARTICIPANTS REDEEM_CODES

It prints one JSON line: ``{"seconds": ..., "participants": ..., "redeem_codes": ..., "peak_rss_bytes": ...}``.
Seeding uses the sandbox's own ``seed_synthetic``; the bar follows its progress reports.
"""

from __future__ import annotations

import inspect
import json
import logging
import resource
import sys
import time
from typing import Any, TextIO

from prakerja_sandbox import create_app
from prakerja_sandbox.context import EXTENSION_KEY
from prakerja_sandbox.control.synthetic import seed_synthetic

__all__ = ["ProgressBar", "main"]

_WIDTH = 30


class ProgressBar:
    """A one-line text bar per stage (``participants``, ``redeem codes``), redrawn in place.

    Called for every chunk of rows, it redraws at most every ``interval`` seconds (and at each stage's end), so the
    bar costs the seed nothing measurable.
    """

    def __init__(self, stream: TextIO, *, interval: float = 0.2) -> None:
        self._stream = stream
        self._interval = interval
        self._started = time.monotonic()
        self._drawn = 0.0
        self._stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self._stage and done < total and now - self._drawn < self._interval:
            return
        self._drawn = now
        if stage != self._stage and self._stage is not None:
            self._stream.write("\n")
        self._stage = stage
        share = done / total if total else 1.0
        filled = round(share * _WIDTH)
        bar = "#" * filled + "-" * (_WIDTH - filled)
        elapsed = now - self._started
        self._stream.write(f"\r  {stage:<13} [{bar}] {done:>9,}/{total:,} {share:4.0%} {elapsed:6.1f} s")
        self._stream.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self._stage is not None:
            self._stream.write("\n")
            self._stream.flush()


class _LogProgress(logging.Handler):
    """Feeds ``synthetic seed: <stage> <done>/<total>`` log records to a bar."""

    def __init__(self, bar: ProgressBar) -> None:
        super().__init__(logging.INFO)
        self._bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        arguments: Any = record.args
        if record.msg.startswith("synthetic seed") and isinstance(arguments, tuple) and len(arguments) == 3:
            self._bar(str(arguments[0]), int(arguments[1]), int(arguments[2]))


def main(argv: list[str] | None = None) -> int:
    """Seed and print the JSON line; returns the exit status."""
    database, participants, redeem_codes = (argv if argv is not None else sys.argv[1:])[:3]
    app = create_app({"database": database})
    sandbox = app.extensions[EXTENSION_KEY]
    bar = ProgressBar(sys.stderr)
    started = time.perf_counter()
    seed: Any = seed_synthetic  # newer versions take a progress callback
    if "progress" in inspect.signature(seed_synthetic).parameters:
        result = seed(
            sandbox, participants=int(participants), redeem_codes=int(redeem_codes), seed=1, progress=bar
        )
    else:
        logger = logging.getLogger("prakerja_sandbox.control")
        handler = _LogProgress(bar)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            result = seed_synthetic(
                sandbox, participants=int(participants), redeem_codes=int(redeem_codes), seed=1
            )
        finally:
            logger.removeHandler(handler)
    seconds = time.perf_counter() - started
    bar.close()
    sandbox.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    line = {"seconds": seconds, "participants": result.participants, "redeem_codes": result.redeem_codes,
            "peak_rss_bytes": peak}  # fmt: skip
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
