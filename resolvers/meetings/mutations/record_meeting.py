"""`recordMeeting`: a township records a thematic or plenary session; its rules are re-evaluated at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.meetings.mutations.common import meeting_payload, refused
from core.meetings import record_meeting
from core.writes import Problems
from schema.meetings import MeetingPayload, RecordMeetingInput


@strawberry.type
class RecordMeetingMutation:
    @strawberry.mutation(description="Record a joint meeting; the payload shows the alerts it resolved or raised.")
    async def record_meeting(self, info: Info[Context, None], input: RecordMeetingInput) -> MeetingPayload:
        problems = Problems()
        attendee_ids = problems.ids(input.attendee_ids or [], "Person", ["input", "attendeeIds"])
        try:
            written = await record_meeting(
                actor=info.context.audit_actor, township_code=input.township_code, kind=input.kind, status=input.status,
                held_at=input.held_at, title=input.title, attendee_ids=attendee_ids,
                case_numbers=input.case_numbers or [], number=input.number, problems=problems,
            )
        except WriteRefused as error:
            return refused(error)
        return await meeting_payload(info.context, written)
