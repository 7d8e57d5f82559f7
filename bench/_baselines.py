"""The read benchmark's baselines: Stoplight Prism mocking the contract, and a bare Flask endpoint.

Prism comes from npm into ``bench/.node/`` (git-ignored) the first time it is needed; when npm or the
registry is missing, :func:`prism_command` says why and the benchmark reports that instead of a number.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from prakerja.contract import contract_dir
from prakerja_sandbox.server import ServeOptions

__all__ = ["BARE_SERVERS", "PRISM_PACKAGE", "bare_command", "prism_command", "trivial_command"]

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
NODE_DIR = BENCH_DIR / ".node"
PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"


def _prism_binary() -> Path:
    return NODE_DIR / "node_modules" / ".bin" / "prism"


def prism_command(port: int) -> list[str] | str:
    """The command serving Prism's mock of ``contracts/openapi.yaml`` on ``port``, or why there is none."""
    binary = _prism_binary()
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            return "npm is not installed, so Prism cannot be"
        NODE_DIR.mkdir(exist_ok=True)
        try:
            subprocess.run(
                [npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--loglevel", "error",
                 PRISM_PACKAGE],
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )  # fmt: skip
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as failure:
            output = getattr(failure, "stderr", "") or ""
            return f"npm install {PRISM_PACKAGE} failed: {output.strip()[-200:] or failure}"
        if not binary.exists():
            return f"npm install {PRISM_PACKAGE} left no prism command"
    openapi = contract_dir() / "openapi.yaml"
    return [
        str(binary),
        "mock",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--verboseLevel",
        "warn",
        str(openapi),
    ]


#: The servers the bare endpoint is measured under: the sandbox's own, and the candidates it was chosen from.
BARE_SERVERS = {
    "sandbox": "gunicorn, the sandbox's gevent worker (as served by prakerja-sandbox)",
    "gthread": "gunicorn gthread, 8 threads a worker (the sandbox's server before)",
    "granian": "granian, WSGI",
}


def bare_command(port: int, *, workers: int, server: str = "sandbox") -> list[str]:
    """:mod:`bench.bare_app` on ``port`` under ``server`` (a key of :data:`BARE_SERVERS`)."""
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--http", "1", "--log-level", "warning", "--working-dir",
            str(REPO_ROOT), "bench.bare_app:app",
        ]  # fmt: skip
    options = ServeOptions(port=port, workers=workers)
    worker = (
        ["--worker-class", "gthread", "--threads", "8"]
        if server == "gthread"
        else ["--worker-class", "prakerja_sandbox.worker.SandboxWorker", "--worker-connections",
              str(options.connections)]
    )  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *worker,
        "--header-map", "dangerous", "--keep-alive", str(options.keepalive_seconds), "--log-level", "warning",
        "--chdir", str(REPO_ROOT), "bench.bare_app:app",
    ]  # fmt: skip


def trivial_command(port: int, *, workers: int) -> list[str]:
    """The calibration server: granian's native interface answering a constant (:mod:`bench.trivial_app`)."""
    return [
        sys.executable, "-m", "granian", "--interface", "rsgi", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--http", "1", "--log-level", "warning", "--working-dir", str(REPO_ROOT),
        "bench.trivial_app:app",
    ]  # fmt: skip
