"""Small factories for rule tests: build a county's units, people, roles, rotation, meetings and cases via the ORM."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from models.cases import Case, CaseEvent
from rules.case_timeline import derive_state
from models.enums import (
    CaseCategory,
    CaseChannel,
    CaseEventType,
    CaseKind,
    CaseLevel,
    MeetingKind,
    MeetingStatus,
    Role,
    TownshipKind,
    VillageKind,
)
from models.meetings import Meeting
from models.people import Person, RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Grid, HouseholdGroup, JointMeeting, Township, Village

SHANGHAI = ZoneInfo("Asia/Shanghai")
_ids = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An instant in Luodian's local time (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


async def person(name: str | None = None) -> Person:
    n = next(_ids)
    return await Person.create(ext_id=f"P{n}", name=name or f"人员{n}")


async def county(code: str = "522728", name: str = "罗甸县", timezone: str = "Asia/Shanghai") -> County:
    return await County.create(code=code, name=name, timezone=timezone)


async def township(
    parent: County, code: str = "522728109", name: str = "沫阳镇", established_on: date | None = date(2023, 1, 1)
) -> Township:
    unit = await Township.create(code=code, name=name, kind=TownshipKind.TOWN, county=parent)
    if established_on is not None:
        await JointMeeting.create(township=unit, established_on=established_on)
    return unit


async def village(parent: Township, suffix: str = "201", name: str = "江亭村") -> Village:
    return await Village.create(code=parent.code + suffix, name=name, kind=VillageKind.VILLAGE, township=parent)


async def bureau(parent: County, role: Role, who: Person | None = None, **valid: date | None) -> Person:
    who = who or await person()
    await RoleAssignment.create(person=who, role=role, county=parent, **valid)
    return who


async def supervise(leader: Person, unit: Township, valid_from: date, valid_to: date | None = None) -> None:
    await SupervisionAssignment.create(leader=leader, township=unit, valid_from=valid_from, valid_to=valid_to)


async def meeting(
    unit: Township,
    held_at: datetime,
    kind: MeetingKind = MeetingKind.THEMATIC,
    status: MeetingStatus = MeetingStatus.HELD,
    attendees: list[Person] | None = None,
) -> Meeting:
    number = await Meeting.filter(township=unit, kind=kind).count() + 1
    row = await Meeting.create(
        ext_id=f"M{next(_ids)}", township=unit, kind=kind, status=status, number=number, held_at=held_at
    )
    if attendees:
        await row.attendees.add(*attendees)
    return row


async def case(
    parent: Village,
    reported_at: datetime,
    kind: CaseKind = CaseKind.DISPUTE,
    level: CaseLevel = CaseLevel.VILLAGE,
    number: str | None = None,
    events: list[tuple[CaseEventType, datetime, dict[str, Any]]] = (),  # type: ignore[assignment]
) -> Case:
    state = derive_state(level, [(t, kw.get("to_level")) for t, _, kw in events])
    row = await Case.create(
        number=number or f"C{next(_ids)}",
        kind=kind,
        category=CaseCategory.LAND,
        channel=CaseChannel.HOME_VISIT,
        village=parent,
        township_id=parent.township_id,
        reported_level=level,
        level=state.level,
        status=state.status,
        reported_at=reported_at,
        title="土地边界纠纷",
    )
    for seq, (event_type, at, kw) in enumerate(events, start=1):
        await CaseEvent.create(case=row, seq=seq, type=event_type, at=at, **kw)
    return row


async def add_event(row: Case, event_type: CaseEventType, at: datetime, **kw: Any) -> None:
    seq = await CaseEvent.filter(case=row).count() + 1
    await CaseEvent.create(case=row, seq=seq, type=event_type, at=at, **kw)


async def grid(parent: Village, suffix: str = "01", worker: Person | None = None, **valid: date | None) -> Grid:
    row = await Grid.create(code=parent.code + suffix, name=f"第{suffix}网格", village=parent)
    if worker is not None:
        await RoleAssignment.create(person=worker, role=Role.GRID_WORKER, grid=row, **valid)
    return row


async def household_group(parent: Grid, suffix: str = "01", head: Person | None = None, **valid: date | None) -> HouseholdGroup:
    row = await HouseholdGroup.create(code=parent.code + suffix, grid=parent, households=7)
    if head is not None:
        await RoleAssignment.create(person=head, role=Role.HOUSEHOLD_HEAD, household_group=row, **valid)
    return row


@dataclass
class World:
    county: County
    township: Township
    village: Village
    head: Person
    leader: Person
    staff: Person

    @property
    def team(self) -> list[Person]:
        """A supervising team: the assigned leadership member + a business staff member."""
        return [self.leader, self.staff]


async def world(established_on: date = date(2023, 1, 1)) -> World:
    """罗甸县 with 沫阳镇 (joint meeting established 2023-01-01), 江亭村, a bureau head, a leader assigned to the township, and a staff member."""
    c = await county()
    t = await township(c, established_on=established_on)
    v = await village(t)
    head = await bureau(c, Role.BUREAU_HEAD, await person("黄元吉"))
    leader = await bureau(c, Role.BUREAU_LEADER, await person("领导甲"))
    staff = await bureau(c, Role.BUREAU_STAFF, await person("业务员乙"))
    await supervise(leader, t, date(2023, 1, 1))
    return World(county=c, township=t, village=v, head=head, leader=leader, staff=staff)


async def compliant_month(w: World, year: int, month: int, unit: Township | None = None) -> None:
    """Two supervised thematic meetings in the month (10th and 20th, 09:00 local)."""
    for day in (10, 20):
        await meeting(unit or w.township, local(year, month, day, 9), attendees=w.team)
