"""HMAC-SHA256 signatures on webhook requests (stdlib `hmac`; constant-time verification for receivers).

Every request carries `X-Lianxi-Timestamp` (Unix seconds) and
`X-Lianxi-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`, the scheme
GitHub and Stripe use, so receivers can reject forged or replayed calls. DingTalk robots with
加签 enabled check their own signature in the URL instead (`timestamp`, `sign`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The value of X-Lianxi-Signature."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(*, secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver runs: does the signature header match this body and timestamp?"""
    try:
        expected = signature(secret=secret, timestamp=int(timestamp), body=body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, header)


def dingtalk_url(url: str, *, secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: append timestamp and the URL-encoded base64 HMAC-SHA256 of "<timestamp>\\n<secret>"."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    sign = base64.b64encode(hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()).decode()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={quote_plus(sign)}"
