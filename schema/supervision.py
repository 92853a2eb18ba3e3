"""Writing the leadership rotation: the `assignSupervisor` input and payload."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.errors import UserError
from schema.people import SupervisionAssignment

if TYPE_CHECKING:
    from schema.alerts import AlertEvent

AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]


@strawberry.input(description="Assign a bureau leader to a township (分片联系) for a date range (inclusive; open-ended without `to`).")
class AssignSupervisorInput:
    leader_id: strawberry.ID
    township_code: str
    from_: date = strawberry.field(name="from")
    to: date | None = None


@strawberry.type
class AssignmentPayload:
    assignment: SupervisionAssignment | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )
