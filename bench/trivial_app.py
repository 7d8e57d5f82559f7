"""The calibration server's app: granian's native (RSGI) interface answering one constant JSON, nothing else.

It is the fastest server the suite can start on this machine, so a load generator that cannot drive it at
twice the rate of the best server measured is itself the limit, and the table says so. The answer holds the
bare endpoint's data plus the fields the write benchmark's buyers read (a payment token, an inbox message with
its OTP, a transaction code), so both generators can run their whole request cycle against it.
"""

from __future__ import annotations

import json
from typing import Any

from bench.bare_app import ANSWER

__all__ = ["BODY", "app"]

BODY = json.dumps(
    {
        **ANSWER,
        "data": {
            **ANSWER["data"],
            "payment_token": "calibration-token",
            "messages": [{"payment_token": "calibration-token", "otp": "123456"}],
            "transaction_code": "calibration-transaction",
        },
    },
    separators=(",", ":"),
).encode()
_HEADERS = [("content-type", "application/json")]


async def app(_scope: Any, protocol: Any) -> None:
    """Answer every request with :data:`BODY`."""
    protocol.response_bytes(200, _HEADERS, BODY)
