"""Profile a sandbox worker under the read benchmark's load: a py-spy flame graph and its hottest functions.

    .venv/bin/pip install py-spy          # not a project dependency; it attaches to a running process
    .venv/bin/python -m bench.profile_read docs/profiles/read-after

serves the sandbox with one worker, drives it with the read benchmark's wrk request (static, signed) and
samples the worker with py-spy for ``--seconds`` (``--gil``: only the thread running Python, so the
profile shows where the CPU goes, not where threads wait). Writes ``<out>.svg`` (the flame graph) and ``<out>.txt``
(the share of samples per function, own time and total time, hottest first).
"""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from bench._partners import compact, credentials
from bench._procs import running, start_sandbox
from bench._wrk import run_wrk, signed_script
from bench.read_throughput import CONNECTIONS, PARTNER, PATH, REDEEM_CODE

__all__ = ["main", "summarise"]

_LINE = re.compile(r":[0-9]+\)$")


def summarise(collapsed: str, *, top: int = 25) -> str:
    """The hottest functions of py-spy's collapsed stacks (``frame;frame;frame count`` lines)."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        samples += count
        frames = [_LINE.sub(")", frame) for frame in stack.split(";")]  # a function, not one of its lines
        own[frames[-1]] += count
        for frame in set(frames):
            total[frame] += count
    lines = [f"{samples} samples", "", "own %  total %  function"]
    for frame, count in own.most_common(top):
        lines.append(f"{100 * count / samples:5.1f}  {100 * total[frame] / samples:7.1f}  {frame}")
    lines += ["", "total %  function (inclusive, hottest first)"]
    for frame, count in total.most_common(top):
        lines.append(f"{100 * count / samples:7.1f}  {frame}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Serve, load, sample; write the flame graph and the summary."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_read", description=__doc__)
    parser.add_argument("out", type=Path, help="output path without suffix (writes .svg and .txt)")
    parser.add_argument("--seconds", type=int, default=20, help="how long to sample (default: %(default)s)")
    options = parser.parse_args(argv)
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    body = compact({"redeem_code": REDEEM_CODE})
    options.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="prakerja-profile-") as temporary:
        workdir = Path(temporary)
        script = workdir / "read.lua"
        script.write_text(signed_script(credentials(PARTNER), PATH, body))
        with running(start_sandbox(workdir / "read.sqlite3", workers=1, log_dir=workdir)) as sandbox:
            run_wrk(sandbox.base_url, script, connections=CONNECTIONS, duration_seconds=2)  # warm up
            load = threading.Thread(
                target=run_wrk,
                args=(sandbox.base_url, script),
                kwargs={"connections": CONNECTIONS, "duration_seconds": options.seconds + 4},
            )
            load.start()
            worker = str(sandbox.worker_pids()[-1])
            for form, suffix in (("flamegraph", ".svg"), ("raw", ".collapsed")):
                seconds = str(options.seconds // 2)
                subprocess.run(
                    [py_spy, "record", "--pid", worker, "--duration", seconds, "--format", form,
                     "--output", str(workdir / f"profile{suffix}"), "--nonblocking", "--gil"],
                    check=True, capture_output=True,
                )  # fmt: skip
            load.join()
        shutil.copy(workdir / "profile.svg", options.out.with_suffix(".svg"))
        collapsed = (workdir / "profile.collapsed").read_text()
    options.out.with_suffix(".txt").write_text(summarise(collapsed))
    print(options.out.with_suffix(".txt").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
