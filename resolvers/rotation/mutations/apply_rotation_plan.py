"""`applyRotationPlan`: the bureau writes the month's plan as the attendance plan of the scheduled meetings."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.rotation.queries import plan_type
from core.rotation import apply_month_plan
from core.writes import Problems
from schema.errors import to_user_errors
from schema.rotation import RotationPlanPayload


@strawberry.type
class ApplyRotationPlanMutation:
    @strawberry.mutation(description="Plan the month again and write it: the leader and staff member join each chosen meeting's attendees.")
    async def apply_rotation_plan(self, info: Info[Context, None], county_code: str, month: str) -> RotationPlanPayload:
        try:
            planned = await apply_month_plan(actor=info.context.audit_actor, county_code=county_code, month=month, problems=Problems())
        except WriteRefused as error:
            return RotationPlanPayload(plan=None, user_errors=to_user_errors(error))
        return RotationPlanPayload(plan=plan_type(planned), user_errors=[])
