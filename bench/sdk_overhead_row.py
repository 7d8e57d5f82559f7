"""Benchmark 4: the SDK's client-side overhead, from ``bench/sdk_overhead.py`` (run as its own process).

That script times a typed ``attendance.status`` call against a hand-written signed ``httpx`` call, both on
an in-memory transport, and prints a Markdown row; this module runs it and turns its row into the table's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bench._results import Result
from bench._settings import Settings

__all__ = ["NAME", "TARGET", "parse", "run"]

NAME = "4 SDK overhead"
TARGET = 1.25
SCRIPT = Path(__file__).resolve().parent / "sdk_overhead.py"
_ROW = re.compile(r"\|\s*([0-9.]+)\s*\|\s*([0-9.]+)\s*\|\s*([0-9.]+)x\s*\|")


def parse(output: str) -> tuple[float, float, float] | None:
    """(hand-written µs, SDK µs, ratio) from the script's Markdown row, if it printed one."""
    for line in output.splitlines():
        match = _ROW.search(line)
        if match is not None:
            manual, sdk, ratio = (float(group) for group in match.groups())
            return manual, sdk, ratio
    return None


def run(settings: Settings) -> list[Result]:
    """Run the SDK's own overhead benchmark and report its ratio."""
    if not SCRIPT.exists():
        return [Result(benchmark=NAME, metric="SDK / hand-written", measured="bench/sdk_overhead.py is missing",
                       target=f"<= {TARGET}x", met=None)]  # fmt: skip
    command = [sys.executable, str(SCRIPT), *(["--quick"] if settings.quick else [])]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, check=True)
    found = parse(completed.stdout)
    if found is None:
        raise RuntimeError(f"bench/sdk_overhead.py printed no result row:\n{completed.stdout[-500:]}")
    manual, sdk, ratio = found
    return [
        Result(
            benchmark=NAME,
            metric="SDK / hand-written call time",
            measured=f"{sdk:.1f} µs / {manual:.1f} µs = {ratio:.2f}x",
            target=f"<= {TARGET}x",
            met=ratio <= TARGET,
            note="typed attendance.status vs signed httpx.post on httpx.MockTransport (bench/sdk_overhead.py)",
        )
    ]
