"""The bare baseline: one Flask endpoint answering a constant JSON, served like the sandbox.

It does what every Flask view does (routing, a request object, ``jsonify``) and nothing else: no signature,
no validation, no state. ``gunicorn bench.bare_app:app`` with the sandbox's own server settings.
"""

from __future__ import annotations

from typing import Any

import flask

__all__ = ["ANSWER", "app"]

#: The same shape and size as the sandbox's answer for the example redeem code.
ANSWER: dict[str, Any] = {
    "success": True,
    "message": "OK",
    "data": {
        "redeem_code": "GHOPNYXUVMT0",
        "course_code": "prakerjaoauth1",
        "invoice_code": "testing-1234567",
        "schedule_code": "prakerjaoauth",
        "status": 1,
        "attendance_status": 1,
        "redeem_at": "2023-10-24T10:54:45Z",
        "dp_platform": "Tokopedia",
        "schedule_start_end": "2023-10-24 10:00 - 2023-10-24 12:00",
        "course_type": 1,
        "course_type_label": "Pembelajaran Mandiri",
        "course_learning_method": "online",
        "is_online_attendance": True,
        "sequence": 1,
    },
}

app = flask.Flask("bare")


@app.post("/api/v1/integration/payment/redeem-code/status")
def redeem_code_status() -> flask.Response:
    """The constant answer."""
    return flask.jsonify(ANSWER)
