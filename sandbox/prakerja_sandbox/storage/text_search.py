"""The request log's ``mentions`` filter: the rows whose ``request_body`` or ``query`` holds a text.

**Meaning, on both stores:** the text is found as it is, a case-sensitive substring of the body or of the
query string (``"abc"`` is not found in ``"ABC"``; ``%``, ``_``, ``\\``, quotes and any other character stand
for themselves). A column that is ``NULL`` holds nothing. That is Python's ``text in body or text in query``.

**Through an index** (storage migration 0007), so a million-row log is not read row by row:

- SQLite: an FTS5 table cutting both columns into trigrams, case kept. The text, as one quoted phrase, finds
  the rows holding every trigram of it in order; ``instr()`` then checks each found row, so the answer is
  exact whatever the tokenizer does with a character.
- PostgreSQL: pg_trgm's GIN indexes on both columns serve ``LIKE '%text%'`` (the pattern's ``%``, ``_`` and
  ``\\`` escaped), which PostgreSQL re-checks on each row the index gives.

A trigram index cannot narrow a search for fewer than :data:`MIN_INDEXED` characters. Such a text is still
answered, by reading every row (on SQLite by ``instr()`` alone; on PostgreSQL the index gives every row); so is
every text where the index could not be made (a SQLite without FTS5's trigram tokenizer, a PostgreSQL where
pg_trgm cannot be created), which the store logs once when it opens (:func:`report_unindexed`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from prakerja_sandbox.storage.base import Tx

__all__ = ["MIN_INDEXED", "mentions_filter", "report_unindexed"]

#: the fewest characters a trigram index can search for
MIN_INDEXED = 3

_EXACT = "(instr(request_body, ?) > 0 OR instr(query, ?) > 0)"
_CANDIDATES = "id IN (SELECT rowid FROM request_log_fts WHERE request_log_fts MATCH ?)"
_LIKE = "(request_body LIKE ? ESCAPE '\\' OR query LIKE ? ESCAPE '\\')"

_log = logging.getLogger("prakerja_sandbox")
_reported: set[str] = set()
_reported_lock = threading.Lock()


def mentions_filter(tx: Tx, text: str) -> tuple[str, list[Any]]:
    """A ``WHERE`` term on ``request_log`` keeping the rows whose body or query holds ``text``, and its values."""
    if tx.dialect == "postgresql":
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return _LIKE, [pattern, pattern]
    if tx.text_index and len(text) >= MIN_INDEXED:
        phrase = '"' + text.replace('"', '""') + '"'
        return f"{_CANDIDATES} AND {_EXACT}", [phrase, text, text]
    return _EXACT, [text, text]


def report_unindexed(where: str, reason: str) -> None:
    """Log once per process and database (``where``) that the ``mentions`` filter reads every row."""
    with _reported_lock:
        if where in _reported:
            return
        _reported.add(where)
    _log.warning(
        "the request log's mentions filter is not indexed in %s (%s): it reads every row of the log",
        where,
        reason,
    )
