"""`handOverRole`: the holder of a grid, household group, party group or convener role is replaced in one write."""

from __future__ import annotations

from datetime import date

from core.roster import service
from core.writes import Problems
from models.enums import Role
from resolvers.context import Context
from resolvers.roster.mutations.common import PersonFields, RoleChange, holder_args, role_change


async def hand_over_role(
    context: Context, *, role: Role, unit_code: str, on: date, person_id: str | None, new_person: PersonFields | None
) -> RoleChange:
    problems = Problems()
    person, fresh = holder_args(problems, person_id, new_person)
    return await role_change(await service.hand_over_role(
        actor=context.audit_actor, rules=context.settings.rules, role=role, unit_code=unit_code, person_id=person, new_person=fresh, on=on,
        problems=problems, viewer=context.viewer,
    ))
