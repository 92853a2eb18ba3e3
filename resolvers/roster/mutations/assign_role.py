"""`assignRole`: a person (recorded or new) takes a role in a unit for a period; roster rules re-evaluated at once."""

from __future__ import annotations

from datetime import date

from core.roster import service
from core.writes import Problems
from models.enums import Role
from resolvers.context import Context
from resolvers.roster.mutations.common import PersonFields, RoleChange, holder_args, role_change


async def assign_role(
    context: Context, *, role: Role, unit_code: str, person_id: str | None, new_person: PersonFields | None,
    valid_from: date, valid_to: date | None,
) -> RoleChange:
    problems = Problems()
    person, fresh = holder_args(problems, person_id, new_person)
    return await role_change(await service.assign_role(
        actor=context.audit_actor, rules=context.settings.rules, role=role, unit_code=unit_code, person_id=person, new_person=fresh,
        valid_from=valid_from, valid_to=valid_to, problems=problems, viewer=context.viewer,
    ))
