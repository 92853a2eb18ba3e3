"""What people do to an alert: acknowledge it, or (bureau head) waive it with a reason and an expiry.

The engine raises, resolves, reopens and escalates alerts (`rules.reconciler`); people only
acknowledge and waive. Both are refused in states where they make no sense. Each change is
audited and emitted (subscribers, webhooks) in the transaction that makes it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.alerts import Alert
from models.enums import AlertEventKind, AlertStatus
from core.audit import Actor, record_audit
from core.errors import WriteRefused
from core.transaction import alert_transaction, emit


class AlertStateError(WriteRefused):
    """The alert is in a state that does not allow the change (or the request names none, or has a bad
    value): one problem, with the argument at fault (`id`, `reason`, `until`) as its field."""

    def __init__(self, code: str, message: str, field: str = "id") -> None:
        super().__init__([([field], code, message)])


def _state(alert: Alert) -> dict[str, Any]:
    return {
        "status": alert.status, "acknowledgedAt": alert.acknowledged_at, "acknowledgedBy": alert.acknowledged_by,
        "acknowledgeNote": alert.acknowledge_note, "waivedAt": alert.waived_at, "waivedBy": alert.waived_by,
        "waiveReason": alert.waive_reason, "waivedUntil": alert.waived_until,
    }


async def _county_of(alert_id: int) -> tuple[str, ZoneInfo]:
    """The alert's county code and time zone (a waiver's expiry is a local date)."""
    rows = await Alert.filter(id=alert_id).values_list("county__code", "county__timezone")
    if not rows:
        raise AlertStateError("NOT_FOUND", "no alert with this id")
    return str(rows[0][0]), ZoneInfo(str(rows[0][1]))


async def _locked(alert_id: int) -> Alert:
    alert = await Alert.filter(id=alert_id).select_for_update().first()
    if alert is None:
        raise AlertStateError("NOT_FOUND", "no alert with this id")
    return alert


async def acknowledge_alert(*, alert_id: int, actor: Actor, note: str | None, at: datetime) -> Alert:
    """Mark an open alert as seen by its assignee (stops the `alert.unacknowledged` clock)."""
    county_code, _ = await _county_of(alert_id)
    async with alert_transaction(county_code=county_code):
        alert = await _locked(alert_id)
        if alert.status != AlertStatus.OPEN:
            raise AlertStateError("INVALID_STATE", f"only an OPEN alert can be acknowledged; this one is {alert.status}")
        before = _state(alert)
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, at, actor.name
        alert.acknowledge_note, alert.updated_at = note, at
        await alert.save()
        await record_audit(actor=actor, action="acknowledgeAlert", entity="alert", entity_key=alert.fingerprint,
                           county_code=county_code, before=before, after=_state(alert), at=at)
        emit(alert, AlertEventKind.ACKNOWLEDGED, at=at)
    return alert


async def waive_alert(*, alert_id: int, actor: Actor, reason: str, until: date | None, at: datetime) -> Alert:
    """Record the bureau head's approved exception; the engine leaves it alone until `until` passes."""
    if not reason.strip():
        raise AlertStateError("INVALID", "a waiver needs a reason", field="reason")
    county_code, zone = await _county_of(alert_id)
    async with alert_transaction(county_code=county_code):
        alert = await _locked(alert_id)
        if alert.status not in (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED):
            raise AlertStateError("INVALID_STATE", f"only an OPEN or ACKNOWLEDGED alert can be waived; this one is {alert.status}")
        if until is not None and until < at.astimezone(zone).date():
            raise AlertStateError("INVALID", "the waiver's expiry is in the past", field="until")
        before = _state(alert)
        alert.status, alert.waived_at, alert.waived_by = AlertStatus.WAIVED, at, actor.name
        alert.waive_reason, alert.waived_until, alert.updated_at = reason.strip(), until, at
        await alert.save()
        await record_audit(actor=actor, action="waiveAlert", entity="alert", entity_key=alert.fingerprint,
                           county_code=county_code, before=before, after=_state(alert), at=at)
        emit(alert, AlertEventKind.WAIVED, at=at)
    return alert
