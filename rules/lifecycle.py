"""What people do to an alert: acknowledge it, or (bureau head) waive it with a reason and an expiry.

The engine raises, resolves, reopens and escalates alerts (`rules.reconciler`); people only
acknowledge and waive. Both are refused in states where they make no sense.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.transactions import in_transaction

from models.alerts import Alert
from models.enums import AlertStatus


@dataclass(frozen=True, slots=True)
class AlertStateError(Exception):
    """The alert is in a state that does not allow the change; `code` is the userErrors code."""

    code: str
    message: str


async def _locked(alert_id: int) -> Alert:
    alert = await Alert.filter(id=alert_id).select_for_update().first()
    if alert is None:
        raise AlertStateError("NOT_FOUND", "no alert with this id")
    return alert


async def acknowledge_alert(*, alert_id: int, actor: str, note: str | None, at: datetime) -> Alert:
    """Mark an open alert as seen by its assignee (stops the `alert.unacknowledged` clock)."""
    async with in_transaction():
        alert = await _locked(alert_id)
        if alert.status != AlertStatus.OPEN:
            raise AlertStateError("INVALID_STATE", f"only an OPEN alert can be acknowledged; this one is {alert.status}")
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, at, actor
        alert.acknowledge_note, alert.updated_at = note, at
        await alert.save()
    return alert


async def waive_alert(*, alert_id: int, actor: str, reason: str, until: date | None, at: datetime) -> Alert:
    """Record the bureau head's approved exception; the engine leaves it alone until `until` passes."""
    if not reason.strip():
        raise AlertStateError("INVALID", "a waiver needs a reason")
    async with in_transaction():
        alert = await _locked(alert_id)
        if alert.status not in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
            raise AlertStateError("INVALID_STATE", f"only an OPEN or ACKNOWLEDGED alert can be waived; this one is {alert.status}")
        if until is not None and until < at.date():
            raise AlertStateError("INVALID", "the waiver's expiry is in the past")
        alert.status, alert.waived_at, alert.waived_by = AlertStatus.WAIVED, at, actor
        alert.waive_reason, alert.waived_until, alert.updated_at = reason.strip(), until, at
        await alert.save()
    return alert
