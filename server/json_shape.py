"""Refuse JSON bodies too intricate to decode before decoding them (HTTP requests and websocket messages alike).

Kept apart from server/limits.py (the GraphQL validation rules) because the websocket guard of
server/auth/revocation.py needs it without graphql-core.
"""

from __future__ import annotations

# A request body of at most LIANXI_MAX_BODY_BYTES can still take ~200 ms to decode when it is all tiny nested
# containers (`[[],[],…]`), and JSON decoders hold the GIL. Real requests have a few hundred values; these bounds
# (counted with bytes.count, so strings containing brackets or commas count too) keep decoding to a few ms.
MAX_JSON_CONTAINERS = 10_000
MAX_JSON_SEPARATORS = 100_000


def json_shape_refusal(body: bytes | str) -> str | None:
    """Why a JSON request body (or websocket message) is too intricate to decode, or None."""
    data = body.encode() if isinstance(body, str) else body
    containers = data.count(b"{") + data.count(b"[")
    if containers > MAX_JSON_CONTAINERS:
        return f"the request holds more than {MAX_JSON_CONTAINERS} JSON objects and arrays"
    if data.count(b",") > MAX_JSON_SEPARATORS:
        return f"the request holds more than {MAX_JSON_SEPARATORS} JSON values"
    return None
