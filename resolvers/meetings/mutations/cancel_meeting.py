"""`cancelMeeting`: a recorded meeting did not take place; it stops counting and the rules are re-evaluated."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from models.enums import MeetingStatus
from resolvers.context import Context
from core.errors import WriteRefused
from resolvers.meetings.mutations.common import meeting_payload, refused
from core.meetings import change_meeting
from core.writes import Problems
from schema.meetings import MeetingPayload
from core.global_ids import from_global_id


@strawberry.type
class CancelMeetingMutation:
    @strawberry.mutation(description="Cancel a meeting, with the reason (kept in the audit log).")
    async def cancel_meeting(self, info: Info[Context, None], id: strawberry.ID, reason: str) -> MeetingPayload:
        decoded = from_global_id(str(id))
        try:
            written = await change_meeting(
                actor=info.context.audit_actor, meeting_id=decoded[1] if decoded and decoded[0] == "Meeting" else 0,
                action="cancelMeeting", problems=Problems(), status=MeetingStatus.CANCELLED, reason=reason, id_field=("id",),
            )
        except WriteRefused as error:
            return refused(error)
        return await meeting_payload(info.context, written)
