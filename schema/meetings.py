"""Joint-meeting sessions as the API shows them: kind, status, number, local time, attendees, cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from models import meetings as rows
from resolvers.context import Context
from resolvers.meetings import loaders
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units.loaders import TownshipByIdLoader
from schema.connections import Connection
from schema.enums import MeetingKind, MeetingStatus
from schema.errors import UserError
from schema.node import Node
from core.global_ids import to_global_id

if TYPE_CHECKING:
    from schema.alerts import AlertEvent
    from schema.cases import Case
    from schema.people import Person
    from schema.units import Township

__all__ = ["MeetingConnection", "Meeting", "MeetingFilter", "MeetingPayload", "RecordMeetingInput", "UpdateMeetingInput"]

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]
CaseRef = Annotated["Case", strawberry.lazy("schema.cases")]
AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]


@strawberry.input(description="Every given condition must hold. Dates and periods are in the county's local time.")
class MeetingFilter:
    county_code: str | None = None
    township_code: str | None = None
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

    @classmethod
    def from_model(cls, row: rows.Meeting, zone: ZoneInfo) -> Meeting:
        return cls(
            id=to_global_id("Meeting", row.id), db_id=row.id, township_db_id=row.township_id, ext_id=row.ext_id,
            kind=row.kind, status=row.status, number=row.number, held_at=row.held_at.astimezone(zone), title=row.title,
        )

    @strawberry.field
    async def township(self, info: Info[Context, None]) -> TownshipRef:
        from schema.units import Township

        row = await info.context.loader(TownshipByIdLoader).load(self.township_db_id)
        assert row is not None
        return Township.from_model(row)

    @strawberry.field(description="People recorded as attending (bureau supervisors included).")
    async def attendees(self, info: Info[Context, None]) -> list[PersonRef]:
        from schema.people import Person

        ids = await info.context.loader(loaders.AttendeeIdsByMeetingLoader).load(self.db_id)
        people = await info.context.loader(PersonByIdLoader).load_many(ids)
        return [Person.from_model(p) for p in people if p is not None]

    @strawberry.field(description="Disputes and petitions studied at this meeting (研究矛盾纠纷和信访问题).")
    async def cases(self, info: Info[Context, None]) -> list[CaseRef]:
        from resolvers.cases.queries import cases_by_ids

        return await cases_by_ids(info, await info.context.loader(loaders.CaseIdsByMeetingLoader).load(self.db_id))


@strawberry.type(description="A page of meetings.")
class MeetingConnection(Connection[Meeting]):
    pass


@strawberry.input(description="A joint meeting as the township records it (DESIGN §4).")
class RecordMeetingInput:
    township_code: str
    kind: MeetingKind
    held_at: datetime = strawberry.field(description="With its offset, e.g. 2023-05-31T23:30:00+08:00.")
    status: MeetingStatus = MeetingStatus.HELD
    title: str | None = None
    attendee_ids: list[strawberry.ID] | None = strawberry.field(default=None, description="Person ids (bureau supervisors included).")
    case_numbers: list[str] | None = strawberry.field(default=None, description="Cases studied at the meeting.")
    number: int | None = strawberry.field(default=None, description="第N次; by default one after the township's last of this kind.")


@strawberry.input(description="Correct a recorded meeting: only the fields given change (lists are replaced whole).")
class UpdateMeetingInput:
    id: strawberry.ID
    held_at: datetime | None = strawberry.UNSET
    status: MeetingStatus | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    attendee_ids: list[strawberry.ID] | None = strawberry.UNSET
    case_numbers: list[str] | None = strawberry.UNSET


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )
