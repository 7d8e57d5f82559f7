from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prakerja-sandbox exited early:\n{log.read_text(errors='replace')}")
        try:
            httpx.get(url + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"prakerja-sandbox did not answer on {url}:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A sandbox served by ``prakerja-sandbox`` on a free port, exactly as a partner runs it."""
    folder = tmp_path_factory.mktemp("served-sandbox")
    port = free_port()
    log = folder / "sandbox.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(BIN / "prakerja-sandbox"),
                "--port",
                str(port),
                "--database",
                str(folder / "sandbox.sqlite3"),
                "--no-access-log",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def offline_env() -> dict[str, str]:
    """The environment of samples that need no sandbox: the project's commands first on PATH, no credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRAKERJA_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture
def sample_env(offline_env: dict[str, str], sandbox_url: str) -> dict[str, str]:
    """The environment the documentation's programs run in: the served sandbox, no partner credentials."""
    return {**offline_env, "PRAKERJA_BASE_URL": sandbox_url}
