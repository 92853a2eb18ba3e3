"""`handOverRole`: the holder of a grid, household group, party group or convener role is replaced in one write."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.enums import Role
from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import holder_args, role_payload, role_refused
from core.roster.service import hand_over_role
from core.writes import Problems
from schema.roster import HandOverRoleInput, RolePayload


@strawberry.type
class HandOverRoleMutation:
    @strawberry.mutation(description="Replace a role's holder from a day: the old assignment ends the day before, the new one starts.")
    async def hand_over_role(self, info: Info[Context, None], input: HandOverRoleInput) -> RolePayload:
        problems = Problems()
        person_id, new_person = holder_args(problems, input.person_id, input.new_person)
        try:
            written = await hand_over_role(
                actor=info.context.audit_actor, role=Role(input.role), unit_code=input.unit_code, person_id=person_id,
                new_person=new_person, on=input.on, problems=problems, viewer=info.context.viewer,
            )
        except WriteRefused as error:
            return role_refused(error)
        return await role_payload(info.context, written)
