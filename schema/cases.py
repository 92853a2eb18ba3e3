"""Disputes and petitions as the API shows them: state derived from the timeline, parties, events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import strawberry
from strawberry.types import Info

from core.cases import CaseWrite, PartyInput
from core.errors import WriteRefused
from core.viewer import mask_id_number, mask_name, mask_phone, sees_personal_data
from models import cases as rows
from resolvers import permissions
from resolvers.cases import loaders
from resolvers.cases.mutations.add_case_event import add_case_event
from resolvers.cases.mutations.report_case import report_case
from resolvers.cases.queries import cases_page, visible_cases
from resolvers.context import Context
from resolvers.meetings.queries import meetings_of_case
from resolvers.people.loaders import PersonByIdLoader
from resolvers.units.loaders import TownshipByIdLoader, VillageByIdLoader
from schema import alerts, meetings, people, units
from schema.connections import Connection
from schema.enums import CaseCategory, CaseChannel, CaseEventType, CaseKind, CaseLevel, CaseOutcome, CaseStatus
from schema.errors import UserError, to_user_errors
from schema.node import Node
from schema.text_types import IdNumber, Note, PersonName, Phone, Title, UnitCode

if TYPE_CHECKING:
    from schema.alerts import AlertEvent
    from schema.meetings import Meeting
    from schema.people import Person
    from schema.units import Township, Village

__all__ = ["Case", "CaseConnection", "CaseFilter", "CaseMutation", "CaseQuery", "case_connection", "cases_by_ids"]

PersonRef = Annotated["Person", strawberry.lazy("schema.people")]
AlertEventRef = Annotated["AlertEvent", strawberry.lazy("schema.alerts")]
TownshipRef = Annotated["Township", strawberry.lazy("schema.units")]
VillageRef = Annotated["Village", strawberry.lazy("schema.units")]
MeetingRef = Annotated["Meeting", strawberry.lazy("schema.meetings")]


@strawberry.input(description="Every given condition must hold. Dates and periods are in the county's local time.")
class CaseFilter:
    county_code: UnitCode | None = None
    township_code: UnitCode | None = None
    village_code: UnitCode | None = None
    kind: CaseKind | None = None
    status: list[CaseStatus] | None = None
    level: CaseLevel | None = None
    category: CaseCategory | None = None
    period: str | None = strawberry.field(default=None, description="Reported in month `2023-05`, quarter `2023-Q2` or year `2023`.")
    reported_from: date | None = None
    reported_to: date | None = None


@strawberry.type(description="A party to a case. Personal information: masked (张*, 139****0000, 5227**********1234) for auditors.")
class CaseParty:
    name: str
    phone: str | None
    id_number: str | None

    @classmethod
    def from_model(cls, row: rows.CaseParty, *, clear: bool) -> CaseParty:
        """`clear`: the viewer may see this party's personal data (sees_personal_data)."""
        if clear:
            return cls(name=row.name, phone=row.phone, id_number=row.id_number)
        return cls(
            name=mask_name(row.name), phone=mask_phone(row.phone),
            id_number=mask_id_number(row.id_number),
        )


@strawberry.type
class CaseEvent:
    seq: int
    type: CaseEventType
    at: datetime
    to_level: CaseLevel | None
    days: int | None
    outcome: CaseOutcome | None
    note: str | None
    approver_db_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: rows.CaseEvent, zone: ZoneInfo) -> CaseEvent:
        return cls(
            seq=row.seq, type=row.type, at=row.at.astimezone(zone), to_level=row.to_level, days=row.days,
            outcome=row.outcome, note=row.note, approver_db_id=row.approver_id,
        )

    @strawberry.field(description="Who approved an extension (the agency head).")
    async def approver(self, info: Info[Context, None]) -> PersonRef | None:
        if self.approver_db_id is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(self.approver_db_id)
        return people.Person.from_model(row) if row else None


@strawberry.type
class Case(Node):
    number: str
    kind: CaseKind
    category: CaseCategory
    channel: CaseChannel
    level: CaseLevel = strawberry.field(description="Current level, after escalations.")
    reported_level: CaseLevel
    status: CaseStatus = strawberry.field(description="Derived from the event timeline.")
    reported_at: datetime
    title: str
    db_id: strawberry.Private[int]
    village_db_id: strawberry.Private[int]
    township_db_id: strawberry.Private[int]
    zone: strawberry.Private[ZoneInfo]

    @classmethod
    def from_model(cls, row: rows.Case, zone: ZoneInfo) -> Case:
        return cls(
            db_id=row.id, village_db_id=row.village_id, township_db_id=row.township_id,
            zone=zone, number=row.number, kind=row.kind, category=row.category, channel=row.channel, level=row.level,
            reported_level=row.reported_level, status=row.status, reported_at=row.reported_at.astimezone(zone), title=row.title,
        )

    @strawberry.field
    async def village(self, info: Info[Context, None]) -> VillageRef:
        row = await info.context.loader(VillageByIdLoader).load(self.village_db_id)
        assert row is not None
        return units.Village.from_model(row)

    @strawberry.field(description="Null outside the token's jurisdiction (a village token cannot read its township).")
    async def township(self, info: Info[Context, None]) -> TownshipRef | None:
        row = await info.context.loader(TownshipByIdLoader).load(self.township_db_id)
        return units.Township.from_model(row) if row and permissions.sees(info.context, row.code) else None

    @strawberry.field
    async def parties(self, info: Info[Context, None]) -> list[CaseParty]:
        village = await info.context.loader(VillageByIdLoader).load(self.village_db_id)
        clear = sees_personal_data(info.context.viewer, village.code if village else None)
        return [CaseParty.from_model(p, clear=clear) for p in await info.context.loader(loaders.PartiesByCaseLoader).load(self.db_id)]

    @strawberry.field(description="The append-only timeline, in order.")
    async def events(self, info: Info[Context, None]) -> list[CaseEvent]:
        events = await info.context.loader(loaders.EventsByCaseLoader).load(self.db_id)
        return [CaseEvent.from_model(e, self.zone) for e in events]

    @strawberry.field(description="Joint meetings that studied this case (those inside the token's jurisdiction).")
    async def meetings(self, info: Info[Context, None]) -> list[MeetingRef]:
        return [meetings.Meeting.from_model(m, self.zone) for m in await meetings_of_case(info.context, self.db_id)]


@strawberry.type(description="A page of cases.")
class CaseConnection(Connection[Case]):
    pass


async def case_connection(
    context: Context, *, filter: CaseFilter | None, first: int | None, after: str | None,
    township_id: int | None = None, village_id: int | None = None,
) -> CaseConnection:
    """One page of cases, oldest report first (also `Township.cases`, `Village.cases`, with their ids)."""
    page = await cases_page(context, filter=filter, first=first, after=after, township_id=township_id, village_id=village_id)
    return CaseConnection.from_page(page, lambda zoned: Case.from_model(*zoned))


async def cases_by_ids(context: Context, ids: Sequence[int]) -> list[Case]:
    """Cases for these ids that the viewer may see, in the given order, shown in their township's time zone."""
    return [Case.from_model(row, zone) for row, zone in await visible_cases(context, ids)]


@strawberry.input(description="A party to a case; personal data, masked outside the jurisdiction.")
class CasePartyInput:
    name: PersonName
    phone: Phone | None = None
    id_number: IdNumber | None = None


@strawberry.input(description="A dispute or petition as it is first reported.")
class ReportCaseInput:
    village_code: UnitCode
    kind: CaseKind
    category: CaseCategory
    channel: CaseChannel
    reported_at: datetime = strawberry.field(description="With its offset; deadlines count from the local day after.")
    title: Title
    level: CaseLevel = CaseLevel.VILLAGE
    parties: list[CasePartyInput] | None = None
    number: str | None = strawberry.field(default=None, description="By default `<villageCode>-<year>-<random>`.")


@strawberry.input(description="One timeline event; each type takes its own fields (DESIGN §5 event types).")
class AddCaseEventInput:
    case_number: str
    type: CaseEventType
    at: datetime
    to_level: CaseLevel | None = strawberry.field(default=None, description="ESCALATED: the level above the current one.")
    days: int | None = strawberry.field(default=None, description="EXTENDED: 1–30 days in all, on an accepted petition.")
    approver_id: strawberry.ID | None = strawberry.field(default=None, description="EXTENDED: the person who approved it.")
    outcome: CaseOutcome | None = strawberry.field(default=None, description="RESOLVED: how.")
    note: Note | None = None


@strawberry.type
class CasePayload:
    case: Case | None
    user_errors: list[UserError]
    alert_changes: list[AlertEventRef] = strawberry.field(
        default_factory=list, description="Alerts this write raised, resolved or reopened (committed with it)."
    )

    @classmethod
    async def from_written(cls, context: Context, written: CaseWrite) -> CasePayload:
        zone = await context.zone_for_township(written.case.township_id)  # type: ignore[attr-defined]
        return cls(case=Case.from_model(written.case, zone), user_errors=[], alert_changes=await alerts.alert_events(context, written.alert_changes))

    @classmethod
    def refused(cls, refusal: WriteRefused) -> CasePayload:
        return cls(case=None, user_errors=to_user_errors(refusal))


@strawberry.type
class CaseQuery:
    @strawberry.field(description="Disputes and petitions, oldest report first.")
    async def cases(
        self, info: Info[Context, None], filter: CaseFilter | None = None, first: int | None = None, after: str | None = None
    ) -> CaseConnection:
        return await case_connection(info.context, filter=filter, first=first, after=after)


@strawberry.type
class CaseMutation:
    @strawberry.mutation(description="Report a case; the payload shows the alerts its evaluation changed.")
    async def report_case(self, info: Info[Context, None], input: ReportCaseInput) -> CasePayload:
        try:
            written = await report_case(
                info.context, number=input.number, kind=input.kind, category=input.category, channel=input.channel,
                village_code=input.village_code, level=input.level, reported_at=input.reported_at, title=input.title,
                parties=[PartyInput(p.name, p.phone, p.id_number) for p in input.parties or []],
            )
        except WriteRefused as refusal:
            return CasePayload.refused(refusal)
        return await CasePayload.from_written(info.context, written)

    @strawberry.mutation(description="Append an event to a case's timeline (append-only; the state machine is enforced).")
    async def add_case_event(self, info: Info[Context, None], input: AddCaseEventInput) -> CasePayload:
        try:
            written = await add_case_event(
                info.context, case_number=input.case_number, type=input.type, at=input.at, to_level=input.to_level, days=input.days,
                approver_id=str(input.approver_id) if input.approver_id else None, outcome=input.outcome, note=input.note,
            )
        except WriteRefused as refusal:
            return CasePayload.refused(refusal)
        return await CasePayload.from_written(info.context, written)
