"""The sandbox as partners run it: ``python -m prakerja_sandbox`` (gunicorn, worker processes) on a file.

:class:`ServedSandbox` starts the real command on a free port of 127.0.0.1, waits for its banner, and stops it
by process id (``SIGTERM``), or kills it and its workers at once (``SIGKILL``) for crash tests.
:class:`Partner` signs requests the way partner code does, over the exact bytes it sends.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import httpx
import yaml

from prakerja.contract import contract_dir
from prakerja.signing import sign

__all__ = ["Partner", "ServedSandbox", "partner"]

_LISTENING = re.compile(r"Listening on (http://127\.0\.0\.1:[0-9]+)")


@attrs.frozen
class Partner:
    """A seeded partner's credentials, and signed request headers over exact body bytes."""

    client_code: str
    sign_key: str

    def headers(
        self, path: str, body: bytes, *, method: str = "POST", timestamp: int | None = None
    ) -> dict[str, str]:
        """``client_code``, ``timestamp`` and ``signature`` (integration convention) plus the content type."""
        moment = int(time.time()) if timestamp is None else timestamp
        signature = sign(
            sign_key=self.sign_key,
            client_code=self.client_code,
            timestamp=moment,
            method=method,
            path=path,
            body=body,
        )
        return {
            "Content-Type": "application/json",
            "client_code": self.client_code,
            "timestamp": str(moment),
            "signature": signature,
        }


def partner(code: str) -> Partner:
    """The seeded partner ``code`` (``tokopedia``, ``lp-cipta-kreasi-nusantara``, ...) from partners.yaml."""
    with (contract_dir() / "partners.yaml").open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    for group in ("digital_platforms", "training_institutions"):
        for entry in document[group]:
            if entry["code"] == code:
                return Partner(client_code=str(entry["client_code"]), sign_key=str(entry["sign_key"]))
    raise LookupError(code)


def compact(body: Mapping[str, Any]) -> bytes:
    """Compact JSON bytes (what is sent is what is signed)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


class ServedSandbox:
    """One ``prakerja-sandbox`` process (and its workers) on ``database``."""

    def __init__(self, database: Path, *, workers: int = 2, options: Sequence[str] = ()) -> None:
        self.database = database
        self.log_path = database.with_suffix(f".{time.monotonic_ns()}.log")
        command = [
            sys.executable, "-m", "prakerja_sandbox", "--host", "127.0.0.1", "--port", "0",
            "--workers", str(workers), "--database", str(database), "--log-level", "info", *options,
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.base_url = self._wait_for_banner(timeout=120)
        self.http = httpx.Client(base_url=self.base_url, timeout=60)
        self._wait_for_workers(workers, timeout=120)

    def _wait_for_banner(self, *, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {self.process.returncode}:\n{self.output()}")
            match = _LISTENING.search(self.output())
            if match is not None:
                return match.group(1)
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"no banner after {timeout} s:\n{self.output()}")

    def _wait_for_workers(self, workers: int, *, timeout: float) -> None:
        """Wait until every worker logged its boot and the server answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            booted = self.output().count("Booting worker")
            if booted >= workers:
                with contextlib.suppress(httpx.HTTPError):
                    self.http.get("/_sandbox/clock")
                    return
            time.sleep(0.1)
        raise RuntimeError(f"workers not up after {timeout} s:\n{self.output()}")

    @property
    def port(self) -> int:
        """The port it listens on (127.0.0.1)."""
        return int(self.base_url.rsplit(":", 1)[1])

    def output(self) -> str:
        """Everything the server printed so far (banner, logs, errors)."""
        return self.log_path.read_text(errors="replace")

    def post(self, path: str, body: Mapping[str, Any], as_: Partner, **headers: str) -> httpx.Response:
        """A signed POST of ``body`` as compact JSON."""
        content = compact(body)
        return self.http.post(path, content=content, headers={**as_.headers(path, content), **headers})

    def _tree(self) -> list[int]:
        pids = [self.process.pid]
        for pid in pids:
            children = Path(f"/proc/{pid}/task/{pid}/children")
            with contextlib.suppress(OSError):
                pids.extend(int(child) for child in children.read_text().split())
        return pids

    def stop(self) -> int:
        """Stop gracefully (``SIGTERM``); returns the exit status."""
        self.http.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode

    def kill(self) -> None:
        """``SIGKILL`` the master and every worker at the same moment: a crash, no clean-up at all."""
        for pid in self._tree():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(30)
        self.http.close()
