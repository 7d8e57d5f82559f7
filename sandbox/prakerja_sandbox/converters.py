"""Path parameters with bounds: one converter for every numeric id in a URL.

``<row_id:entry_id>`` matches a decimal id from 1 to 2**63 - 1, the ids a SQLite table can hold. Anything
else (zero, a sign, a longer number) matches no route, so it answers the catalogue's 404 (ERRPLT40401) like
any unknown path, never an ``OverflowError`` from the database.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

__all__ = ["ROW_ID_MAX", "RowIdConverter", "register_converters"]

#: The largest rowid SQLite stores.
ROW_ID_MAX = 2**63 - 1


class RowIdConverter(IntegerConverter):
    """A database row id: 1 to :data:`ROW_ID_MAX`, at most 19 digits."""

    regex = r"[1-9]\d{0,18}"

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=ROW_ID_MAX)


def register_converters(app: Flask) -> None:
    """Make ``row_id`` available to every route of ``app`` (call before registering blueprints)."""
    app.url_map.converters["row_id"] = RowIdConverter
