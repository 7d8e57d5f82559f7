"""The numbered schema migrations of each dialect (``<dialect>/NNNN_name.sql``), applied in order, once.

A database records what it has in ``schema_migrations``. A migration only adds (tables, columns, indexes,
triggers), replaces an index or rewrites rows in place, so upgrading keeps the data. ``0001_initial`` creates
its tables ``IF NOT EXISTS``: a SQLite database made before the schema was versioned (it holds exactly those
tables) takes it as a no-op and is upgraded from there. Every change to the schema is a new file in both
dialects' folders, with the same number.

A migration whose first line is ``-- needs: <feature> ...`` asks for features a database engine may lack
(``fts5-trigram``: SQLite's FTS5 with the trigram tokenizer). A store whose engine lacks one records that
migration as applied without running it, and does without what it would have made (it adds only indexes).
"""

from __future__ import annotations

import re
from importlib import resources

import attrs

__all__ = ["LEDGER", "Migration", "migrations"]

#: the table a database records its applied migrations in (plain SQL both dialects accept)
LEDGER = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_NEEDS = "-- needs:"


@attrs.frozen
class Migration:
    version: int
    name: str
    sql: str

    @property
    def needs(self) -> frozenset[str]:
        """The features named on the migration's ``-- needs:`` first line (none without one)."""
        first = self.sql.split("\n", 1)[0]
        return frozenset(first[len(_NEEDS) :].split()) if first.startswith(_NEEDS) else frozenset()


def migrations(dialect: str) -> list[Migration]:
    """Every migration of ``dialect`` (``"sqlite"`` or ``"postgresql"``), lowest version first."""
    found: list[Migration] = []
    for entry in resources.files(__name__).joinpath(dialect).iterdir():
        match = _FILE.match(entry.name)
        if match is not None:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"{dialect} migrations are not numbered 1..{len(found)}: {versions}")
    return found
