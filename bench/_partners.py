"""Seeded partners' sandbox credentials and signed request headers, as a partner's own code would build them."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs
import yaml

from prakerja.contract import contract_dir
from prakerja.signing import sign

__all__ = ["Credentials", "compact", "credentials", "signed_headers"]


@attrs.frozen
class Credentials:
    """A seeded partner's ``client_code`` and ``sign_key`` (sandbox values from ``contracts/partners.yaml``)."""

    client_code: str
    sign_key: str


@cache
def _partners() -> dict[str, Credentials]:
    # the partners file alone, with libyaml when present: parsing the whole contract takes seconds
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (contract_dir() / "partners.yaml").open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=loader)
    found: dict[str, Credentials] = {}
    for group in ("digital_platforms", "training_institutions"):
        for partner in document.get(group, []):
            found[str(partner["code"])] = Credentials(str(partner["client_code"]), str(partner["sign_key"]))
    return found


def credentials(code: str) -> Credentials:
    """The credentials of the seeded partner ``code`` (e.g. ``tokopedia``, ``lp-cipta-kreasi-nusantara``)."""
    return _partners()[code]


def compact(body: Mapping[str, Any]) -> bytes:
    """``body`` as compact JSON bytes (what is sent is what is signed)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(
    partner: Credentials,
    path: str,
    body: bytes,
    *,
    method: str = "POST",
    timestamp: int | None = None,
    authorization: str | None = None,
) -> dict[str, str]:
    """The integration headers of a signed call (``client_code``, ``timestamp``, ``signature``)."""
    moment = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json",
        "client_code": partner.client_code,
        "timestamp": str(moment),
        "signature": sign(
            sign_key=partner.sign_key,
            client_code=partner.client_code,
            timestamp=moment,
            method=method,
            path=path,
            body=body,
        ),
    }
    if authorization is not None:
        headers["Authorization"] = authorization
    return headers
