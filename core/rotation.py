"""The rotation planner's data (meetings, bureau, unavailability, standing 分片), the plan, and writing it.

The plan is written as the attendance plan of the SCHEDULED meetings (their attendees): a scheduled
meeting's attendees are who is expected; when the township records the meeting as HELD
(`updateMeeting`), the attendees it confirms count for `supervision.monthly_coverage`. No rule reads
a scheduled meeting's attendees, so applying a plan changes no alert.

Bookkeeping: an attendee row the plan writes carries the month it was planned for
(`meeting_attendee.planned_for`); rows people recorded (recordMeeting, updateMeeting, an import) carry
none. Applying a month's plan again replaces the rows earlier plans of that month put on its
scheduled meetings and never touches recorded ones; when nothing would change it writes nothing.

The solve runs in the worker process (`core.solver_pool`) and before the write transaction: the
county's lock is held only to check that the inputs are still those the plan was made from, and
to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models.enums import SUPERVISING_ROLES, MeetingKind, MeetingStatus, Role
from models.meetings import Meeting
from models.people import Person, RoleAssignment, held_during, held_on
from models.rotation import Unavailability
from models.select_any import any_of
from models.supervision import SupervisionAssignment
from models.units import County, Township
from rules.catalog import PERIOD_MONTH
from rules.periods import Period, local_midnight, parse_period
from rules.config import RulesConfig
from rules.rotation import MAX_MEETINGS_PER_TOWNSHIP, Plan, PlanInput, PlanMeeting
from core.audit import Actor, record_audit
from core.meetings import snapshot
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY
from core.solver_pool import solve_rotation
from core.transaction import alert_transaction
from core.writes import Problems

CAP_RULE, CAP_PARAMETER = "supervision.monthly_coverage", "leader_cap"


MONTH_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}")  # ASCII digits: `\\d` also matches full-width and Arabic-Indic ones
APPLY_ATTEMPTS = 3  # inputs changed between the solve and the lock: plan again, at most this often


@dataclass(frozen=True, slots=True)
class MonthInputs:
    """What the planner is given, read from the database, and the meetings behind it."""

    data: PlanInput
    meetings: dict[int, Meeting]  # the meetings considered (at most MAX_MEETINGS_PER_TOWNSHIP per township)
    left_out: int  # SCHEDULED thematic meetings beyond the cap, not considered


@dataclass(frozen=True, slots=True)
class MonthPlan:
    county: County
    month: str
    zone: ZoneInfo
    leader_cap: int
    plan: Plan
    meetings: dict[int, Meeting]
    people: dict[int, Person]
    townships: dict[str, str]
    left_out: int = 0
    changed: bool | None = None  # applyRotationPlan: did the apply write anything (None: a proposal)


def _in_force(rows: list[RoleAssignment], first: date, last: date) -> set[int]:
    return {r.person_id for r in rows if held_during(r.valid_from, r.valid_to, first, last)}  # type: ignore[attr-defined]


async def _county_month(*, county_code: str, month: str, problems: Problems) -> tuple[County, Period]:
    """The county and the month asked for, or the problems (NOT_FOUND county, INVALID month)."""
    county = await County.filter(code=county_code).first()
    if county is None:
        problems.add(["countyCode"], "NOT_FOUND", NO_COUNTY)
        problems.check()
    assert county is not None
    try:
        period = parse_period(month, ZoneInfo(county.timezone)) if MONTH_SHAPE.fullmatch(month) else None
    except ValueError:
        period = None
    if period is None or period.kind != PERIOD_MONTH or not FIRST_YEAR < period.first.year < LAST_YEAR:
        problems.add(["month"], "INVALID", f"expected a month YYYY-MM (ASCII digits, {FIRST_YEAR + 1}–{LAST_YEAR - 1}); got {month!r}")
        problems.check()
    assert period is not None
    return county, period


async def _scheduled(county: County, period: Period, zone: ZoneInfo, township_ids: list[int]) -> tuple[list[int], int]:
    """The SCHEDULED thematic meetings considered (the earliest `MAX_MEETINGS_PER_TOWNSHIP` of each township, read
    by the database with a LIMIT each) and how many the month has in all: a flooded month costs a count, not its rows."""
    month = Meeting.filter(township__county_id=county.id, kind=MeetingKind.THEMATIC, status=MeetingStatus.SCHEDULED,
                           held_at__gte=local_midnight(period.first, zone).astimezone(UTC),
                           held_at__lt=local_midnight(period.end_day, zone).astimezone(UTC))
    considered: list[int] = []
    for township_id in township_ids:
        considered += await month.filter(township_id=township_id).order_by("held_at", "id").limit(MAX_MEETINGS_PER_TOWNSHIP
                                                                                                 ).values_list("id", flat=True)
    return considered, await month.count()


async def _inputs(*, rules: RulesConfig, county: County, period: Period) -> MonthInputs:
    """The planner's input for the county-month (reads only)."""
    zone = ZoneInfo(county.timezone)
    first, last = period.first, period.last
    units = await Township.filter(county_id=county.id).order_by("code").values_list("id", "code", "name")
    townships = {code: name for _, code, name in units}
    considered, scheduled = await _scheduled(county, period, zone, [unit_id for unit_id, _, _ in units])
    rows = await Meeting.filter(id__in=considered).order_by("id").prefetch_related("township", "attendees") if considered else []
    roles = await RoleAssignment.filter(county_id=county.id, role__in=[r.value for r in (*SUPERVISING_ROLES, Role.BUREAU_STAFF)])
    leaders = _in_force([r for r in roles if r.role in SUPERVISING_ROLES], first, last)
    staff = _in_force([r for r in roles if r.role == Role.BUREAU_STAFF], first, last) - leaders
    unavailable: dict[int, set[date]] = {}
    for away in await Unavailability.filter(county_id=county.id, first_day__lte=last, last_day__gte=first):
        day = max(away.first_day, first)
        while day <= min(away.last_day, last):
            unavailable.setdefault(away.person_id, set()).add(day)  # type: ignore[attr-defined]
            day += timedelta(days=1)
    standing_by_township: dict[str, list[SupervisionAssignment]] = {}
    for s in await SupervisionAssignment.filter(township__county_id=county.id, valid_from__lte=last).prefetch_related("township"):
        standing_by_township.setdefault(s.township.code, []).append(s)
    meetings: list[PlanMeeting] = []
    standing: dict[int, set[int]] = {}
    planned: dict[int, set[int]] = {}
    for row in rows:
        local = row.held_at.astimezone(zone)
        meetings.append(PlanMeeting(row.id, row.township.code, local.date(), "AM" if local.hour < 12 else "PM"))
        standing[row.id] = {s.leader_id for s in standing_by_township.get(row.township.code, [])  # type: ignore[attr-defined]
                            if held_on(s.valid_from, s.valid_to, local.date())}
        planned[row.id] = {p.id for p in row.attendees} & (leaders | staff)
    cap = int(rules.for_county(county.code).params(CAP_RULE)[CAP_PARAMETER])
    data = PlanInput(townships=townships, meetings=meetings, leaders=sorted(leaders), staff=sorted(staff),
                     unavailable=unavailable, standing=standing, planned=planned, leader_cap=cap)
    return MonthInputs(data, {m.id: m for m in rows}, scheduled - len(considered))


async def _solved(*, county: County, period: Period, inputs: MonthInputs) -> MonthPlan:
    """Solve in the worker process (the event loop and any lock stay free meanwhile)."""
    plan = await solve_rotation(inputs.data)
    people_ids = {p for v in plan.visits for p in (v.leader_id, v.staff_id)}
    people = {p.id: p for p in await Person.filter(id__in=sorted(people_ids))} if people_ids else {}
    return MonthPlan(county, period.label, ZoneInfo(county.timezone), inputs.data.leader_cap, plan, inputs.meetings, people,
                     inputs.data.townships, inputs.left_out)


async def month_plan(*, rules: RulesConfig, county_code: str, month: str, problems: Problems) -> MonthPlan:
    """Propose the month's plan for a county (reads only)."""
    county, period = await _county_month(county_code=county_code, month=month, problems=problems)
    return await _solved(county=county, period=period, inputs=await _inputs(rules=rules, county=county, period=period))


def _marks(db: BaseDBAsyncClient, count: int) -> list[str]:
    return [f"${n}" for n in range(1, count + 1)] if db.capabilities.dialect == "postgres" else ["?"] * count


async def _attendance(db: BaseDBAsyncClient, *, county: County, month: str, meeting_ids: list[int]) -> dict[tuple[int, int], str | None]:
    """(meeting, person) → the month a plan put the row there for (None: recorded by people): every row of the
    meetings considered, and the rows earlier plans of this month put on the county's still-SCHEDULED meetings
    (wherever they are now; a meeting since HELD keeps its attendees)."""
    marks = _marks(db, 3)
    within, parameter = any_of(db, '"meeting_attendee"."meeting_id"', meeting_ids, mark=4)
    sql = ('SELECT "meeting_attendee"."meeting_id" AS "meeting_id", "meeting_attendee"."person_id" AS "person_id", '
           '"meeting_attendee"."planned_for" AS "planned_for" FROM "meeting_attendee" '
           'JOIN "meeting" ON "meeting"."id" = "meeting_attendee"."meeting_id" '
           'JOIN "township" ON "township"."id" = "meeting"."township_id" '
           f'WHERE "township"."county_id" = {marks[0]} AND (("meeting_attendee"."planned_for" = {marks[1]} '
           f'AND "meeting"."status" = {marks[2]}) OR {within})')
    rows = (await db.execute_query(sql, [county.id, month, MeetingStatus.SCHEDULED.value, parameter]))[1]
    return {(int(r["meeting_id"]), int(r["person_id"])): r["planned_for"] for r in rows}


async def _write(db: BaseDBAsyncClient, *, actor: Actor, planned: MonthPlan, inputs: MonthInputs) -> bool:
    """Make the month's planned attendees those of this plan; False (nothing written) when they already are."""
    current = await _attendance(db, county=planned.county, month=planned.month, meeting_ids=sorted(inputs.meetings))
    desired = {(v.meeting_id, p) for v in planned.plan.visits for p in (v.leader_id, v.staff_id)}
    drop = sorted(key for key, month in current.items() if month is not None and key not in desired)
    add = sorted(key for key in desired if key not in current)
    if not drop and not add:
        return False
    touched = sorted({meeting_id for meeting_id, _ in (*drop, *add)})
    meetings = {m.id: m for m in await Meeting.filter(id__in=touched)}
    before = {meeting_id: await snapshot(meetings[meeting_id]) for meeting_id in touched}
    delete = 'DELETE FROM "meeting_attendee" WHERE "meeting_id" = {} AND "person_id" = {} AND "planned_for" IS NOT NULL'
    insert = 'INSERT INTO "meeting_attendee" ("meeting_id", "person_id", "planned_for") VALUES ({}, {}, {})'
    for meeting_id, person_id in drop:
        await db.execute_query(delete.format(*_marks(db, 2)), [meeting_id, person_id])
    for meeting_id, person_id in add:
        await db.execute_query(insert.format(*_marks(db, 3)), [meeting_id, person_id, planned.month])
    for meeting_id in touched:
        meeting = meetings[meeting_id]
        await record_audit(actor=actor, action="applyRotationPlan", entity="meeting", entity_key=meeting.ext_id,
                           county_code=planned.county.code, before=before[meeting_id],
                           after=await snapshot(meeting) | {"month": planned.month})
    return True


async def apply_month_plan(*, actor: Actor, rules: RulesConfig, county_code: str, month: str, problems: Problems) -> MonthPlan:
    """Plan (outside any lock), then under the county's lock check that the inputs are unchanged and write the
    difference from the month's earlier plan (audited per meeting touched); `changed` says whether anything was."""
    county, period = await _county_month(county_code=county_code, month=month, problems=problems)
    for _ in range(APPLY_ATTEMPTS):
        inputs = await _inputs(rules=rules, county=county, period=period)
        planned = await _solved(county=county, period=period, inputs=inputs)
        async with alert_transaction(county_code=county.code) as scope:
            now = await _inputs(rules=rules, county=county, period=period)
            if now.data == inputs.data and now.left_out == inputs.left_out:
                db = scope.connection or connections.get("default")
                changed = await _write(db, actor=actor, planned=planned, inputs=now)
                return replace(planned, meetings=now.meetings, changed=changed)
    problems.add(["month"], "CONFLICT", "the month's meetings, bureau or unavailability kept changing while the plan "
                                        "was worked out: apply again")
    problems.check()
    raise AssertionError("unreachable")
