"""Benchmark: how long ``import prakerja`` takes, against ``import httpx`` in the same run.

Three rows: ``import prakerja`` itself (public names load on first use); ``from prakerja import
PrakerjaClient``, what a program pays before it makes a client (the client, httpx, attrs; models, request
checks, error classes and the converter load on the first call that needs them); and that import plus
a client and its first typed call on ``httpx.MockTransport``, against ``import httpx`` plus the same call
written by hand, so that what is deferred is still counted somewhere. Each sample is a fresh interpreter
that times its statement with ``time.perf_counter`` (interpreter start-up is not counted). The statements
alternate so load on the machine falls on all alike; each row reports medians and their ratio.

Like for like, as in a partner's production install of ``pip install prakerja``:

* httpx's optional command line (``httpx[cli]``: click, rich, pygments) is hidden from every statement: it is
  absent there, and with it ``import httpx`` alone would pull in those three and inflate the baseline;
* every module is read from compiled bytecode, as pip compiles a wheel's modules when it installs it.
  The children write and read their bytecode under a cache directory of the run
  (``PYTHONPYCACHEPREFIX``), filled by one unmeasured round first, so httpx (whose ``.pyc`` files pip wrote)
  and the SDK (an editable checkout, often run with ``PYTHONDONTWRITEBYTECODE``) are treated alike: neither
  is compiled from source in a measured sample.

    python -m bench.import_time [--samples N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from bench._results import Result
from bench._settings import Settings

__all__ = ["NAME", "TARGET", "import_seconds", "measure", "run"]

NAME = "import time"
TARGET = 1.2

# Runs in the child: refuse httpx's optional CLI packages, then time one import.
_PROGRAM = """
import sys, time
class _Absent:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in {"click", "rich", "pygments"}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, _Absent())
started = time.perf_counter()
%s
print(time.perf_counter() - started)
"""


# The first call, both ways, on an in-memory transport answering one canned status.
_ANSWER = (
    '_body = b\'{"success":true,"message":"OK","data":{"redeem_code":"PRAT-TC1001",'
    '"course_code":"c1","invoice_code":"i1","schedule_code":"s1","status":1,'
    '"attendance_status":1,"redeem_at":"2023-10-24T10:54:45Z","dp_platform":"Tokopedia"}}\'\n'
    "_transport = httpx.MockTransport(lambda request: httpx.Response(200, content=_body))\n"
)
_SDK_FIRST_CALL = (
    "from prakerja import PrakerjaClient\nimport httpx\n"
    + _ANSWER
    + "with PrakerjaClient(client_code='SBX-LP-X', "
    "sign_key='k', base_url='http://127.0.0.1:5000', transport=_transport) as _client:\n"
    "    _client.attendance.status('PRAT-TC1001', sequence=1)"
)
_HAND_FIRST_CALL = (
    "import hashlib, hmac, json\nimport httpx\n"
    + _ANSWER
    + "with httpx.Client(transport=_transport) as _http:\n"
    "    _path = '/api/v1/integration/payment/redeem-code/status'\n"
    "    _data = json.dumps({'redeem_code': 'PRAT-TC1001', 'sequence': 1}, separators=(',', ':'))\n"
    "    _stamp = str(int(time.time()))\n"
    "    _sig = hmac.new(b'k', f'SBX-LP-X{_stamp}POST{_path}{_data}'.encode(), hashlib.sha1).hexdigest()\n"
    "    _headers = {'Content-Type': 'application/json', 'client_code': 'SBX-LP-X', 'timestamp': _stamp,"
    " 'signature': _sig}\n"
    "    _http.post('http://127.0.0.1:5000' + _path, content=_data, headers=_headers).json()['data']"
)

#: What each measured statement is called in the table, and the statement run.
STATEMENTS = {
    "httpx": "import httpx",
    "prakerja": "import prakerja",
    "client": "from prakerja import PrakerjaClient",
    "hand_call": _HAND_FIRST_CALL,
    "sdk_call": _SDK_FIRST_CALL,
}
LABELS = {
    "httpx": "import httpx",
    "prakerja": "import prakerja",
    "client": "from prakerja import PrakerjaClient",
    "hand_call": "import httpx + a hand-written first call",
    "sdk_call": "from prakerja import PrakerjaClient + a client's first call",
}


def child_environment(cache: Path) -> dict[str, str]:
    """The children's environment: bytecode written and read under ``cache``, for every module alike."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def import_seconds(statement: str, env: Mapping[str, str] | None = None) -> float:
    """Seconds one fresh interpreter takes to run ``statement``."""
    completed = subprocess.run(
        [sys.executable, "-c", _PROGRAM % statement],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=None if env is None else dict(env),
    )
    return float(completed.stdout.strip().splitlines()[-1])


def measure(samples: int) -> dict[str, float]:
    """Median seconds of each of :data:`STATEMENTS` over ``samples`` rounds (one of each per round).

    One unmeasured round first fills the run's bytecode cache.
    """
    times: dict[str, list[float]] = {key: [] for key in STATEMENTS}
    with tempfile.TemporaryDirectory(prefix="prakerja-bench-pycache-") as cache:
        env = child_environment(Path(cache))
        for statement in STATEMENTS.values():
            import_seconds(statement, env)
        for _ in range(samples):
            for key, statement in STATEMENTS.items():
                times[key].append(import_seconds(statement, env))
    return {key: statistics.median(values) for key, values in times.items()}


def _row(
    key: str, medians: dict[str, float], *, target: float | None, note: str, baseline: str = "httpx"
) -> Result:
    ratio = medians[key] / medians[baseline]
    return Result(
        benchmark=NAME,
        metric=f"{LABELS[key]} / {LABELS[baseline]}",
        measured=f"{medians[key] * 1000:.1f} ms / {medians[baseline] * 1000:.1f} ms = {ratio:.2f}x",
        target="-" if target is None else f"<= {target}x",
        met=None if target is None else ratio <= target,
        note=note,
    )


def run(settings: Settings) -> list[Result]:
    """The import-time rows of the table."""
    medians = measure(settings.pick(31, 3))
    return [
        _row(
            "prakerja",
            medians,
            target=TARGET,
            note="medians of fresh interpreters, interleaved; all from bytecode, httpx's optional CLI hidden "
            "(bench/import_time.py)",
        ),
        _row(
            "client",
            medians,
            target=TARGET,
            note="what a program pays before making a client; models, request checks and operations load when "
            "a client is made, error classes with the first refusal",
        ),
        _row(
            "sdk_call",
            medians,
            target=None,
            baseline="hand_call",
            note="the deferred modules counted: a client and one typed call vs the same call by hand, "
            "both on httpx.MockTransport",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time import prakerja against import httpx.")
    parser.add_argument("--samples", type=int, default=31)
    medians = measure(parser.parse_args(argv).samples)
    for key in STATEMENTS:
        baseline = "hand_call" if key == "sdk_call" else "httpx"
        ratio = medians[key] / medians[baseline]
        print(f"| {LABELS[key]} | {medians[key] * 1000:.1f} ms | {ratio:.2f}x {LABELS[baseline]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
