"""Benchmark: how long ``import prakerja`` takes, against ``import httpx`` in the same run.

Two rows: ``import prakerja`` itself (public names load on first use), and ``from prakerja import
PrakerjaClient``, what a program pays before its first call (the client, its models and errors, httpx,
attrs). Each sample is a fresh interpreter that times one import with ``time.perf_counter`` (interpreter start-up
is not counted). The two imports alternate so load on the machine falls on both alike; the row reports
the medians and their ratio. httpx's optional command line (``httpx[cli]``: click, rich, pygments) is
hidden from both, as in a production install of ``pip install prakerja``, where it is absent; with it,
``import httpx`` alone would pull in those three and the baseline would be inflated.

    python -m bench.import_time [--samples N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence

from bench._results import Result
from bench._settings import Settings

__all__ = ["NAME", "TARGET", "import_seconds", "measure", "run"]

NAME = "import time"
TARGET = 1.2

# Runs in the child: refuse httpx's optional CLI packages, then time one import.
_PROGRAM = """
import sys, time
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"click", "rich", "pygments"}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, _Absent())
started = time.perf_counter()
%s
print(time.perf_counter() - started)
"""


#: What each measured statement is called in the table.
STATEMENTS = {
    "httpx": "import httpx",
    "prakerja": "import prakerja",
    "client": "from prakerja import PrakerjaClient",
}


def import_seconds(statement: str) -> float:
    """Seconds one fresh interpreter takes to run the import ``statement``."""
    completed = subprocess.run(
        [sys.executable, "-c", _PROGRAM % statement], capture_output=True, text=True, check=True, timeout=120
    )
    return float(completed.stdout.strip().splitlines()[-1])


def measure(samples: int) -> dict[str, float]:
    """Median seconds of each of :data:`STATEMENTS` over ``samples`` rounds (one of each per round)."""
    times: dict[str, list[float]] = {key: [] for key in STATEMENTS}
    for _ in range(samples):
        for key, statement in STATEMENTS.items():
            times[key].append(import_seconds(statement))
    return {key: statistics.median(values) for key, values in times.items()}


def _row(key: str, medians: dict[str, float], *, target: float | None, note: str) -> Result:
    ratio = medians[key] / medians["httpx"]
    return Result(
        benchmark=NAME,
        metric=f"{STATEMENTS[key]} / import httpx",
        measured=f"{medians[key] * 1000:.1f} ms / {medians['httpx'] * 1000:.1f} ms = {ratio:.2f}x",
        target="-" if target is None else f"<= {target}x",
        met=None if target is None else ratio <= target,
        note=note,
    )


def run(settings: Settings) -> list[Result]:
    """The import-time rows of the table."""
    medians = measure(settings.pick(31, 3))
    return [
        _row(
            "prakerja",
            medians,
            target=TARGET,
            note="medians of fresh interpreters, interleaved; httpx's optional CLI hidden (bench/import_time.py)",
        ),
        _row("client", medians, target=None, note="the client, its models and errors loaded (no target)"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time import prakerja against import httpx.")
    parser.add_argument("--samples", type=int, default=31)
    medians = measure(parser.parse_args(argv).samples)
    for key, statement in STATEMENTS.items():
        ratio = medians[key] / medians["httpx"]
        print(f"| {statement} | {medians[key] * 1000:.1f} ms | {ratio:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
