"""Joint-meeting sessions as the API shows them: kind, status, number, local time, attendees, cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from core import meetings as service
from core.errors import WriteRefused
from core.meetings import MeetingWrite
from models import meetings as rows
from resolvers.context import Context
from resolvers.meetings import loaders
from resolvers.meetings.mutations.cancel_meeting import cancel_meeting
from resolvers.meetings.mutations.record_meeting import record_meeting
from resolvers.meetings.mutations.update_meeting import update_meeting
from resolvers.cases.queries import cases_by_meeting
from resolvers.meetings.queries import MeetingRecord, attendees_by_meeting, meetings_page, township_meetings_page
from resolvers.people.loaders import PersonByIdLoader
from resolvers.selection import SelectionTree, below
from resolvers.units.loaders import TownshipByIdLoader
from schema import alerts, cases, people, units
from schema.connections import Connection
from schema.enums import MeetingKind, MeetingStatus
from schema.errors import UserError, to_user_errors
from schema.node import Node
from schema.text_types import Note, Title, UnitCode

if TYPE_CHECKING:
    from schema.alerts import AlertEvent
    from schema.cases import Case
    from schema.people import Person
    from schema.units import Township

__all__ = [
    "Meeting", "MeetingConnection", "MeetingFilter", "MeetingMutation", "MeetingPayload", "MeetingQuery", "RecordMeetingInput",
    "UpdateMeetingInput", "meeting_connection",
]

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]
CaseRef = Annotated["Case", strawberry.lazy("schema.cases")]
AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]


@strawberry.input(description="Every given condition must hold. Dates and periods are in the county's local time.")
class MeetingFilter:
    county_code: UnitCode | None = None
    township_code: UnitCode | None = None
    kind: MeetingKind | None = None
    status: list[MeetingStatus] | None = None
    period: str | None = strawberry.field(default=None, description="A month `2023-05`, a quarter `2023-Q2` or a year `2023`.")
    held_from: date | None = strawberry.field(default=None, description="First local day included.")
    held_to: date | None = strawberry.field(default=None, description="Last local day included.")


@strawberry.type
class Meeting(Node):
    ext_id: str
    kind: MeetingKind
    status: MeetingStatus
    number: int = strawberry.field(description="第N次: numbered per township and kind.")
    held_at: datetime = strawberry.field(description="When it was (or is to be) held, in the county's time zone.")
    title: str | None
    db_id: strawberry.Private[int]
    township_db_id: strawberry.Private[int]
    prefetched: strawberry.Private[dict[str, Any] | None] = None  # relations read with the page (server/fastpath/lean_fields.py)

    @classmethod
    def from_model(cls, row: rows.Meeting | MeetingRecord, zone: ZoneInfo) -> Meeting:
        return cls(
            db_id=row.id, township_db_id=row.township_id, ext_id=row.ext_id,
            kind=row.kind, status=row.status, number=row.number, held_at=row.held_at.astimezone(zone), title=row.title,
        )

    @strawberry.field
    async def township(self, info: Info[Context, None]) -> TownshipRef:
        row = await info.context.loader(TownshipByIdLoader).load(self.township_db_id)
        assert row is not None
        return units.Township.from_model(row)

    @strawberry.field(description="People recorded as attending (bureau supervisors included).")
    async def attendees(self, info: Info[Context, None]) -> list[PersonRef]:
        if self.prefetched is not None and "attendees" in self.prefetched:
            return self.prefetched["attendees"]  # type: ignore[no-any-return]
        ids = await info.context.loader(loaders.AttendeeIdsByMeetingLoader).load(self.db_id)
        rows = await info.context.loader(PersonByIdLoader).load_many(ids)
        return [people.Person.from_model(p) for p in rows if p is not None]

    @strawberry.field(description="Disputes and petitions studied at this meeting (研究矛盾纠纷和信访问题).")
    async def cases(self, info: Info[Context, None]) -> list[CaseRef]:
        if self.prefetched is not None and "cases" in self.prefetched:
            return self.prefetched["cases"]  # type: ignore[no-any-return]
        return await cases.cases_by_ids(info.context, await info.context.loader(loaders.CaseIdsByMeetingLoader).load(self.db_id))


@strawberry.type(description="A page of meetings.")
class MeetingConnection(Connection[Meeting]):
    pass


async def meeting_connection(
    context: Context, *, filter: MeetingFilter | None, first: int | None, after: str | None,
    township: tuple[int, str] | None = None, selected: SelectionTree | None = None,
) -> MeetingConnection:
    """One page of meetings, oldest first (also `Township.meetings`, with the township's (id, code)); attendees and cases
    are read with the page when `selected` (what the query asks below the connection) includes them: a township's
    attendees in the page's own statement, otherwise one statement each."""
    node = (selected or {}).get("edges", {}).get("node", {})
    if township is not None:
        page = await township_meetings_page(context, township_id=township[0], township_code=township[1], filter=filter,
                                            first=first, after=after, with_attendees="attendees" in node)
    else:
        page = await meetings_page(context, filter=filter, first=first, after=after)
    connection = MeetingConnection.from_page(page, lambda zoned: Meeting.from_model(*zoned), selected)
    nodes = [edge.node for edge in connection.edges]
    if nodes and ("attendees" in node or "cases" in node):
        for meeting in nodes:
            meeting.prefetched = {}
        ids = [meeting.db_id for meeting in nodes]
        if "attendees" in node:
            read = {row.id: row.attendees for row, _ in page.rows if isinstance(row, MeetingRecord) and row.attendees is not None}
            attendees = read if len(read) == len(ids) else await attendees_by_meeting(ids)
            for meeting in nodes:
                meeting.prefetched["attendees"] = [people.Person.from_values(row) for row in attendees[meeting.db_id]]  # type: ignore[index]
        if "cases" in node:
            studied = await cases_by_meeting(context, ids)
            for meeting in nodes:
                meeting.prefetched["cases"] = [cases.Case.from_model(*zoned) for zoned in studied[meeting.db_id]]  # type: ignore[index]
    return connection


@strawberry.input(description="A joint meeting as the township records it (DESIGN §4).")
class RecordMeetingInput:
    township_code: UnitCode
    kind: MeetingKind
    held_at: datetime = strawberry.field(description="With its offset, e.g. 2023-05-31T23:30:00+08:00.")
    status: MeetingStatus = MeetingStatus.HELD
    title: Title | None = None
    attendee_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Person ids (bureau supervisors included).")
    case_numbers: list[str] | None = strawberry.field(default=None, description="Cases studied at the meeting.")
    number: int | None = strawberry.field(default=None, description="第N次; by default one after the township's last of this kind.")


@strawberry.input(description="Correct a recorded meeting: only the fields given change (lists are replaced whole).")
class UpdateMeetingInput:
    id: strawberry.ID
    held_at: datetime | None = strawberry.UNSET
    status: MeetingStatus | None = strawberry.UNSET
    title: Title | None = strawberry.UNSET
    attendee_ids: list[strawberry.ID] | None = strawberry.UNSET
    case_numbers: list[str] | None = strawberry.UNSET


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )

    @classmethod
    async def from_written(cls, context: Context, written: MeetingWrite) -> MeetingPayload:
        zone = await context.zone_for_township(written.meeting.township_id)  # type: ignore[attr-defined]
        return cls(
            meeting=Meeting.from_model(written.meeting, zone), user_errors=[],
            alert_changes=await alerts.alert_events(context, written.alert_changes),
        )

    @classmethod
    def refused(cls, refusal: WriteRefused) -> MeetingPayload:
        return cls(meeting=None, user_errors=to_user_errors(refusal))


def _given(value: Any) -> Any:
    """A field left out of the input (strawberry's UNSET) as the service's UNSET: it keeps its value."""
    return service.UNSET if value is strawberry.UNSET else value


@strawberry.type
class MeetingQuery:
    @strawberry.field(description="Meetings of every township, oldest first.")
    async def meetings(
        self, info: Info[Context, None], filter: MeetingFilter | None = None, first: int | None = None, after: str | None = None
    ) -> MeetingConnection:
        return await meeting_connection(info.context, filter=filter, first=first, after=after, selected=below(info))


@strawberry.type
class MeetingMutation:
    @strawberry.mutation(description="Record a joint meeting; the payload shows the alerts it resolved or raised.")
    async def record_meeting(self, info: Info[Context, None], input: RecordMeetingInput) -> MeetingPayload:
        try:
            written = await record_meeting(
                info.context, township_code=input.township_code, kind=input.kind, status=input.status, held_at=input.held_at,
                title=input.title, attendee_ids=[str(i) for i in input.attendee_ids or []], case_numbers=input.case_numbers or [],
                number=input.number,
            )
        except WriteRefused as refusal:
            return MeetingPayload.refused(refusal)
        return await MeetingPayload.from_written(info.context, written)

    @strawberry.mutation(description="Correct a meeting; fields left out keep their value, lists are replaced whole.")
    async def update_meeting(self, info: Info[Context, None], input: UpdateMeetingInput) -> MeetingPayload:
        try:
            written = await update_meeting(
                info.context, id=str(input.id), held_at=_given(input.held_at), status=_given(input.status), title=_given(input.title),
                attendee_ids=_given(input.attendee_ids), case_numbers=_given(input.case_numbers),
            )
        except WriteRefused as refusal:
            return MeetingPayload.refused(refusal)
        return await MeetingPayload.from_written(info.context, written)

    @strawberry.mutation(description="Cancel a meeting, with the reason (kept in the audit log).")
    async def cancel_meeting(self, info: Info[Context, None], id: strawberry.ID, reason: Note) -> MeetingPayload:
        try:
            written = await cancel_meeting(info.context, id=str(id), reason=reason)
        except WriteRefused as refusal:
            return MeetingPayload.refused(refusal)
        return await MeetingPayload.from_written(info.context, written)
