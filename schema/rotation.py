"""The rotation planner (分片联系): a proposed month of supervision visits, what cannot be covered and why."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.errors import UserError

if TYPE_CHECKING:
    from schema.meetings import Meeting
    from schema.people import Person

MeetingRef = Annotated["Meeting", strawberry.lazy("schema.meetings")]
PersonRef = Annotated["Person", strawberry.lazy("schema.people")]


@strawberry.enum(description="Why a township cannot be covered this month.")
class RotationGapReason(StrEnum):
    NO_SCHEDULED_MEETING = "NO_SCHEDULED_MEETING"
    NO_LEADER_AVAILABLE = "NO_LEADER_AVAILABLE"
    NO_STAFF_AVAILABLE = "NO_STAFF_AVAILABLE"
    NO_CAPACITY = "NO_CAPACITY"


@strawberry.type(description="A leader and a staff member planned at one township's thematic meeting.")
class RotationVisit:
    township_code: str
    township_name: str
    meeting: MeetingRef
    leader: PersonRef
    staff: PersonRef
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


@strawberry.type
class RotationPlanPayload:
    plan: RotationPlan | None
    user_errors: list[UserError]


@strawberry.input(description="A bureau member cannot attend meetings on these local days (inclusive).")
class MarkUnavailableInput:
    county_code: str
    person_id: strawberry.ID
    from_: date = strawberry.field(name="from")
    to: date
    reason: str | None = None


@strawberry.type(description="Days a bureau member cannot attend meetings.")
class Unavailability:
    person: PersonRef
    from_: date = strawberry.field(name="from")
    to: date
    reason: str | None


@strawberry.type
class UnavailabilityPayload:
    unavailability: Unavailability | None
    user_errors: list[UserError]
