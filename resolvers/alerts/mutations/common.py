"""Shared by the alert mutations: the alert a global ID names."""

from __future__ import annotations

from core.alerts import AlertStateError
from core.global_ids import from_global_id


def alert_db_id(global_id: str) -> int:
    """The database id of an Alert's global ID; refused as NOT_FOUND on `id` when it names no alert."""
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != "Alert":
        raise AlertStateError("NOT_FOUND", "no alert with this id")
    return decoded[1]
