"""`recordMeeting`: a township records a thematic or plenary session; its rules are re-evaluated at once."""

from __future__ import annotations

from datetime import datetime

from core import meetings
from core.meetings import MeetingWrite
from core.writes import Problems
from models.enums import MeetingKind, MeetingStatus
from resolvers.context import Context


async def record_meeting(
    context: Context, *, township_code: str, kind: MeetingKind, status: MeetingStatus, held_at: datetime, title: str | None,
    attendee_ids: list[str], case_numbers: list[str], number: int | None,
) -> MeetingWrite:
    """The recorded meeting and the alerts it changed; refuses (`WriteRefused`) with every problem of the input."""
    problems = Problems()
    attendees = problems.ids(attendee_ids, "Person", ["input", "attendeeIds"])
    return await meetings.record_meeting(
        actor=context.audit_actor, rules=context.settings.rules, township_code=township_code, kind=kind, status=status, held_at=held_at, title=title,
        attendee_ids=attendees, case_numbers=case_numbers, number=number, problems=problems,
    )
