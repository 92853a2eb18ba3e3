"""Global IDs (`base64("Type:pk")`): what the API hands out, and what writes and reports decode or print."""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

import strawberry

from models.columns import MAX_INT


@lru_cache(maxsize=16_384)  # every object built for the API gets one, selected or not; the same objects recur (≈ 2.5 MB)
def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode())


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """Decode an ID made by `to_global_id`; None for anything else (never raises)."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        if not (type_name and pk.isdigit() and len(pk) <= 10 and 1 <= int(pk) <= MAX_INT):
            return None  # ids are 32-bit serials: anything else names nothing (and must not reach the database)
        return type_name, int(pk)
    except (binascii.Error, UnicodeError, ValueError):
        return None
