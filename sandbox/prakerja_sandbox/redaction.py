"""What the sandbox shows of a sign key or an OTP where a person reads it: never the value itself.

Sign keys and OTPs never appear in the server's output, its answers, the request log, the dashboard or
reports. A sandbox partner reads its full sandbox keys from ``GET /_sandbox/partners`` (or
``contracts/partners.yaml``) and OTPs from ``GET /_sandbox/inbox``: control-API data for test code, which
``--control-token`` protects and ``--no-control-api`` turns off.
"""

from __future__ import annotations

__all__ = ["KEY_PREFIX", "masked_key", "masked_otp_text"]

#: How many leading characters of a sign key are shown: enough to tell keys apart, far too few to sign.
KEY_PREFIX = 4


def masked_key(key: str) -> str:
    """``9d1c...`` for ``9d1c9c1c...``: the first :data:`KEY_PREFIX` characters and an ellipsis."""
    shown = key[:KEY_PREFIX] if len(key) > 2 * KEY_PREFIX else ""
    return f"{shown}..."


def masked_otp_text(text: str, otp: str | None) -> str:
    """``text`` with every occurrence of ``otp`` replaced by as many ``*``."""
    if not otp:
        return text
    return text.replace(otp, "*" * len(otp))
