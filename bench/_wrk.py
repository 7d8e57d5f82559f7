"""Driving a server with wrk (Debian package ``wrk``), with requests signed as a partner would sign them.

wrk's Lua has no HMAC, and computing one per request in the generator would make it the bottleneck, so each
script is static: one timestamp and its signature, computed in Python right before the run that uses it. The
sandbox checks that real signature on every request under its default +-300 s window (no widened clock skew);
every run is far shorter than the window, and each run gets a freshly signed script.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import attrs

from bench._partners import Credentials, signed_headers

__all__ = ["WrkRun", "run_wrk", "signed_script", "wrk_path"]

_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\\nWRK-JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"non_2xx":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@attrs.frozen
class WrkRun:
    """What one wrk run measured."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        """Completed requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_path() -> str | None:
    """Where wrk is installed, if it is."""
    return shutil.which("wrk")


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def signed_script(partner: Credentials, path: str, body: bytes) -> str:
    """A wrk script POSTing ``body`` to ``path``, signed once now (valid for the +-300 s window)."""
    headers = signed_headers(partner, path, body, timestamp=int(time.time()))
    return "\n".join(
        [
            "wrk.method = 'POST'",
            f"wrk.path = {_lua_string(path)}",
            f"wrk.body = {_lua_string(body.decode())}",
            "wrk.headers['Content-Type'] = 'application/json'",
            f"wrk.headers['client_code'] = {_lua_string(partner.client_code)}",
            f"wrk.headers['timestamp'] = {_lua_string(headers['timestamp'])}",
            f"wrk.headers['signature'] = {_lua_string(headers['signature'])}",
            _REPORT,
        ]
    )


def run_wrk(
    base_url: str, script: Path, *, connections: int, duration_seconds: int, threads: int = 1
) -> WrkRun:
    """Run wrk against ``base_url`` with keep-alive ``connections`` for ``duration_seconds``."""
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    completed = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration_seconds}s", "--timeout", "10s", "-s", str(script),
         base_url],
        capture_output=True,
        text=True,
        timeout=duration_seconds + 60,
        check=True,
    )  # fmt: skip
    for line in completed.stdout.splitlines():
        if line.startswith("WRK-JSON "):
            data = json.loads(line.removeprefix("WRK-JSON "))
            return WrkRun(
                requests=int(data["requests"]),
                seconds=int(data["duration_us"]) / 1e6,
                p50_ms=int(data["p50_us"]) / 1000,
                p99_ms=int(data["p99_us"]) / 1000,
                non_2xx=int(data["non_2xx"]),
                socket_errors=int(data["socket_errors"]),
            )
    raise RuntimeError(f"wrk printed no report:\n{completed.stdout}\n{completed.stderr}")
