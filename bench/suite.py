"""``bench/run``: every benchmark, one table.

    bench/run                 # the full suite (about 10 minutes on two cores)
    bench/run --quick         # every benchmark shortened: checks that they run (CI)
    bench/run --only read,write --markdown results.md

A missed target is reported, not failed: the exit status is 1 only when a benchmark could not run at all.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import (
    contract_checks,
    growth,
    import_time,
    in_process,
    read_throughput,
    scale,
    sdk_overhead_row,
    shared_database,
    write_path,
)
from bench._results import Result, markdown_table, text_table
from bench._settings import Settings

__all__ = ["BENCHMARKS", "main"]

Benchmark = Callable[[Settings], list[Result]]

#: Every benchmark by its ``--only`` name, in table order.
BENCHMARKS: dict[str, tuple[str, Benchmark]] = {
    "read": (read_throughput.NAME, read_throughput.run),
    "write": (write_path.NAME, write_path.run),
    "scale": (scale.NAME, scale.run),
    "sdk": (sdk_overhead_row.NAME, sdk_overhead_row.run),
    "contract": (contract_checks.NAME, contract_checks.run),
    "import": (import_time.NAME, import_time.run),
    "inprocess": (in_process.NAME, in_process.run),
    "growth": (growth.NAME, growth.run),
    "shared": (shared_database.NAME, shared_database.run),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/run", description="Run the benchmark suite and print one table."
    )
    parser.add_argument("--quick", action="store_true", help="shorten every benchmark (CI: checks they run)")
    parser.add_argument(
        "--only", metavar="NAMES", help=f"comma-separated subset of: {', '.join(BENCHMARKS)} (default: all)"
    )
    parser.add_argument(
        "--markdown", type=Path, metavar="PATH", help="also write the table and run facts as Markdown"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        metavar="DIR",
        help="keep databases and server logs here (default: a temporary dir)",
    )
    return parser


def _selected(only: str | None) -> list[str]:
    if not only:
        return list(BENCHMARKS)
    names = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(
            f"bench/run: unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}"
        )
    return names


def _load(values: Sequence[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def run_facts(
    argv: Sequence[str], started: float, started_at: str, load_at_start: Sequence[float]
) -> list[str]:
    """Date, machine, load and command of this run, for the report."""
    return [
        f"started: {started_at}",
        f"machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python {platform.python_version()}",
        f"load average (1, 5, 15 min) at start: {_load(load_at_start)}; at the end: {_load(os.getloadavg())}",
        f"command: bench/run {shlex.join(argv)}".rstrip(),
        f"duration: {time.monotonic() - started:.0f} s",
    ]


def _run_one(name: str, settings: Settings) -> tuple[list[Result], bool]:
    title, benchmark = BENCHMARKS[name]
    print(f"== {title}", file=sys.stderr, flush=True)
    try:
        return benchmark(settings), True
    except Exception as failure:
        traceback.print_exc()
        reason = (
            f"could not run: {type(failure).__name__}: {str(failure).splitlines()[0] if str(failure) else ''}"
        )
        return [Result(benchmark=title, metric="-", measured=reason[:200], target="-", met=None)], False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the selected benchmarks and print the table; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = _parser().parse_args(arguments)
    names = _selected(options.only)
    started = time.monotonic()
    started_at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="prakerja-bench-") as temporary:
        workdir = options.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        settings = Settings(workdir=workdir, quick=options.quick)
        results: list[Result] = []
        all_ran = True
        for name in names:
            rows, ran = _run_one(name, settings)
            results.extend(rows)
            all_ran = all_ran and ran
    facts = run_facts(arguments, started, started_at, load_at_start)
    print(text_table(results))
    for result in results:
        if result.note:
            print(f"  {result.benchmark} / {result.metric}: {result.note}")
    print("\n".join(facts))
    if options.markdown is not None:
        lines = [markdown_table(results), "", *(f"- {fact}" for fact in facts)]
        options.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if all_ran else 1
