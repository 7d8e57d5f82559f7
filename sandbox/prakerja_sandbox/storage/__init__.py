"""Sandbox state storage: the :class:`Store` interface and its SQLite implementation."""

from __future__ import annotations

from prakerja_sandbox.storage.base import Params, Row, Store, Tx
from prakerja_sandbox.storage.sqlite import SqliteStore

__all__ = ["Params", "Row", "SqliteStore", "Store", "Tx"]
