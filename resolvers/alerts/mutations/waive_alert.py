"""`waiveAlert`: the bureau records an approved exception, with a reason and an optional expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry
from strawberry.types import Info

from resolvers.alerts.mutations.common import alert_db_id, state_error
from resolvers.context import Context
from core.alerts import AlertStateError, waive_alert
from schema.alerts import Alert, AlertPayload


@strawberry.type
class WaiveAlertMutation:
    @strawberry.mutation(description="Waive an OPEN or ACKNOWLEDGED alert until a date (or indefinitely).")
    async def waive_alert(
        self, info: Info[Context, None], id: strawberry.ID, reason: str, until: date | None = None
    ) -> AlertPayload:
        alert_id = alert_db_id(id)
        if alert_id is None:
            return AlertPayload(alert=None, user_errors=[state_error(AlertStateError("NOT_FOUND", "no alert with this id"), "id")])
        try:
            row = await waive_alert(alert_id=alert_id, actor=info.context.audit_actor, reason=reason, until=until, at=datetime.now(UTC))
        except AlertStateError as error:
            field = "reason" if "reason" in error.message else "until" if "expiry" in error.message else "id"
            return AlertPayload(alert=None, user_errors=[state_error(error, field)])
        return AlertPayload(alert=Alert.from_model(row), user_errors=[])
