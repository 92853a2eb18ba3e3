"""Global IDs (`base64("Type:pk")`): what the API hands out, and what writes and reports decode or print."""

from __future__ import annotations

import base64
import binascii

import strawberry

from models.columns import MAX_INT


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def to_global_id(type_name: str, pk: int) -> strawberry.ID:
    """base64.urlsafe_b64encode without its two layers of calls: every object built for the API gets one (a county
    tree: ~16,000; a memo thrashed on those and cost more than it saved)."""
    return strawberry.ID(binascii.b2a_base64(f"{type_name}:{pk}".encode(), newline=False).translate(_URLSAFE).decode())


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """Decode an ID made by `to_global_id`; None for anything else (never raises)."""
    try:
        type_name, _, pk = base64.urlsafe_b64decode(global_id.encode()).decode().partition(":")
        if not (type_name and pk.isascii() and pk.isdigit() and len(pk) <= 10 and 1 <= int(pk) <= MAX_INT):
            return None  # ids are 32-bit serials: anything else names nothing (and must not reach the database)
        return type_name, int(pk)
    except (binascii.Error, UnicodeError, ValueError):
        return None
