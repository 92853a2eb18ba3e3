"""Which days of a replay can change anything, and what to evaluate on each (the replay's optimisation).

A result can only change on a day when something measured crosses the as-of: a case reported, an
event, a deadline or the start of its early-warning window; a month or quarter closing, or an open
month entering its last R days; an alert's acknowledgement period ending; an assignment starting
or ending; a waiver expiring. The plan collects those instants from the data, so the replay runs,
on each such day, only the periods and cases concerned (a scoped run, `rules.scope.Scope`);
assignment changes, waiver expiries and the first day get a full run. Escalation days of alerts
the replay itself raises are added as it goes (`core.replay`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from models.alerts import Alert
from models.cases import Case, CaseEvent
from models.enums import CaseEventType, Role
from models.people import RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Township
from rules.case_facts import case_deadlines
from rules.config import CountyRules
from rules.deadlines import due_at, shift_days
from rules.periods import local_midnight, month_of, quarter_of


def sweep_as_of(day: date, tz: ZoneInfo) -> datetime:
    """The as-of of the nightly sweep of a local day: its 00:00 in the county's zone (one definition)."""
    return local_midnight(day, tz)


def sweep_day(moment: datetime, tz: ZoneInfo) -> date:
    """The first sweep whose as-of is at or after `moment` (a sweep at 00:00 sees what happened until then)."""
    local = moment.astimezone(tz)
    day = local.date()
    return day if local == sweep_as_of(day, tz) else day + timedelta(days=1)


@dataclass(slots=True)
class Plan:
    """What may change on which day (sweep days, local dates)."""

    full: set[date] = field(default_factory=set)
    periods: dict[date, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    cases: dict[date, set[str]] = field(default_factory=lambda: defaultdict(set))
    escalations: set[date] = field(default_factory=set)


async def make_plan(*, county: County, tz: ZoneInfo, settings: CountyRules, start: date, end: date) -> Plan:
    """The days on which the county's data can change a result between `start` and `end`."""
    plan = Plan()
    townships = await Township.filter(county_id=county.id).values_list("id", "code")
    codes = [code for _, code in townships]
    risk_days = settings.params("cadence.thematic_at_risk")["R"]
    warn_days = settings.params("case.due_soon")["W"]
    month = month_of(start, tz)
    while month.first <= end:
        quarter = quarter_of(month.first, tz)
        closing = {(code, month.label) for code in codes}
        if month.end_day == quarter.end_day:
            closing |= {(code, quarter.label) for code in codes}
        nxt = month_of(month.end_day, tz)
        plan.periods[month.end_day] |= closing | {(code, nxt.label) for code in codes}  # closes; next one opens
        # the warning starts on the day with R days of the month left after it (R + 1 days before the month's end)
        plan.periods[sweep_day(shift_days(month.end, -(risk_days + 1), tz), tz)] |= {(code, month.label) for code in codes}
        month = nxt
    await _plan_cases(plan, [tid for tid, _ in townships], tz, settings, warn_days)
    rows = await SupervisionAssignment.filter(township_id__in=[tid for tid, _ in townships]).values_list("valid_from", "valid_to")
    _full_on_changes(plan, rows)
    await _plan_roster(plan, [tid for tid, _ in townships])
    await _plan_alerts(plan, county, tz, settings, start)
    return plan


def _full_on_changes(plan: Plan, rows: list[tuple[date | None, date | None]]) -> None:
    """An assignment's first day, and the day after its last: the assignee or the roster changes."""
    for valid_from, valid_to in rows:
        plan.full |= {d for d in (valid_from, valid_to and valid_to + timedelta(days=1)) if d is not None}


async def _plan_roster(plan: Plan, township_ids: list[int]) -> None:
    """Grid workers and household heads in or out of office: a full run (the roster is only evaluated whole)."""
    for role, path in ((Role.GRID_WORKER, "grid__village__township_id__in"),
                       (Role.HOUSEHOLD_HEAD, "household_group__grid__village__township_id__in")):
        _full_on_changes(plan, await RoleAssignment.filter(role=role, **{path: township_ids}).values_list("valid_from", "valid_to"))


async def _plan_alerts(plan: Plan, county: County, tz: ZoneInfo, settings: CountyRules, start: date) -> None:
    """What the alerts already there bring: the day after a waiver expires (the alert is then reopened or
    resolved: a full run), and the escalation day of every unescalated alert open at the start, whichever its
    status (read before the rewind: an acknowledgement may not survive the replay). Alerts the replay raises or
    reopens add theirs as it goes."""
    ack_days = settings.params("alert.unacknowledged")["A"]
    for until in await Alert.filter(county_id=county.id, waived_until__not_isnull=True).values_list("waived_until", flat=True):
        plan.full.add(until + timedelta(days=1))
    first = sweep_as_of(start, tz)
    open_at_start = Alert.filter(
        Q(resolved_at=None) | Q(resolved_at__gte=first), Q(escalated_at=None) | Q(escalated_at__gte=first),
        county_id=county.id, raised_at__lt=first,
    )
    for raised_at in await open_at_start.values_list("raised_at", flat=True):
        plan.escalations.add(sweep_day(due_at(raised_at, ack_days, tz), tz))  # A counts calendar days


async def _plan_cases(plan: Plan, township_ids: list[int], tz: ZoneInfo, settings: CountyRules, warn_days: int) -> None:
    """Each case's report, events, deadlines (as each event left them) and early-warning starts."""
    cases = await Case.filter(township_id__in=township_ids).values("id", "number", "kind", "reported_at")
    events: dict[int, list[tuple[int, CaseEventType, datetime, int | None]]] = defaultdict(list)
    ids = [c["id"] for c in cases]
    for chunk in range(0, len(ids), 5_000):
        for row in await CaseEvent.filter(case_id__in=ids[chunk : chunk + 5_000]).values_list("case_id", "seq", "type", "at", "days"):
            events[row[0]].append((row[1], CaseEventType(row[2]), row[3], row[4]))
    for case in cases:
        instants: set[datetime] = {case["reported_at"]}
        accepted_at, extension = None, 0
        timeline = sorted(events.get(case["id"], []))
        for index in range(len(timeline) + 1):
            if index:
                _, kind, at, days = timeline[index - 1]
                instants.add(at)
                if kind is CaseEventType.ACCEPTED and accepted_at is None:
                    accepted_at = at
                elif kind is CaseEventType.EXTENDED:
                    extension += days or 0
                else:
                    continue  # the deadlines move only on acceptance and extensions
            deadlines = case_deadlines(kind=str(case["kind"]), reported_at=case["reported_at"], accepted_at=accepted_at,
                                       extension_days=extension, tz=tz, settings=settings)
            for deadline in deadlines.values():
                if deadline is not None:
                    # `case.due_soon` starts on the day L − W (the deadline ends at 00:00 of L + 1)
                    instants |= {deadline, shift_days(deadline, -(warn_days + 1), tz)}
        for moment in instants:
            plan.cases[sweep_day(moment, tz)].add(case["number"])


__all__ = ["Plan", "make_plan", "sweep_as_of", "sweep_day"]
