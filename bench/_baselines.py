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

__all__ = ["PRISM_PACKAGE", "bare_command", "prism_command"]

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


def bare_command(port: int, *, workers: int) -> list[str]:
    """gunicorn serving :mod:`bench.bare_app` with the sandbox's own worker settings."""
    options = ServeOptions(port=port, workers=workers)
    return [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(options.threads), "--header-map", "dangerous",
        "--log-level", "warning", "--chdir", str(REPO_ROOT), "bench.bare_app:app",
    ]  # fmt: skip
