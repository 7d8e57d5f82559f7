"""The observations file: one JSON line per exchange the proxy saw, with its findings and redacted shapes.

A line looks like this (shortened)::

    {"at": "2026-12-06T04:10:02.118Z", "operation": "payments.status", "method": "POST", "status": 200,
     "code": null, "findings": [{"kind": "type", "where": "data.amount", "expected": "integer",
     "observed": "string", "text": "data.amount: string where the contract says integer", ...}],
     "request": {"headers": ["Content-Type", "client_code", "signature", "timestamp"], "bytes": 36,
                 "shape": {"invoice_code": "string(19)"}},
     "response": {"content_type": "application/json", "bytes": 190, "shape": {...}, "warnings": []},
     "server": "integration", "tls": "verified"}

``server`` is the Prakerja server whose upstream answered (``integration``, ``sso`` or ``oauth``); ``tls`` says
how the proxy reached it: ``verified`` (HTTPS, certificate verified), ``unverified`` (HTTPS with
``--insecure``: the answer may not have come from Prakerja) or ``none`` (plain HTTP, a local sandbox).

Nothing in it is a value the partner or a participant sent or received: see
:mod:`prakerja.contract_check.observations_shape`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from prakerja.contract_check.proxy_schema import Finding

__all__ = ["Observation", "ObservationWriter", "read_observations"]


@attrs.frozen
class Observation:
    """One exchange as the observations file records it."""

    at: str
    operation: str | None
    method: str
    path: str
    status: int | None
    code: str | None
    findings: tuple[Finding, ...]
    request: Mapping[str, Any]
    response: Mapping[str, Any] | None
    duration_ms: float | None = None
    server: str | None = None
    tls: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of one line."""
        return {
            "at": self.at,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "code": self.code,
            "duration_ms": self.duration_ms,
            "findings": [finding.to_dict() for finding in self.findings],
            "request": dict(self.request),
            "response": None if self.response is None else dict(self.response),
            "server": self.server,
            "tls": self.tls,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Observation:
        """An observation read back from its line."""
        return cls(
            at=str(raw["at"]),
            operation=raw.get("operation"),
            method=str(raw.get("method", "")),
            path=str(raw.get("path", "")),
            status=raw.get("status"),
            code=raw.get("code"),
            findings=tuple(Finding.from_dict(item) for item in raw.get("findings", ())),
            request=raw.get("request") or {},
            response=raw.get("response"),
            duration_ms=raw.get("duration_ms"),
            server=raw.get("server"),
            tls=raw.get("tls"),
        )


class ObservationWriter:
    """Appends observations to a JSON Lines file, one line per exchange, safe to share between threads.

    Each line is written and flushed whole, so a file read while the proxy runs holds only complete lines.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._handle: IO[str] | None = self.path.open("a", encoding="utf-8")
        self.count = 0

    def write(self, observation: Observation) -> None:
        """Append one line."""
        line = json.dumps(observation.to_dict(), ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            if self._handle is None:
                raise ValueError(f"the observations file {self.path} is closed")
            self._handle.write(line + "\n")
            self._handle.flush()
            self.count += 1

    def close(self) -> None:
        """Close the file (later writes raise)."""
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None


def read_observations(path: str | Path) -> Iterator[Observation]:
    """Every observation of a file, in order; a line that is not an observation raises ``ValueError``."""
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                yield Observation.from_dict(raw)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not an observation line ({exc})") from exc
