"""Shared by the alert mutations: decoding the alert's global ID and mapping state errors to userErrors."""

from __future__ import annotations

from core.alerts import AlertStateError
from schema.errors import UserError
from core.global_ids import from_global_id


def alert_db_id(global_id: str) -> int | None:
    decoded = from_global_id(global_id)
    return decoded[1] if decoded and decoded[0] == "Alert" else None


def state_error(error: AlertStateError, field: str) -> UserError:
    return UserError(field=[field], code=error.code, message=error.message)
