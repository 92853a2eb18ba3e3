"""`recordMediationVisit`: a township or village records a mediation visit; it counts in the statistics at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core import visits
from core.visits import VisitWrite
from core.writes import Problems
from models.visits import VisitOutcome
from resolvers.context import Context


async def record_mediation_visit(
    context: Context, *, village_code: str, day: date, staff_ids: Sequence[str], case_numbers: Sequence[str],
    outcome: VisitOutcome | None, note: str | None,
) -> VisitWrite:
    problems = Problems()
    staff = problems.ids(staff_ids, "Person", ["input", "staffIds"])
    return await visits.record_mediation_visit(
        actor=context.audit_actor, village_code=village_code, day=day, staff_ids=staff, case_numbers=case_numbers,
        outcome=outcome, note=note, problems=problems,
    )
