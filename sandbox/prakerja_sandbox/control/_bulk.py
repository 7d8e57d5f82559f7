"""Bulk writes and seeded draws for the synthetic seed (:mod:`prakerja_sandbox.control.synthetic`).

:class:`Batch` binds many rows a statement; :class:`Draws` makes every random value of a seed (numbers, codes,
invoices) from one ``random.Random``, many at a time; :func:`distinct` draws again until values are unique.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import attrs

from prakerja_sandbox.storage.base import Tx

__all__ = ["Batch", "Draws", "distinct"]

#: the alphabet of ``Ids.transaction_code`` and ``Ids.redeem_code``: upper-case letters and digits
_CODE_ALPHABET = string.ascii_uppercase + string.digits
_TRANSACTION_CODE_LENGTH = 16
_REDEEM_CODE_LENGTH = 12

#: bound values per statement (SQLite's smallest limit, before 3.32)
_MAX_VARIABLES = 999


@attrs.frozen
class Batch:
    """A statement on many rows of ``table`` (an insert: its unique ``key`` is each row's first value).

    Rows go in as ``head (...), (...), ... tail`` with up to 999 values a statement: the database driver's
    cost is mostly per statement run, so this binds rows about twice as fast as one statement per row.
    Inserts skip a row whose unique key is taken (``ON CONFLICT DO NOTHING``); any other violation raises.
    """

    table: str
    key: str
    head: str
    row: str
    tail: str = ""

    def run(self, tx: Tx, rows: Sequence[tuple[Any, ...]]) -> int:
        """Run the statement on ``rows``; the number of rows changed."""
        per = max(1, _MAX_VARIABLES // self.row.count("?"))
        changed = 0
        for start in range(0, len(rows), per):
            group = rows[start : start + per]
            sql = self.head + ", ".join([self.row] * len(group)) + self.tail
            changed += tx.execute(sql, tuple(chain.from_iterable(group)))
        return changed

    def rowids(self, tx: Tx, rows: Sequence[tuple[Any, ...]]) -> list[int]:
        """Insert ``rows`` (keys distinct); each row's rowid, 0 for a row left out as a unique key of it is taken.

        A new row gets a rowid above the table's largest, so the rows inserted are those above the largest before.
        """
        table, key = self.table, self.key
        before = int(tx.scalar(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}"))
        changed = self.run(tx, rows)
        if changed == len(rows) and tx.scalar(f"SELECT MAX(rowid) FROM {table}") == before + changed:
            return list(range(before + 1, before + changed + 1))
        rowids = {
            row[key]: int(row["rowid"])
            for row in tx.all(f"SELECT rowid, {key} FROM {table} WHERE rowid > ?", (before,))
        }
        return [rowids.get(row[0], 0) for row in rows]


class _Characters:
    """Strings of one alphabet drawn from the seeded generator, many at a time.

    Random bytes below the largest multiple of the alphabet's length map evenly onto it; the rest are dropped.
    """

    def __init__(self, draw: random.Random, alphabet: str) -> None:
        self._draw, self._kept, self._buffer = draw, 256 // len(alphabet) * len(alphabet), b""
        self._table = bytes(alphabet.encode("ascii")[byte % len(alphabet)] for byte in range(256))
        self._dropped = bytes(range(self._kept, 256))

    def text(self, length: int) -> str:
        """``length`` characters."""
        while len(self._buffer) < length:
            missing = length - len(self._buffer)
            raw = self._draw.randbytes(missing * 256 // self._kept + 64)
            self._buffer += raw.translate(self._table, self._dropped)
        text = self._buffer[:length].decode("ascii")
        self._buffer = self._buffer[length:]
        return text

    def strings(self, count: int, length: int) -> list[str]:
        """``count`` strings of ``length`` characters (not checked for repeats)."""
        text = self.text(count * length)
        return [text[start : start + length] for start in range(0, count * length, length)]


@attrs.frozen
class Draws:
    """Every random value of a seed, from its one ``random.Random``."""

    generator: random.Random
    codes: _Characters
    digits: _Characters
    leading_digits: _Characters

    @classmethod
    def seeded(cls, seed: int) -> Draws:
        generator = random.Random(seed)
        alphabets = (_CODE_ALPHABET, string.digits, "12345678")
        return cls(generator, *(_Characters(generator, alphabet) for alphabet in alphabets))

    def prakerja_ids(self, count: int) -> list[str]:
        """16 digits, the first 1 to 8 (never the reserved 999 numbers)."""
        leads, rests = self.leading_digits.text(count), self.digits.strings(count, 15)
        return [lead + rest for lead, rest in zip(leads, rests, strict=True)]

    def transaction_codes(self, count: int) -> list[str]:
        return self.codes.strings(count, _TRANSACTION_CODE_LENGTH)

    def redeem_codes(self, count: int) -> list[str]:
        return self.codes.strings(count, _REDEEM_CODE_LENGTH)

    def invoices(self, count: int) -> list[str]:
        """``SYN-`` and 12 upper-case hex digits."""
        text = self.generator.randbytes(6 * count).hex().upper()
        return [f"SYN-{text[start : start + 12]}" for start in range(0, 12 * count, 12)]


def distinct(make: Callable[[int], list[str]], count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` values from ``make`` with no repeats and none of ``taken`` (values drawn again if needed)."""
    values = make(count)
    if taken is None and len(set(values)) == count:
        return values
    seen = set() if taken is None else set(taken)
    unique: list[str] = []
    while True:
        for value in values:
            if value not in seen:
                seen.add(value)
                unique.append(value)
        if len(unique) == count:
            return unique
        values = make(count - len(unique))
