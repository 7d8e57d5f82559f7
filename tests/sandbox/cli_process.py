"""The ``prakerja-sandbox`` command in a subprocess, and a raw HTTP client for it (``http.client`` only).

Partners' code reaches the sandbox over a real socket through gunicorn, so these helpers deliberately avoid
the SDK and httpx: the bytes and header names sent are exactly the ones written here.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from prakerja.signing import sign

__all__ = ["RawResponse", "SandboxProcess", "raw_request", "running", "signed_headers"]

_LISTENING = re.compile(r"Listening on http://127\.0\.0\.1:([0-9]+)")


@attrs.frozen
class RawResponse:
    """Status, headers (lower-case names) and body of one answer."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


def raw_request(
    port: int, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
) -> RawResponse:
    """One request over a fresh connection; header names are sent exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body or method != "GET":
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return RawResponse(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=response.read(),
        )
    finally:
        connection.close()


def signed_headers(
    *, client_code: str, sign_key: str, path: str, signed_body: bytes, names: Sequence[str] = ("client_code",
    "signature", "timestamp")
) -> dict[str, str]:  # fmt: skip
    """``Content-Type`` plus the three signing headers under ``names`` (case as given), signed now."""
    timestamp = str(int(time.time()))
    signature = sign(
        sign_key=sign_key,
        client_code=client_code,
        timestamp=timestamp,
        method="POST",
        path=path,
        body=signed_body,
    )
    client, signature_name, timestamp_name = names
    return {
        "Content-Type": "application/json",
        client: client_code,
        signature_name: signature,
        timestamp_name: timestamp,
    }


class SandboxProcess:
    """``python -m prakerja_sandbox --port 0`` on ``database``; its port is read from the printed banner.

    ``database`` is a SQLite file (the log is written next to it) or a PostgreSQL URL (the log goes to
    ``log_dir``).
    """

    def __init__(
        self,
        database: Path | str,
        *,
        options: Sequence[str] = (),
        timeout: float = 60,
        log_dir: Path | None = None,
    ) -> None:
        stamp = time.monotonic_ns()
        if isinstance(database, Path):
            self.log_path = database.with_name(f"{database.name}.{stamp}.log")
        else:
            assert log_dir is not None, "a PostgreSQL URL needs a log_dir"
            self.log_path = log_dir / f"sandbox.{stamp}.log"
        command = [
            sys.executable,
            "-m",
            "prakerja_sandbox",
            "--port",
            "0",
            "--database",
            str(database),
            *options,
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self.port = self._wait_for_banner(timeout)
            self._wait_for_workers(_workers(options), timeout)
            self._wait_until_answering(timeout)
        except BaseException:
            self.kill()  # a server that never came up is not left running behind the failed test
            raise

    def output(self) -> str:
        """What the command printed so far."""
        return self.log_path.read_text(errors="replace")

    def _wait_for_banner(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {self.process.returncode}:\n{self.output()}")
            match = _LISTENING.search(self.output())
            if match is not None:
                return int(match.group(1))
            time.sleep(0.05)
        self.stop(signal.SIGKILL)
        raise RuntimeError(f"no banner within {timeout} s:\n{self.output()}")

    def _wait_for_workers(self, workers: int, timeout: float) -> None:
        """Wait until every worker has booted (its own log line).

        The banner is printed when the server listens, before the workers fork; on a loaded machine the first
        worker can answer many requests while the second is still starting, so a test that counts workers
        right after the banner sees one.
        """
        deadline = time.monotonic() + timeout
        while self.output().count("Booting worker") < workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{workers} worker(s) not booted within {timeout} s:\n{self.output()}")
            time.sleep(0.05)

    def _wait_until_answering(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if raw_request(self.port, "GET", "/_sandbox/health").status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the sandbox did not answer within {timeout} s:\n{self.output()}")

    def request(
        self, method: str, path: str, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> RawResponse:
        """A raw request to this sandbox."""
        return raw_request(self.port, method, path, body, headers)

    def kill(self) -> None:
        """``kill -9`` the command and its workers at once (its own process group), and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(15)

    def stop(self, sig: signal.Signals = signal.SIGINT, *, timeout: float = 15) -> int:
        """Send ``sig`` to the command (not its workers) and wait; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        return int(self.process.returncode)


def _workers(options: Sequence[str]) -> int:
    """The ``--workers`` count in command-line ``options`` (1 when absent)."""
    for at, option in enumerate(options):
        if option == "--workers":
            return int(options[at + 1])
        if option.startswith("--workers="):
            return int(option.split("=", 1)[1])
    return 1


@contextlib.contextmanager
def running(database: Path, *, options: Sequence[str] = ()) -> Iterator[SandboxProcess]:
    """A sandbox process for the duration of a ``with`` block (stopped with SIGINT)."""
    served = SandboxProcess(database, options=options)
    try:
        yield served
    finally:
        served.stop()
