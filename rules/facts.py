"""The one place that turns the database into JSON-safe facts for a county, a scope and an as-of.

Facts are pre-aggregated (DESIGN §7): each one is a flat decision record (counts, booleans,
days) plus the source ids the rule's evidence needs. Times are ISO strings in county time.
A county is read in a dozen queries whatever its size: no query per township-month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections

from models.alerts import Alert
from models.cases import Case
from models.enums import AlertStatus, MeetingKind, MeetingStatus, Role
from models.meetings import Meeting
from models.people import RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, JointMeeting, Township, Village
from rules.case_facts import build_case_facts
from rules.catalog import PERIOD_MONTH, PERIOD_QUARTER
from rules.config import CountyRules
from rules.periods import (
    Period,
    closed_periods,
    evaluable,
    history_start,
    local_date,
    period_of,
    quarter_of,
    to_local_iso,
    to_utc_iso,
)

Fact = dict[str, Any]
LEADER_ROLES = frozenset({Role.BUREAU_HEAD, Role.BUREAU_LEADER})


class ScopeError(ValueError):
    """The requested county, township or case does not exist (or is not in that county)."""


@dataclass(frozen=True, slots=True)
class Scope:
    county_code: str
    township_code: str | None = None
    case_number: str | None = None

    def as_record(self) -> dict[str, str]:
        record = {"county": self.county_code}
        if self.township_code:
            record["township"] = self.township_code
        if self.case_number:
            record["case"] = self.case_number
        return record


@dataclass(slots=True)
class FactSet:
    scope: Scope
    county_id: int
    tz: ZoneInfo
    as_of: datetime
    facts: list[Fact] = field(default_factory=list)
    township_ids: dict[str, int] = field(default_factory=dict)  # code → id, for alerts
    # Periods ending on or before this day lie outside the evaluated history (see periods.history_start):
    # their alerts are neither confirmed nor resolved by this run.
    history_from: date | None = None


class Intervals:
    # Dated assignments keyed by unit: who held what on a day (inclusive ranges, open ends allowed).

    def __init__(self) -> None:
        self._rows: dict[Any, list[tuple[date | None, date | None, int, Any]]] = defaultdict(list)

    def add(self, key: Any, start: date | None, end: date | None, row_id: int, value: Any) -> None:
        self._rows[key].append((start, end, row_id, value))

    def on(self, key: Any, day: date) -> list[Any]:
        """Values in force on `day`, the most recently started first."""
        rows = [r for r in self._rows.get(key, ()) if (r[0] is None or r[0] <= day) and (r[1] is None or day <= r[1])]
        rows.sort(key=lambda r: (r[0] or date.min, r[2]), reverse=True)
        return [r[3] for r in rows]

    def during(self, key: Any, first: date, last: date) -> list[Any]:
        """Values in force on at least one day of [first, last]."""
        rows = [
            r for r in self._rows.get(key, ()) if (r[0] is None or r[0] <= last) and (r[1] is None or first <= r[1])
        ]
        return sorted({r[3] for r in rows})


Row = dict[str, Any]


async def _resolve_scope(scope: Scope) -> tuple[County, list[Row], list[Row], Row | None]:
    """The county, all its townships, the townships in scope, and the case in scope (if any)."""
    county = await County.get_or_none(code=scope.county_code)
    if county is None:
        raise ScopeError(f"unknown county code {scope.county_code!r}")
    townships = await Township.filter(county_id=county.id).order_by("code").values("id", "code", "name")
    selected = townships
    case_row = None
    if scope.case_number is not None:
        rows = await Case.filter(number=scope.case_number).values("id", "township_id")
        if not rows or rows[0]["township_id"] not in {t["id"] for t in townships}:
            raise ScopeError(f"case {scope.case_number!r} is not a case of county {scope.county_code}")
        case_row = rows[0]
    if scope.township_code is not None:
        selected = [t for t in townships if t["code"] == scope.township_code]
        if not selected:
            raise ScopeError(f"township {scope.township_code!r} is not in county {scope.county_code}")
    return county, townships, selected, case_row


async def build_facts(*, scope: Scope, as_of: datetime, settings: CountyRules, periods_only: bool = False) -> FactSet:
    """Read everything the rules need for one scope at one instant (the as-of is the run's "now").

    `periods_only`: just the township_month / township_quarter facts (the compliance grid needs no cases,
    roster or alerts; skipping them makes `Township.compliance` several times cheaper).
    """
    county, all_townships, townships, case_row = await _resolve_scope(scope)
    tz = ZoneInfo(county.timezone)
    result = FactSet(scope=scope, county_id=county.id, tz=tz, as_of=as_of)
    result.township_ids = {t["code"]: t["id"] for t in all_townships}
    code_by_id = {t["id"]: t["code"] for t in all_townships}
    township_ids = [t["id"] for t in townships]
    leaders = Intervals()
    for row in await SupervisionAssignment.filter(township_id__in=list(code_by_id)).values(
        "id", "leader_id", "township_id", "valid_from", "valid_to"
    ):
        leaders.add(row["township_id"], row["valid_from"], row["valid_to"], row["id"], row["leader_id"])

    if case_row is None:
        result.history_from = await _history_from(county, as_of, tz, settings)
        result.facts += await _period_facts(county, townships, as_of, tz, settings, leaders, result.history_from)
    if periods_only:
        return result
    case_filter = {"id": case_row["id"]} if case_row else {"township_id__in": township_ids}
    result.facts += await build_case_facts(
        case_filter=case_filter, as_of=as_of, tz=tz, settings=settings, code_by_id=code_by_id, leaders=leaders
    )
    if case_row is None:
        result.facts += await _roster_facts(township_ids, as_of, tz, code_by_id, leaders)
    result.facts += await _alert_facts(county.id, scope, township_ids, as_of)
    return result


async def _history_from(county: County, as_of: datetime, tz: ZoneInfo, settings: CountyRules) -> date:
    """The county's first day worth evaluating: its first meeting, but no further back than the history cap."""
    first_meeting = await Meeting.filter(township__county_id=county.id).order_by("held_at").first().values("held_at")
    first_data = local_date(first_meeting["held_at"], tz) if first_meeting else None
    return history_start(first_data=first_data, as_of=as_of, tz=tz, months=settings.history_months)


async def _period_facts(
    county: County,
    townships: list[dict[str, Any]],
    as_of: datetime,
    tz: ZoneInfo,
    settings: CountyRules,
    leaders: Intervals,
    history_from: date,
) -> list[Fact]:
    if not townships:
        return []
    ids = [t["id"] for t in townships]
    established = {
        row["township_id"]: row["established_on"]
        for row in await JointMeeting.filter(township_id__in=ids).values("township_id", "established_on")
    }
    starts = {tid: max(day, history_from) for tid, day in established.items()}
    if not starts:
        return []
    window_start = quarter_of(min(starts.values()), tz).start  # covers every month and quarter evaluated
    meetings = await Meeting.filter(township_id__in=ids, held_at__gte=window_start, held_at__lt=as_of).values(
        "id", "ext_id", "township_id", "kind", "status", "number", "title", "held_at"
    )
    attendees: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await Meeting.filter(
        township_id__in=ids, held_at__gte=window_start, held_at__lt=as_of, kind=MeetingKind.THEMATIC
    ).values("id", "attendees__id", "attendees__ext_id", "attendees__name"):
        if row["attendees__id"] is not None:
            attendees[row["id"]].append(
                {"id": row["attendees__id"], "ext_id": row["attendees__ext_id"], "name": row["attendees__name"]}
            )
    roles = Intervals()
    for row in await RoleAssignment.filter(
        county_id=county.id, role__in=[Role.BUREAU_HEAD, Role.BUREAU_LEADER, Role.BUREAU_STAFF]
    ).values("id", "person_id", "role", "valid_from", "valid_to"):
        roles.add(row["person_id"], row["valid_from"], row["valid_to"], row["id"], str(row["role"]))

    by_period: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for meeting in sorted(meetings, key=lambda m: (m["held_at"], m["id"])):
        day = local_date(meeting["held_at"], tz)
        kind = PERIOD_MONTH if meeting["kind"] == MeetingKind.THEMATIC else PERIOD_QUARTER
        label = period_of(kind, day, tz).label
        entry = {
            "id": meeting["id"],
            "ext_id": meeting["ext_id"],
            "number": meeting["number"],
            "title": meeting["title"],
            "status": str(meeting["status"]),
            "held_at": to_local_iso(meeting["held_at"], tz),
        }
        if meeting["kind"] == MeetingKind.THEMATIC:
            entry["attendees"] = [
                {**person, "roles": sorted(roles.on(person["id"], day))}
                for person in sorted(attendees.get(meeting["id"], []), key=lambda p: p["id"])
            ]
        by_period[(meeting["township_id"], kind, label)].append(entry)

    facts: list[Fact] = []
    for township in townships:
        tid = township["id"]
        if tid not in starts:
            continue
        for period in closed_periods(PERIOD_MONTH, since=starts[tid], as_of=as_of, tz=tz):
            if evaluable(period, established[tid]):
                facts.append(_month_fact(township, period, by_period[(tid, PERIOD_MONTH, period.label)], leaders))
        for period in closed_periods(PERIOD_QUARTER, since=starts[tid], as_of=as_of, tz=tz):
            if evaluable(period, established[tid]):
                facts.append(_quarter_fact(township, period, by_period[(tid, PERIOD_QUARTER, period.label)], leaders))
    return facts


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
        "period_last_day": period.last.isoformat(),
        "assignee_id": assigned_last_day[0] if assigned_last_day else None,
    }


def _not_held(meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cancelled or still-scheduled meetings of the period: evidence only, they never count."""
    keys = ("id", "ext_id", "status", "held_at")
    return [{k: m[k] for k in keys} for m in meetings if m["status"] != MeetingStatus.HELD]


def _month_fact(township: dict[str, Any], period: Period, meetings: list[dict[str, Any]], leaders: Intervals) -> Fact:
    held = [m for m in meetings if m["status"] == MeetingStatus.HELD]
    supervised_ids, covering = [], set()
    for meeting in held:
        leads = {p["id"] for p in meeting["attendees"] if LEADER_ROLES & set(p["roles"])}
        staff = {p["id"] for p in meeting["attendees"] if Role.BUREAU_STAFF in p["roles"]}
        if leads and staff and len(leads | staff) >= 2:
            supervised_ids.append(meeting["id"])
            covering |= leads
    assigned = leaders.during(township["id"], period.first, period.last)
    return {
        **_period_base("township_month", township, period, leaders),
        "thematic_held": len(held),
        "thematic_meetings": held,
        "thematic_not_held": _not_held(meetings),
        "supervised": bool(supervised_ids),
        "supervised_meeting_ids": supervised_ids,
        "covering_leader_ids": sorted(covering),
        "assigned_leader_ids": assigned,
        "assigned_leader_ids_last_day": leaders.on(township["id"], period.last),
        "covered_by_assigned": bool(covering & set(assigned)),
    }


def _quarter_fact(township: dict[str, Any], period: Period, meetings: list[dict[str, Any]], leaders: Intervals) -> Fact:
    held = [m for m in meetings if m["status"] == MeetingStatus.HELD]
    return {
        **_period_base("township_quarter", township, period, leaders),
        "plenary_held": len(held),
        "plenary_meetings": held,
        "plenary_not_held": _not_held(meetings),
    }


async def _roster_facts(
    township_ids: list[int], as_of: datetime, tz: ZoneInfo, code_by_id: dict[int, str], leaders: Intervals
) -> list[Fact]:
    """Grid and household-group facts, read level by level by parent ids, never by joins from the role table.

    A filter across relations becomes a LEFT JOIN chain that SQLite cannot reorder, so it scanned every
    role assignment of the database (a province: 700k) for each county.
    """
    today = local_date(as_of, tz)
    villages = {
        row["id"]: row["township_id"]
        for row in await Village.filter(township_id__in=township_ids).values("id", "township_id")
    }
    grids = await _select_in("grid", ("id", "code", "village_id"), "village_id", list(villages))
    township_of_grid = {g["id"]: villages[g["village_id"]] for g in grids}
    groups = await _select_in("household_group", ("id", "code", "grid_id"), "grid_id", list(township_of_grid))
    assignee_of: dict[int, int | None] = {}  # township id → its leader today (one lookup per township, not per unit)
    facts: list[Fact] = []
    for units, township_of, role, kind, flag, fk in (
        (grids, lambda unit: villages[unit["village_id"]], Role.GRID_WORKER, "grid", "has_worker", "grid_id"),
        (groups, lambda unit: township_of_grid[unit["grid_id"]], Role.HOUSEHOLD_HEAD, "household_group", "has_head",
         "household_group_id"),
    ):
        holders = Intervals()
        columns = ("id", fk, "person_id", "valid_from", "valid_to")
        for row in await _select_in("role_assignment", columns, fk, [u["id"] for u in units], role=role.value):
            holders.add(row[fk], _day(row["valid_from"]), _day(row["valid_to"]), row["id"], row["person_id"])
        for unit in sorted(units, key=lambda u: u["code"]):
            people = holders.on(unit["id"], today)
            township_id = township_of(unit)
            if township_id not in assignee_of:
                in_office = leaders.on(township_id, today)
                assignee_of[township_id] = in_office[0] if in_office else None
            facts.append(
                {
                    "id": f"{kind}|{unit['code']}",
                    "kind": kind,
                    "code": unit["code"],
                    "township": code_by_id[township_id],
                    flag: bool(people),
                    "holder_ids": people,
                    "on": today.isoformat(),
                    "assignee_id": assignee_of[township_id],
                }
            )
    return facts


_IN_CHUNK = 10_000  # bound parameters per statement, well below SQLite's and asyncpg's limits


async def _select_in(table: str, columns: tuple[str, ...], key: str, ids: list[int], **equal: Any) -> list[dict[str, Any]]:
    """`SELECT columns FROM table WHERE key IN (ids) AND col = value…`, written directly: the ORM's query builder
    spends ~5 µs per bound id (a county's household heads: 7,000 ids), more than the database does."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    selected = ", ".join(f'"{column}"' for column in columns)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), _IN_CHUNK):
        params: list[Any] = [*equal.values(), *ids[start : start + _IN_CHUNK]]
        marks = [f"${n}" if postgres else "?" for n in range(1, len(params) + 1)]
        where = [f'"{column}" = {mark}' for column, mark in zip(equal, marks, strict=False)]
        where.append(f'"{key}" IN ({", ".join(marks[len(equal):])})')
        rows += await connection.execute_query_dict(f'SELECT {selected} FROM "{table}" WHERE {" AND ".join(where)}', params)
    return rows


def _day(value: date | str | None) -> date | None:
    """A DATE column read without the ORM: SQLite gives ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


async def _alert_facts(county_id: int, scope: Scope, township_ids: Iterable[int], as_of: datetime) -> list[Fact]:
    query = Alert.filter(
        county_id=county_id, status=AlertStatus.OPEN, acknowledged_at=None, escalated_at=None, raised_at__lte=as_of
    )
    if scope.case_number is not None:
        query = query.filter(subject_code=scope.case_number)
    elif scope.township_code is not None:
        query = query.filter(township_id__in=list(township_ids))
    facts = []
    columns = ("id", "fingerprint", "rule_id", "subject_code", "period", "raised_at", "township__code")
    for row in await query.values(*columns):
        facts.append(
            {
                "id": f"alert|{row['id']}",
                "kind": "alert",
                "alert_id": row["id"],
                "fingerprint": row["fingerprint"],
                "alert_rule_id": row["rule_id"],
                "subject_code": row["subject_code"],
                "period": row["period"],
                "township": row["township__code"],
                "raised_at": to_utc_iso(row["raised_at"]),
                "open_seconds": int((as_of - row["raised_at"]).total_seconds()),
            }
        )
    return facts
