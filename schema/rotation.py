"""The rotation planner (分片联系): a proposed month of supervision visits, what cannot be covered and why."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry.types import Info

from core.errors import WriteRefused
from core.global_ids import to_global_id
from core.rotation import MonthPlan
from rules.rotation import MAX_MEETINGS_PER_TOWNSHIP
from resolvers.context import Context
from resolvers.rotation.mutations.apply_rotation_plan import apply_rotation_plan
from resolvers.rotation.mutations.mark_unavailable import Marked, mark_unavailable
from resolvers.rotation.mutations.withdraw_unavailability import withdraw_unavailability
from resolvers.rotation.queries import rotation_plan, unavailability
from schema.cost import work
from schema.errors import UserError, to_user_errors
from schema.meetings import Meeting
from schema.people import Person
from schema.text_types import Month, Note, UnitCode


@strawberry.enum(description="Why a township cannot be covered this month.")
class RotationGapReason(StrEnum):
    NO_SCHEDULED_MEETING = "NO_SCHEDULED_MEETING"
    NO_LEADER_AVAILABLE = "NO_LEADER_AVAILABLE"
    NO_STAFF_AVAILABLE = "NO_STAFF_AVAILABLE"
    NO_CAPACITY = "NO_CAPACITY"
    UNSOLVED = "UNSOLVED"


@strawberry.type(description="A leader and a staff member planned at one township's thematic meeting.")
class RotationVisit:
    township_code: str
    township_name: str
    meeting: Meeting
    leader: Person
    staff: Person
    keeps_standing: bool = strawberry.field(description="The leader is the one assigned to the township (分片) on the meeting's day.")


@strawberry.type(description="A township the plan cannot cover, and why.")
class RotationGap:
    township_code: str
    township_name: str
    reason: RotationGapReason
    message: str


@strawberry.type(description="The month's plan: every township with a leader and a staff member at one scheduled thematic meeting.")
class RotationPlan:
    county_code: str
    month: str
    leader_cap: int = strawberry.field(description="Most meetings one leader gets (catalog parameter supervision.monthly_coverage.leader_cap).")
    townships: int
    covered: int
    complete: bool
    visits: list[RotationVisit]
    gaps: list[RotationGap]
    meetings_left_out: int = strawberry.field(description=(
        f"SCHEDULED thematic meetings of the month not considered: the planner takes the earliest {MAX_MEETINGS_PER_TOWNSHIP} "
        "of each township (DESIGN asks for two a month); 0 in a real month."))

    @classmethod
    def from_plan(cls, planned: MonthPlan) -> RotationPlan:
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
        return cls(county_code=planned.county.code, month=planned.month, leader_cap=planned.leader_cap, townships=len(names),
                   covered=len(visits), complete=not gaps, visits=visits, gaps=gaps, meetings_left_out=planned.left_out)


@strawberry.type
class RotationPlanPayload:
    plan: RotationPlan | None
    changed: bool | None = strawberry.field(description=(
        "Whether the apply wrote anything: false when the meetings already had this plan's attendees (nothing written, "
        "nothing audited); null with userErrors."))
    user_errors: list[UserError]


@strawberry.input(description="A bureau member cannot attend meetings on these local days (inclusive).")
class MarkUnavailableInput:
    county_code: UnitCode
    person_id: strawberry.ID
    from_: date = strawberry.field(name="from")
    to: date
    reason: Note | None = None


@strawberry.type(description="Days a bureau member cannot attend meetings.")
class Unavailability:
    id: strawberry.ID
    person: Person
    from_: date = strawberry.field(name="from")
    to: date
    reason: str | None

    @classmethod
    def from_marked(cls, marked: Marked) -> Unavailability:
        row = marked.unavailability
        return cls(id=to_global_id("Unavailability", row.id), person=Person.from_model(marked.person), from_=row.first_day, to=row.last_day, reason=row.reason)


@strawberry.type
class UnavailabilityPayload:
    unavailability: Unavailability | None
    user_errors: list[UserError]


ROTATION_SOLVE = 15_000  # one bounded CP-SAT solve (see rotationPlan)


@strawberry.type
class RotationQuery:
    # Reads a county-month (demo, SQLite: 18 statements, 43 rows = 403 row-equivalents) and solves a CP-SAT model in the
    # planner's worker process: bounded deterministic work, ~0.1–1 s of one core (demo and a flooded month: 1.3 s for the
    # demo's 2023-05 in-process). The solve, not the rows, is the work: 15,000 each, so three fit the limit of 50,000.
    @strawberry.field(description="Propose which bureau leader and staff member attend each township's thematic meeting in a month.",
                      metadata=work(ROTATION_SOLVE, measured="demo 2023-05: 18 statements, 43 rows, a CP-SAT solve of ~1.3 s"))
    async def rotation_plan(self, info: Info[Context, None], county_code: UnitCode, month: Month) -> RotationPlan:
        return RotationPlan.from_plan(await rotation_plan(info.context, county_code=county_code, month=month))

    @strawberry.field(description="Days the county's bureau members cannot attend meetings, overlapping from–to (at most a year).")
    async def unavailability(self, info: Info[Context, None], county_code: str,
                             from_: Annotated[date, strawberry.argument(name="from")], to: date) -> list[Unavailability]:
        marked = await unavailability(info.context, county_code=county_code, first_day=from_, last_day=to)
        return [Unavailability.from_marked(m) for m in marked]


@strawberry.type
class RotationMutation:
    @strawberry.mutation(description="Plan the month again and write it: the leader and staff member join each chosen meeting's attendees.",
                         metadata=work(ROTATION_SOLVE, measured="as rotationPlan (the same solve), then one write"))
    async def apply_rotation_plan(self, info: Info[Context, None], county_code: UnitCode, month: Month) -> RotationPlanPayload:
        try:
            planned = await apply_rotation_plan(info.context, county_code=county_code, month=month)
        except WriteRefused as refusal:
            return RotationPlanPayload(plan=None, changed=None, user_errors=to_user_errors(refusal))
        return RotationPlanPayload(plan=RotationPlan.from_plan(planned), changed=planned.changed, user_errors=[])

    @strawberry.mutation(description="Record days a bureau member cannot attend meetings (leave, training, another duty).")
    async def mark_unavailable(self, info: Info[Context, None], input: MarkUnavailableInput) -> UnavailabilityPayload:
        try:
            marked = await mark_unavailable(info.context, county_code=input.county_code, person_id=input.person_id,
                                            first_day=input.from_, last_day=input.to, reason=input.reason)
        except WriteRefused as refusal:
            return UnavailabilityPayload(unavailability=None, user_errors=to_user_errors(refusal))
        return UnavailabilityPayload(unavailability=Unavailability.from_marked(marked), user_errors=[])

    @strawberry.mutation(description="Withdraw days recorded with markUnavailable (the planner may plan the member on them again).")
    async def withdraw_unavailability(self, info: Info[Context, None], id: strawberry.ID) -> UnavailabilityPayload:
        try:
            withdrawn = await withdraw_unavailability(info.context, unavailability_id=str(id))
        except WriteRefused as refusal:
            return UnavailabilityPayload(unavailability=None, user_errors=to_user_errors(refusal))
        return UnavailabilityPayload(unavailability=Unavailability.from_marked(withdrawn), user_errors=[])
