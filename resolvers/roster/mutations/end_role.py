"""`endRole`: a role assignment ends on its last day; the roster rules may raise an alert for the empty unit."""

from __future__ import annotations

from datetime import date

from core.roster import service
from core.writes import Problems
from resolvers.context import Context
from resolvers.roster.mutations.common import RoleChange, db_id, role_change


async def end_role(context: Context, *, assignment_id: str, last_day: date) -> RoleChange:
    return await role_change(await service.end_role(
        actor=context.audit_actor, rules=context.settings.rules, assignment_id=db_id(assignment_id, "RoleAssignment"), last_day=last_day, problems=Problems()
    ))
