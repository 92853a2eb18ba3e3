"""`cancelMeeting`: a recorded meeting did not take place; it stops counting and the rules are re-evaluated."""

from __future__ import annotations

from core import meetings
from core.meetings import MeetingWrite
from core.writes import Problems
from models.enums import MeetingStatus
from resolvers.context import Context
from resolvers.meetings.mutations.common import meeting_db_id


async def cancel_meeting(context: Context, *, id: str, reason: str) -> MeetingWrite:
    """The cancelled meeting and the alerts it changed; the reason is kept in the audit log."""
    return await meetings.change_meeting(
        actor=context.audit_actor, rules=context.settings.rules, meeting_id=meeting_db_id(id), action="cancelMeeting", problems=Problems(),
        status=MeetingStatus.CANCELLED, reason=reason, id_field=("id",),
    )
