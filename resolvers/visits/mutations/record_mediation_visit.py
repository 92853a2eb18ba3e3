"""`recordMediationVisit`: a township or village records a mediation visit; it counts in the statistics at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.visits import VisitOutcome
from resolvers.context import Context
from core.errors import WriteRefused
from core.visits import record_mediation_visit
from core.writes import Problems
from schema.errors import to_user_errors
from schema.visits import MediationVisit, MediationVisitPayload, RecordMediationVisitInput


@strawberry.type
class RecordMediationVisitMutation:
    @strawberry.mutation(description="Record a mediation visit to a village (officials, cases worked on, outcome).")
    async def record_mediation_visit(self, info: Info[Context, None], input: RecordMediationVisitInput) -> MediationVisitPayload:
        problems = Problems()
        staff = problems.ids(input.staff_ids, "Person", ["input", "staffIds"])
        try:
            written = await record_mediation_visit(
                actor=info.context.audit_actor, village_code=input.village_code, day=input.day, staff_ids=staff,
                case_numbers=input.case_numbers, outcome=VisitOutcome(input.outcome) if input.outcome else None,
                note=input.note, problems=problems,
            )
        except WriteRefused as error:
            return MediationVisitPayload(visit=None, user_errors=to_user_errors(error))
        return MediationVisitPayload(visit=MediationVisit.from_model(written.visit, written.zone), user_errors=[])
