"""HTML pages the participant sees: the attendance verification page and the SSO login and consent page.

Both are plain server-rendered forms (no script, no external asset): Indonesian labels with English
subtitles, one stylesheet served by the sandbox. Forms post back to the page's own URL; the one-time
``state`` they carry is what ties a submission to its request.
"""

from __future__ import annotations

import flask

from prakerja_sandbox.pages.consent import register as register_consent
from prakerja_sandbox.pages.verification import register as register_verification

__all__ = ["bp"]

bp = flask.Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/pages",
)
register_verification(bp)
register_consent(bp)
