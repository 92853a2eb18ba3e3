"""`endRole`: a role assignment ends on its last day; the roster rules may raise an alert for the empty unit."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import role_payload, role_refused
from core.roster.service import end_role
from core.writes import Problems
from core.global_ids import from_global_id
from schema.roster import EndRoleInput, RolePayload


@strawberry.type
class EndRoleMutation:
    @strawberry.mutation(description="End a role assignment on its last day.")
    async def end_role(self, info: Info[Context, None], input: EndRoleInput) -> RolePayload:
        problems = Problems()
        decoded = from_global_id(str(input.id))  # a blank or foreign id names nothing: NOT_FOUND, as an id out of reach
        try:
            written = await end_role(actor=info.context.audit_actor, assignment_id=decoded[1] if decoded and decoded[0] == "RoleAssignment" else 0, last_day=input.last_day, problems=problems)
        except WriteRefused as error:
            return role_refused(error)
        return await role_payload(info.context, written)
