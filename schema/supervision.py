"""Writing the leadership rotation: the `assignSupervisor` mutation, its input and payload."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from core.errors import WriteRefused
from resolvers.context import Context
from resolvers.supervision.mutations.assign_supervisor import assign_supervisor
from schema import alerts
from schema.errors import UserError, to_user_errors
from schema.people import SupervisionAssignment
from schema.text_types import UnitCode

if TYPE_CHECKING:
    from schema.alerts import AlertEvent

AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]


@strawberry.input(description="Assign a bureau leader to a township (分片联系) for a date range (inclusive; open-ended without `to`).")
class AssignSupervisorInput:
    leader_id: strawberry.ID
    township_code: UnitCode
    from_: date = strawberry.field(name="from")
    to: date | None = None


@strawberry.type
class AssignmentPayload:
    assignment: SupervisionAssignment | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )


@strawberry.type
class SupervisionMutation:
    @strawberry.mutation(description="Assign a bureau leader to a township for a period (no overlap for the same leader and township).")
    async def assign_supervisor(self, info: Info[Context, None], input: AssignSupervisorInput) -> AssignmentPayload:
        try:
            written = await assign_supervisor(
                info.context, leader_id=str(input.leader_id), township_code=input.township_code, valid_from=input.from_, valid_to=input.to,
            )
        except WriteRefused as refusal:
            return AssignmentPayload(assignment=None, user_errors=to_user_errors(refusal))
        return AssignmentPayload(
            assignment=SupervisionAssignment.from_model(written.assignment), user_errors=[],
            alert_changes=await alerts.alert_events(info.context, written.alert_changes),
        )
