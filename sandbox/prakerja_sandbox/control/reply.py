"""The control API's success envelope: ``{"success": true, "message": ..., "data": ...}``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import flask

__all__ = ["ok"]


def ok(
    data: Mapping[str, Any] | Sequence[Any] | None = None, *, message: str = "OK", status: int = 200
) -> flask.Response:
    """A successful control API answer."""
    body: dict[str, Any] = {"success": True, "message": message}
    if data is not None:
        body["data"] = data
    response = flask.jsonify(body)
    response.status_code = status
    return response
