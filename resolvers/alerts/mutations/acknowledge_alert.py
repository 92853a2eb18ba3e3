"""`acknowledgeAlert`: the assignee confirms they have seen an open alert."""

from __future__ import annotations

from core import clock

from core import alerts
from models.alerts import Alert
from resolvers.alerts.mutations.common import alert_db_id
from resolvers.context import Context


async def acknowledge_alert(context: Context, *, id: str, note: str | None) -> Alert:
    """The acknowledged alert; refusals (`core.alerts.AlertStateError`) carry their field."""
    return await alerts.acknowledge_alert(alert_id=alert_db_id(id), actor=context.audit_actor, note=note, at=clock.now())
