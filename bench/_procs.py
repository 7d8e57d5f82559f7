"""Servers under test, each in its own process group on 127.0.0.1: start, wait until ready, measure, stop.

Every server is started by the benchmark itself and stopped by its process id (``SIGTERM``, then ``SIGKILL``
after a grace period); its output goes to a log file kept for the post-mortem.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import attrs

__all__ = [
    "Server",
    "cpu_seconds",
    "free_port",
    "http_ready",
    "peak_rss_bytes",
    "process_tree",
    "running",
    "start_process",
    "start_sandbox",
]

HOST = "127.0.0.1"
_LISTENING = re.compile(r"Listening on http://([0-9.]+):([0-9]+)")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def http_ready(port: int, *, path: str = "/", timeout: float = 1.0) -> bool:
    """Whether something on ``port`` answers an HTTP request with a status line."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as connection:
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode())
            return connection.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def process_tree(root: int) -> list[int]:
    """``root`` and every live descendant of it (from ``/proc``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields follow the last ")"
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
    tree = [root]
    for pid in tree:
        tree.extend(child for child, parent in parents.items() if parent == pid)
    return [pid for pid in tree if Path(f"/proc/{pid}").exists()]


def _status_kib(pid: int, field: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+([0-9]+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def cpu_seconds(pids: Sequence[int]) -> float:
    """User plus system CPU time used so far by ``pids`` (every thread of each), from ``/proc``."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_bytes(pids: Sequence[int]) -> int:
    """The largest peak resident set size (``VmHWM``) among ``pids``, in bytes."""
    return max((_status_kib(pid, "VmHWM") for pid in pids), default=0) * 1024


@attrs.define
class Server:
    """A server process (and its workers) listening on ``port``."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{HOST}:{self.port}"

    def pids(self) -> list[int]:
        """The server's process and its workers."""
        return process_tree(self.process.pid)

    def worker_pids(self) -> list[int]:
        """The worker processes (the server itself when it has none)."""
        tree = self.pids()
        return tree[1:] or tree

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's output."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, *, grace_seconds: float = 10.0) -> int | None:
        """Stop the server (``SIGTERM``, ``SIGKILL`` after ``grace_seconds``); returns its exit status."""
        if self.process.poll() is not None:
            return self.process.returncode
        tree = self.pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            for pid in tree:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            return self.process.wait(grace_seconds)

    def kill(self) -> None:
        """``SIGKILL`` the server and its workers at once, with no chance to clean up."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(10)


def _wait(server: Server, ready: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        if ready():
            return
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{server.name} not ready after {timeout:.0f} s:\n{server.log_tail()}")


def start_process(
    name: str,
    command: Sequence[str],
    *,
    port: int,
    log_dir: Path,
    ready_path: str = "/",
    timeout: float = 60.0,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Server:
    """Start ``command`` (which listens on ``port``) and wait until it answers HTTP."""
    log_path = log_dir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    server = Server(name=name, process=process, port=port, log_path=log_path)
    _wait(server, lambda: http_ready(port, path=ready_path), timeout)
    return server


def start_sandbox(
    database: Path | str,
    *,
    workers: int,
    log_dir: Path,
    name: str = "sandbox",
    options: Sequence[str] = (),
    timeout: float = 120.0,
) -> Server:
    """Serve the sandbox with its own command (gunicorn, ``workers`` processes) on a free port.

    Waits for the banner's ``Listening on`` line and for an HTTP answer; workers finish booting during the
    benchmark's warm-up.
    """
    log_path = log_dir / f"{name}.log"
    command = [
        sys.executable, "-m", "prakerja_sandbox", "--host", HOST, "--port", "0", "--workers", str(workers),
        "--database", str(database), "--no-access-log", "--log-level", "warning", *options,
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    server = Server(name=name, process=process, port=0, log_path=log_path)

    def listening() -> bool:
        match = _LISTENING.search(log_path.read_text(errors="replace"))
        if match is None:
            return False
        server.port = int(match.group(2))
        return http_ready(server.port, path="/_sandbox/health")

    _wait(server, listening, timeout)
    return server


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    """Stop ``server`` when the block ends, whatever happens in it."""
    try:
        yield server
    finally:
        server.stop()
