"""The attendance operations of the partner API (routes over ``domain/attendance.py``)."""

from __future__ import annotations

import flask

__all__ = ["bp"]

bp = flask.Blueprint("attendance", __name__)
