"""The rotation planner's data (meetings, bureau, unavailability, standing 分片), the plan, and writing it.

The plan is written as the attendance plan of the SCHEDULED meetings (their attendees): a scheduled
meeting's attendees are who is expected; when the township records the meeting as HELD
(`updateMeeting`), the attendees it confirms count for `supervision.monthly_coverage`. No rule reads
a scheduled meeting's attendees, so applying a plan changes no alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from models.enums import SUPERVISING_ROLES, MeetingKind, MeetingStatus, Role
from models.meetings import Meeting
from models.people import Person, RoleAssignment, held_during, held_on
from models.rotation import Unavailability
from models.supervision import SupervisionAssignment
from models.units import County, Township
from rules.catalog import PERIOD_MONTH
from rules.periods import local_midnight, parse_period
from rules.config import RulesConfig
from rules.rotation import Plan, PlanInput, PlanMeeting, plan_rotation
from core.audit import Actor, record_audit
from core.meetings import snapshot
from core.periods import FIRST_YEAR, LAST_YEAR
from core.references import NO_COUNTY, bureau_member
from core.transaction import alert_transaction
from core.writes import Problems

CAP_RULE, CAP_PARAMETER = "supervision.monthly_coverage", "leader_cap"


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


def _in_force(rows: list[RoleAssignment], first: date, last: date) -> set[int]:
    return {r.person_id for r in rows if held_during(r.valid_from, r.valid_to, first, last)}  # type: ignore[attr-defined]


async def month_plan(*, rules: RulesConfig, county_code: str, month: str, problems: Problems) -> MonthPlan:
    """Propose the month's plan for a county (reads only)."""
    county = await County.filter(code=county_code).first()
    if county is None:
        problems.add(["countyCode"], "NOT_FOUND", NO_COUNTY)
        problems.check()
    assert county is not None
    zone = ZoneInfo(county.timezone)
    try:
        period = parse_period(month, zone)
    except ValueError:
        period = None
    if period is None or period.kind != PERIOD_MONTH or not FIRST_YEAR < period.first.year < LAST_YEAR:
        problems.add(["month"], "INVALID", f"expected a month YYYY-MM; got {month!r}")
        problems.check()
    assert period is not None
    first, last = period.first, period.last
    townships = dict(await Township.filter(county_id=county.id).order_by("code").values_list("code", "name"))
    rows = await Meeting.filter(township__county_id=county.id, kind=MeetingKind.THEMATIC, status=MeetingStatus.SCHEDULED,
                                held_at__gte=local_midnight(first, zone).astimezone(UTC),
                                held_at__lt=local_midnight(period.end_day, zone).astimezone(UTC)).prefetch_related("township", "attendees")
    roles = await RoleAssignment.filter(county_id=county.id, role__in=[r.value for r in (*SUPERVISING_ROLES, Role.BUREAU_STAFF)])
    leaders = _in_force([r for r in roles if r.role in SUPERVISING_ROLES], first, last)
    staff = _in_force([r for r in roles if r.role == Role.BUREAU_STAFF], first, last) - leaders
    unavailable: dict[int, set[date]] = {}
    for away in await Unavailability.filter(county_id=county.id, first_day__lte=last, last_day__gte=first):
        day = max(away.first_day, first)
        while day <= min(away.last_day, last):
            unavailable.setdefault(away.person_id, set()).add(day)  # type: ignore[attr-defined]
            day += timedelta(days=1)
    standing_rows = await SupervisionAssignment.filter(township__county_id=county.id, valid_from__lte=last).prefetch_related("township")
    meetings: list[PlanMeeting] = []
    standing: dict[int, set[int]] = {}
    planned: dict[int, set[int]] = {}
    for row in rows:
        local = row.held_at.astimezone(zone)
        meetings.append(PlanMeeting(row.id, row.township.code, local.date(), "AM" if local.hour < 12 else "PM"))
        standing[row.id] = {s.leader_id for s in standing_rows  # type: ignore[attr-defined]
                            if s.township.code == row.township.code and held_on(s.valid_from, s.valid_to, local.date())}
        planned[row.id] = {p.id for p in row.attendees} & (leaders | staff)
    cap = int(rules.for_county(county.code).params(CAP_RULE)[CAP_PARAMETER])
    plan = plan_rotation(PlanInput(townships=townships, meetings=meetings, leaders=sorted(leaders), staff=sorted(staff),
                                   unavailable=unavailable, standing=standing, planned=planned, leader_cap=cap))
    people = {p.id: p for p in await Person.filter(id__in=list(leaders | staff))}
    return MonthPlan(county, period.label, zone, cap, plan, {m.id: m for m in rows}, people, townships)


async def apply_month_plan(*, actor: Actor, rules: RulesConfig, county_code: str, month: str, problems: Problems) -> MonthPlan:
    """Plan again under the county lock and write each visit as the attendance plan of its meeting (audited)."""
    county = await County.filter(code=county_code).first()
    async with alert_transaction(county_code=county.code if county else county_code):
        planned = await month_plan(rules=rules, county_code=county_code, month=month, problems=problems)
        for visit in planned.plan.visits:
            meeting = planned.meetings[visit.meeting_id]
            before = await snapshot(meeting)
            await meeting.attendees.add(planned.people[visit.leader_id], planned.people[visit.staff_id])
            await record_audit(actor=actor, action="applyRotationPlan", entity="meeting", entity_key=meeting.ext_id,
                               county_code=planned.county.code, before=before, after=await snapshot(meeting) | {"month": planned.month})
    return planned


async def mark_unavailable(*, actor: Actor, county_code: str, person_id: int, first_day: date, last_day: date,
                           reason: str | None, problems: Problems) -> Unavailability:
    """Record that a bureau member cannot attend meetings on these local days."""
    county = await County.filter(code=county_code).first()
    if county is None:
        problems.add(["input", "countyCode"], "NOT_FOUND", NO_COUNTY)
    elif not await bureau_member(person_id, county_id=county.id):
        problems.add(["input", "personId"], "NOT_FOUND", "no bureau member of this county with this id")
    if last_day < first_day:
        problems.add(["input", "to"], "INVALID", f"ends ({last_day}) before it starts ({first_day})")
    if (last_day - first_day).days > 366:
        problems.add(["input", "to"], "INVALID", "at most a year at a time")
    clean_reason = problems.text(reason, ["input", "reason"], required=False)
    problems.check()
    assert county is not None
    async with alert_transaction(county_code=county.code):
        row = await Unavailability.create(person_id=person_id, county_id=county.id, first_day=first_day, last_day=last_day, reason=clean_reason)
        await record_audit(actor=actor, action="markUnavailable", entity="unavailability", entity_key=str(row.id), county_code=county.code,
                           before=None, after={"person": person_id, "from": first_day, "to": last_day, "reason": clean_reason})
    return row
