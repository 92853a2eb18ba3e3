"""Township period facts: one per closed month and quarter evaluated, and one for the open month (early warning).

Which periods: those that are closed at the as-of, start on or after the township's start (its
joint meeting's establishment, and the county's `supervisedFrom` when set) — nothing else
(DESIGN §2). A scoped run asks for explicit (township, period) pairs instead of all of them.
Facts carry measurements: meeting counts, epoch seconds, ids.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from itertools import takewhile
from typing import Any
from zoneinfo import ZoneInfo

from models.enums import MeetingKind, MeetingStatus, Role
from models.meetings import Meeting
from models.people import RoleAssignment
from models.units import JointMeeting
from rules.catalog import PERIOD_MONTH, PERIOD_QUARTER
from rules.deadlines import epoch
from rules.intervals import Intervals
from rules.periods import Period, closed_periods, local_date, month_of, parse_period, period_of, to_local_iso
from rules.threads import in_thread
from rules.workdays import day_number

Fact = dict[str, Any]
LEADER_ROLES = frozenset({Role.BUREAU_HEAD, Role.BUREAU_LEADER})
COUNTING = (MeetingStatus.HELD, MeetingStatus.SCHEDULED)  # what an open month can still count on


def township_start(established_on: date | None, supervised_from: date | None) -> date | None:
    """The first day a township's periods may start: its joint meeting's establishment, not before supervisedFrom."""
    if established_on is None:
        return None
    return max(established_on, supervised_from) if supervised_from else established_on


async def period_facts(
    *,
    county_id: int,
    supervised_from: date | None,
    townships: list[dict[str, Any]],
    as_of: datetime,
    tz: ZoneInfo,
    leaders: Intervals,
    wanted: set[tuple[str, str]] | None = None,
    open_month: bool = True,
    within: tuple[date, date] | None = None,
) -> list[Fact]:
    """Month and quarter facts for the townships (all closed periods, or only the `wanted` pairs).

    `within` (first, last day): only the periods overlapping those days, so a report's cost follows its
    window and not the distance from the window to its as-of (each period fact is judged on its own).
    """
    if not townships:
        return []
    ids = [t["id"] for t in townships]
    established = {
        row["township_id"]: row["established_on"]
        for row in await JointMeeting.filter(township_id__in=ids).values("township_id", "established_on")
    }
    starts = {tid: start for tid in ids if (start := township_start(established.get(tid), supervised_from))}
    current = month_of(local_date(as_of, tz), tz)
    plan: dict[int, list[Period]] = {}
    for township in townships:
        tid = township["id"]
        if tid not in starts:
            continue
        if wanted is None:
            since = starts[tid] if within is None else max(starts[tid], within[0])
            periods = [
                p
                for kind in (PERIOD_MONTH, PERIOD_QUARTER)
                for p in takewhile(lambda p: within is None or p.first <= within[1], closed_periods(kind, since=since, as_of=as_of, tz=tz))
                if p.first >= starts[tid]
            ]
        else:
            periods = [parse_period(label, tz) for code, label in sorted(wanted) if code == township["code"]]
            periods = [p for p in periods if p.is_closed(as_of) and p.first >= starts[tid]]
        overlaps = within is None or (current.first <= within[1] and within[0] <= current.last)
        if open_month and overlaps and current.first >= starts[tid] and (wanted is None or (township["code"], current.label) in wanted):
            periods.append(current)
        if periods:
            plan[tid] = periods
    if not plan:
        return []
    window_start = min(p.start for ps in plan.values() for p in ps)
    window_end = max(p.end for ps in plan.values() for p in ps)
    by_period = await _meetings_by_period(county_id, list(plan), window_start, window_end, tz)
    return await in_thread(lambda: _period_facts(townships, plan, by_period, as_of, leaders))


def _period_facts(
    townships: list[dict[str, Any]], plan: dict[int, list[Period]], by_period: dict[tuple[int, str, str], list[dict[str, Any]]],
    as_of: datetime, leaders: Intervals,
) -> list[Fact]:
    """A fact per planned township-period from its meetings (pure Python, run off the event loop)."""
    facts: list[Fact] = []
    for township in townships:
        for period in plan.get(township["id"], ()):
            meetings = by_period[(township["id"], period.kind, period.label)]
            if not period.is_closed(as_of):
                facts.append(_open_month_fact(township, period, meetings, leaders))
            elif period.kind == PERIOD_MONTH:
                facts.append(_month_fact(township, period, meetings, leaders))
            else:
                facts.append(_quarter_fact(township, period, meetings, leaders))
    return facts


async def _meetings_by_period(
    county_id: int, ids: list[int], start: datetime, end: datetime, tz: ZoneInfo
) -> dict[tuple[int, str, str], list[dict[str, Any]]]:
    meetings = await Meeting.filter(township_id__in=ids, held_at__gte=start, held_at__lt=end).values(
        "id", "ext_id", "township_id", "kind", "status", "number", "title", "held_at"
    )
    attendees: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await Meeting.filter(
        township_id__in=ids, held_at__gte=start, held_at__lt=end, kind=MeetingKind.THEMATIC
    ).values("id", "attendees__id", "attendees__ext_id", "attendees__name"):
        if row["attendees__id"] is not None:
            attendees[row["id"]].append(
                {"id": row["attendees__id"], "ext_id": row["attendees__ext_id"], "name": row["attendees__name"]}
            )
    roles = Intervals()
    for row in await RoleAssignment.filter(
        county_id=county_id, role__in=[Role.BUREAU_HEAD, Role.BUREAU_LEADER, Role.BUREAU_STAFF]
    ).values("id", "person_id", "role", "valid_from", "valid_to"):
        roles.add(row["person_id"], row["valid_from"], row["valid_to"], row["id"], str(row["role"]))

    return await in_thread(lambda: _grouped(meetings, attendees, roles, tz))


def _grouped(
    meetings: list[dict[str, Any]], attendees: dict[int, list[dict[str, Any]]], roles: Intervals, tz: ZoneInfo
) -> dict[tuple[int, str, str], list[dict[str, Any]]]:
    """Meetings by (township, period kind, period), with attendees and their bureau roles on the day (off the loop)."""
    by_period: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda m: (m["held_at"], m["id"])):
        day = local_date(meeting["held_at"], tz)
        kind = PERIOD_MONTH if meeting["kind"] == MeetingKind.THEMATIC else PERIOD_QUARTER
        entry = {
            "id": meeting["id"],
            "ext_id": meeting["ext_id"],
            "number": meeting["number"],
            "title": meeting["title"],
            "status": str(meeting["status"]),
            "held_at": to_local_iso(meeting["held_at"], tz),
            "day": day,
        }
        if meeting["kind"] == MeetingKind.THEMATIC:
            entry["attendees"] = [
                {**person, "roles": sorted(roles.on(person["id"], day))}
                for person in sorted(attendees.get(meeting["id"], []), key=lambda p: p["id"])
            ]
        by_period[(meeting["township_id"], kind, period_of(kind, day, tz).label)].append(entry)
    return by_period


def _period_base(kind: str, township: dict[str, Any], period: Period, leaders: Intervals) -> Fact:
    assigned_last_day = leaders.on(township["id"], period.last)
    return {
        "id": f"{kind}|{township['code']}|{period.label}",
        "kind": kind,
        "township": township["code"],
        "township_name": township["name"],
        "period": period.label,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "period_end_epoch": epoch(period.end),
        "period_last_day": period.last.isoformat(),
        "period_last_day_number": day_number(period.last),  # days left in an open month: this − the as-of's day
        "assignee_id": assigned_last_day[0] if assigned_last_day else None,
    }


def _public(meeting: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in meeting.items() if k != "day"}


def _not_held(meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cancelled or still-scheduled meetings of the period: evidence only, they never count."""
    keys = ("id", "ext_id", "status", "held_at")
    return [{k: m[k] for k in keys} for m in meetings if m["status"] != MeetingStatus.HELD]


def _month_fact(township: dict[str, Any], period: Period, meetings: list[dict[str, Any]], leaders: Intervals) -> Fact:
    """Counts of HELD thematic meetings, of supervised ones (a bureau leader or head and a staff member present),
    and of supervised ones attended by a leader assigned to the township on that meeting's own day."""
    held = [m for m in meetings if m["status"] == MeetingStatus.HELD]
    supervised_ids, assigned_ids, covering, assigned = [], [], set(), set()
    for meeting in held:
        leads = {p["id"] for p in meeting["attendees"] if LEADER_ROLES & set(p["roles"])}
        staff = {p["id"] for p in meeting["attendees"] if Role.BUREAU_STAFF in p["roles"]}
        if leads and staff and len(leads | staff) >= 2:
            supervised_ids.append(meeting["id"])
            covering |= leads
            on_the_day = set(leaders.on(township["id"], meeting["day"]))
            assigned |= on_the_day
            if leads & on_the_day:
                assigned_ids.append(meeting["id"])
    return {
        **_period_base("township_month", township, period, leaders),
        "thematic_held": len(held),
        "thematic_meetings": [_public(m) for m in held],
        "thematic_not_held": _not_held(meetings),
        "supervised_meetings": len(supervised_ids),
        "supervised_meeting_ids": supervised_ids,
        "covering_leader_ids": sorted(covering),
        "assigned_leader_ids": sorted(assigned),  # assigned to the township on the covering meetings' days
        "assigned_leader_meetings": len(assigned_ids),
        "assigned_leader_meeting_ids": assigned_ids,
    }


def _quarter_fact(township: dict[str, Any], period: Period, meetings: list[dict[str, Any]], leaders: Intervals) -> Fact:
    held = [m for m in meetings if m["status"] == MeetingStatus.HELD]
    return {
        **_period_base("township_quarter", township, period, leaders),
        "plenary_held": len(held),
        "plenary_meetings": [_public(m) for m in held],
        "plenary_not_held": _not_held(meetings),
    }


def _open_month_fact(township: dict[str, Any], period: Period, meetings: list[dict[str, Any]], leaders: Intervals) -> Fact:
    counting = [m for m in meetings if m["status"] in COUNTING]
    return {
        **_period_base("township_open_month", township, period, leaders),
        "thematic_held_or_scheduled": len(counting),
        "thematic_meetings": [{k: m[k] for k in ("id", "ext_id", "status", "held_at")} for m in counting],
    }
