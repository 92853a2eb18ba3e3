"""`rotationPlan(countyCode, month)`: the proposed month of supervision visits (reads only)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import BadInput, WriteRefused
from core.rotation import MonthPlan, month_plan
from core.writes import Problems
from schema.meetings import Meeting
from schema.people import Person
from schema.rotation import RotationGap, RotationGapReason, RotationPlan, RotationVisit


def plan_type(planned: MonthPlan) -> RotationPlan:
    """The plan as the API shows it."""
    names = planned.townships
    visits = [
        RotationVisit(
            township_code=v.township, township_name=names[v.township],
            meeting=Meeting.from_model(planned.meetings[v.meeting_id], planned.zone),
            leader=Person.from_model(planned.people[v.leader_id]), staff=Person.from_model(planned.people[v.staff_id]),
            keeps_standing=v.keeps_standing,
        )
        for v in planned.plan.visits
    ]
    gaps = [RotationGap(township_code=g.township, township_name=names[g.township], reason=RotationGapReason(g.reason), message=g.message)
            for g in planned.plan.gaps]
    return RotationPlan(county_code=planned.county.code, month=planned.month, leader_cap=planned.leader_cap, townships=len(names),
                        covered=len(visits), complete=not gaps, visits=visits, gaps=gaps)


@strawberry.type
class RotationQuery:
    @strawberry.field(description="Propose which bureau leader and staff member attend each township's thematic meeting in a month.")
    async def rotation_plan(self, info: Info[Context, None], county_code: str, month: str) -> RotationPlan:
        try:
            return plan_type(await month_plan(county_code=county_code, month=month, problems=Problems()))
        except WriteRefused as error:
            field, _, message = error.problems[0]
            raise BadInput(field[-1], message) from None
