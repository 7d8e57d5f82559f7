"""HTML pages the participant sees: the attendance verification page and the SSO consent page."""

from __future__ import annotations

import flask

__all__ = ["bp"]

bp = flask.Blueprint("pages", __name__, template_folder="templates")
