"""`updateMeeting`: correct a recorded meeting (time, status, title, attendees, cases); rules re-evaluated at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.meetings.mutations.common import meeting_payload, refused
from core.meetings import UNSET, change_meeting
from core.writes import Problems
from schema.meetings import MeetingPayload, UpdateMeetingInput
from core.global_ids import from_global_id


def _given(value: object) -> object:
    return UNSET if value is strawberry.UNSET else value


@strawberry.type
class UpdateMeetingMutation:
    @strawberry.mutation(description="Correct a meeting; fields left out keep their value, lists are replaced whole.")
    async def update_meeting(self, info: Info[Context, None], input: UpdateMeetingInput) -> MeetingPayload:
        problems = Problems()
        decoded = from_global_id(str(input.id))
        for name in ("held_at", "status"):
            if getattr(input, name) is None:
                problems.add(["input", "heldAt" if name == "held_at" else "status"], "INVALID", "cannot be null")
        attendees = _given(input.attendee_ids)
        try:
            written = await change_meeting(
                actor=info.context.audit_actor, meeting_id=decoded[1] if decoded and decoded[0] == "Meeting" else 0,
                action="updateMeeting", problems=problems, status=_given(input.status), held_at=_given(input.held_at),
                title=_given(input.title), case_numbers=_given(input.case_numbers) if input.case_numbers is not None else [],
                attendee_ids=attendees if attendees is UNSET else problems.ids(attendees or [], "Person", ["input", "attendeeIds"]),  # type: ignore[arg-type]
            )
        except WriteRefused as error:
            return refused(error)
        return await meeting_payload(info.context, written)
