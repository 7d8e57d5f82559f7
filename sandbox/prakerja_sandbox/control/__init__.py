"""The sandbox control API and dashboard under ``/_sandbox``."""

from __future__ import annotations

import flask

__all__ = ["bp"]

bp = flask.Blueprint("control", __name__, url_prefix="/_sandbox")
