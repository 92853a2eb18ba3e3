"""`assignSupervisor`: the bureau assigns one of its leaders to a township; its rules are re-evaluated at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.alerts.events import alert_changes
from resolvers.context import Context
from core.errors import WriteRefused
from core.supervision import assign_supervisor
from core.writes import Problems
from schema.errors import to_user_errors
from schema.people import SupervisionAssignment
from schema.supervision import AssignmentPayload, AssignSupervisorInput


@strawberry.type
class AssignSupervisorMutation:
    @strawberry.mutation(description="Assign a bureau leader to a township for a period (no overlap for the same leader and township).")
    async def assign_supervisor(self, info: Info[Context, None], input: AssignSupervisorInput) -> AssignmentPayload:
        problems = Problems()
        leader = problems.ids([input.leader_id], "Person", ["input", "leaderId"])
        try:
            written = await assign_supervisor(
                actor=info.context.audit_actor, leader_id=leader[0] if leader else None, township_code=input.township_code,
                valid_from=input.from_, valid_to=input.to, problems=problems,
            )
        except WriteRefused as error:
            return AssignmentPayload(assignment=None, alert_changes=[], user_errors=to_user_errors(error))
        return AssignmentPayload(
            assignment=SupervisionAssignment.from_model(written.assignment),
            alert_changes=await alert_changes(info.context.viewer, written.alert_changes),
            user_errors=[],
        )
