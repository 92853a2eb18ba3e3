"""`assignSupervisor`: the bureau assigns one of its leaders to a township; its rules are re-evaluated at once."""

from __future__ import annotations

from datetime import date

from core import supervision
from core.supervision import AssignmentWrite
from core.writes import Problems
from resolvers.context import Context


async def assign_supervisor(
    context: Context, *, leader_id: str, township_code: str, valid_from: date, valid_to: date | None
) -> AssignmentWrite:
    """The assignment and the alerts it changed; refuses (`WriteRefused`) overlaps and unknown leaders or townships."""
    problems = Problems()
    leader = problems.ids([leader_id], "Person", ["input", "leaderId"])
    return await supervision.assign_supervisor(
        actor=context.audit_actor, rules=context.settings.rules, leader_id=leader[0] if leader else None, township_code=township_code,
        valid_from=valid_from, valid_to=valid_to, problems=problems,
    )
