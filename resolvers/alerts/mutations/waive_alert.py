"""`waiveAlert`: the bureau records an approved exception, with a reason and an optional expiry."""

from __future__ import annotations

from core import clock
from datetime import date

from core import alerts
from models.alerts import Alert
from resolvers.alerts.mutations.common import alert_db_id
from resolvers.context import Context


async def waive_alert(context: Context, *, id: str, reason: str, until: date | None) -> Alert:
    """The waived alert; refusals (`core.alerts.AlertStateError`) carry their field (`id`, `reason`, `until`)."""
    return await alerts.waive_alert(
        alert_id=alert_db_id(id), actor=context.audit_actor, reason=reason, until=until, at=clock.now()
    )
