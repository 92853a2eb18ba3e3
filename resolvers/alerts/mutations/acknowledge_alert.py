"""`acknowledgeAlert`: the assignee confirms they have seen an open alert."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry
from strawberry.types import Info

from resolvers.alerts.mutations.common import alert_db_id, state_error
from resolvers.context import Context
from core.alerts import AlertStateError, acknowledge_alert
from schema.alerts import Alert, AlertPayload


@strawberry.type
class AcknowledgeAlertMutation:
    @strawberry.mutation(description="Acknowledge an OPEN alert (stops its escalation clock).")
    async def acknowledge_alert(self, info: Info[Context, None], id: strawberry.ID, note: str | None = None) -> AlertPayload:
        alert_id = alert_db_id(id)
        if alert_id is None:
            return AlertPayload(alert=None, user_errors=[state_error(AlertStateError("NOT_FOUND", "no alert with this id"), "id")])
        try:
            row = await acknowledge_alert(alert_id=alert_id, actor=info.context.audit_actor, note=note, at=datetime.now(UTC))
        except AlertStateError as error:
            return AlertPayload(alert=None, user_errors=[state_error(error, "id")])
        return AlertPayload(alert=Alert.from_model(row), user_errors=[])
