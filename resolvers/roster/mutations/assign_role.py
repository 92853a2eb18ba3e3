"""`assignRole`: a person (recorded or new) takes a role in a unit for a period; roster rules re-evaluated at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.enums import Role
from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.roster.mutations.common import holder_args, role_payload, role_refused
from core.roster.service import assign_role
from core.writes import Problems
from schema.roster import AssignRoleInput, RolePayload


@strawberry.type
class AssignRoleMutation:
    @strawberry.mutation(description="Give a person a role in a unit for a period; single-holder roles never overlap.")
    async def assign_role(self, info: Info[Context, None], input: AssignRoleInput) -> RolePayload:
        problems = Problems()
        person_id, new_person = holder_args(problems, input.person_id, input.new_person)
        try:
            written = await assign_role(
                actor=info.context.audit_actor, role=Role(input.role), unit_code=input.unit_code, person_id=person_id,
                new_person=new_person, valid_from=input.from_, valid_to=input.to, problems=problems, viewer=info.context.viewer,
            )
        except WriteRefused as error:
            return role_refused(error)
        return await role_payload(info.context, written)
