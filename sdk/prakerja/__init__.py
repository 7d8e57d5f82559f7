"""Kartu Prakerja partner SDK."""

from __future__ import annotations

from prakerja.contract import Contract, load_contract
from prakerja.signing import compact_json, raw_string, sign, verify

__all__ = [
    "Contract",
    "compact_json",
    "load_contract",
    "raw_string",
    "sign",
    "verify",
]

__version__ = "0.1.0"
