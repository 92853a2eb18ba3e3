"""Shared by the meeting mutations: the database id a meeting's global ID names."""

from __future__ import annotations

from core.global_ids import from_global_id


def meeting_db_id(global_id: str) -> int:
    """The meeting's database id; 0 (which names none: the service answers NOT_FOUND) for any other ID."""
    decoded = from_global_id(global_id)
    return decoded[1] if decoded and decoded[0] == "Meeting" else 0
