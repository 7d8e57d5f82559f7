"""The tpm operations of the partner API (routes over ``domain/tpm.py``)."""

from __future__ import annotations

import flask

__all__ = ["bp"]

bp = flask.Blueprint("tpm", __name__)
