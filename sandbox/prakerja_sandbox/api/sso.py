"""The sso operations of the partner API (routes over ``domain/sso.py``)."""

from __future__ import annotations

import flask

__all__ = ["bp"]

bp = flask.Blueprint("sso", __name__)
