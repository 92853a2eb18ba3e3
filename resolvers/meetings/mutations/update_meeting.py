"""`updateMeeting`: correct a recorded meeting (time, status, title, attendees, cases); rules re-evaluated at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core import meetings
from core.meetings import UNSET, MeetingWrite
from core.writes import Problems
from models.enums import MeetingStatus
from resolvers.context import Context
from resolvers.meetings.mutations.common import meeting_db_id

Given = Any  # a value, None (given as null) or `core.meetings.UNSET` (left out: keeps its value)


async def update_meeting(
    context: Context, *, id: str, held_at: datetime | None | Given, status: MeetingStatus | None | Given,
    title: str | None | Given, attendee_ids: list[str] | None | Given, case_numbers: list[str] | None | Given,
) -> MeetingWrite:
    """The corrected meeting and the alerts it changed; fields left out (`UNSET`) keep their value, lists are replaced whole."""
    problems = Problems()
    for name, value in (("heldAt", held_at), ("status", status)):
        if value is None:
            problems.add(["input", name], "INVALID", "cannot be null")
    attendees = attendee_ids if attendee_ids is UNSET else problems.ids(attendee_ids or [], "Person", ["input", "attendeeIds"])
    return await meetings.change_meeting(
        actor=context.audit_actor, rules=context.settings.rules, meeting_id=meeting_db_id(id), action="updateMeeting", problems=problems, status=status,
        held_at=held_at, title=title, case_numbers=[] if case_numbers is None else case_numbers, attendee_ids=attendees,
    )
