"""Shared by the meeting mutations: the payload of a write, or of a refusal."""

from __future__ import annotations

from resolvers.alerts.events import alert_changes
from resolvers.context import Context
from core.errors import WriteRefused
from core.meetings import MeetingWrite
from schema.errors import to_user_errors
from schema.meetings import Meeting, MeetingPayload


async def meeting_payload(context: Context, written: MeetingWrite) -> MeetingPayload:
    zone = await context.zone_for_township(written.meeting.township_id)  # type: ignore[attr-defined]
    return MeetingPayload(
        meeting=Meeting.from_model(written.meeting, zone),
        alert_changes=await alert_changes(context.viewer, written.alert_changes),
        user_errors=[],
    )


def refused(error: WriteRefused) -> MeetingPayload:
    return MeetingPayload(meeting=None, alert_changes=[], user_errors=to_user_errors(error))
