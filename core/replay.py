"""Rebuild a county's alert history day by day, as the nightly sweep would have built it (DESIGN §2).

The nightly sweep of day D runs as of `sweep_as_of(D)`: 00:00 local time of D. A replay deletes
the county's alerts and its writing runs from `start`, then runs forward to `end` in one
transaction, so alerts are raised, escalated and resolved on the days they would have been.
Nobody is notified (it is the past) and the result depends only on the data and the days.

It does not evaluate the whole county on each of ~1,400 days. A result can only change on a day
when something measured crosses the as-of: a case reported, an event, a deadline or the start
of its early-warning window; a month or quarter closing, or an open month entering its last R
days; an alert's acknowledgement period ending; an assignment starting or ending. The replay
collects those instants from the data (and from the alerts it raises, for escalations) and runs,
on each such day, only the periods and cases concerned (a scoped run, `rules.scope.Scope`);
assignment changes and the first day get a full run. `naive=True` runs the whole county every
day instead: the test suite checks both give identical alerts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from models.alerts import Alert, RuleRun
from models.cases import Case, CaseEvent
from models.enums import CaseEventType, Role
from models.people import RoleAssignment
from models.supervision import SupervisionAssignment
from models.units import County, Township
from rules.case_facts import case_deadlines
from rules.config import CountyRules, RulesConfig
from rules.deadlines import due_at, shift_days
from rules.periods import local_midnight, month_of, quarter_of
from rules.reconciler import ChangeKind
from rules.scope import ScopeError
from core.compliance import WRITING_TRIGGERS, run_compliance
from core.transaction import alert_transaction


def sweep_as_of(day: date, tz: ZoneInfo) -> datetime:
    """The as-of of the nightly sweep of a local day: its 00:00 in the county's zone (one definition)."""
    return local_midnight(day, tz)


@dataclass(slots=True)
class ReplayResult:
    county_code: str
    start: date
    end: date
    days: int = 0
    runs: int = 0
    full_runs: int = 0
    alerts: int = 0
    open_alerts: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    duration_s: float = 0.0


@dataclass(slots=True)
class _Plan:
    # What may change on which day (sweep days, local dates).

    full: set[date] = field(default_factory=set)
    periods: dict[date, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    cases: dict[date, set[str]] = field(default_factory=lambda: defaultdict(set))
    escalations: set[date] = field(default_factory=set)


def _sweep_day(moment: datetime, tz: ZoneInfo) -> date:
    """The first sweep whose as-of is at or after `moment` (a sweep at 00:00 sees what happened until then)."""
    local = moment.astimezone(tz)
    day = local.date()
    return day if local == sweep_as_of(day, tz) else day + timedelta(days=1)


async def _plan(county: County, tz: ZoneInfo, settings: CountyRules, start: date, end: date) -> _Plan:
    plan = _Plan()
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
        plan.periods[_sweep_day(shift_days(month.end, -(risk_days + 1), tz), tz)] |= {(code, month.label) for code in codes}
        month = nxt
    await _plan_cases(plan, [tid for tid, _ in townships], tz, settings, warn_days)
    rows = await SupervisionAssignment.filter(township_id__in=[tid for tid, _ in townships]).values_list("valid_from", "valid_to")
    _full_on_changes(plan, rows)
    await _plan_roster(plan, [tid for tid, _ in townships])
    return plan


def _full_on_changes(plan: _Plan, rows: list[tuple[date | None, date | None]]) -> None:
    """An assignment's first day, and the day after its last: the assignee or the roster changes."""
    for valid_from, valid_to in rows:
        plan.full |= {d for d in (valid_from, valid_to and valid_to + timedelta(days=1)) if d is not None}


async def _plan_roster(plan: _Plan, township_ids: list[int]) -> None:
    """Grid workers and household heads in or out of office: a full run (the roster is only evaluated whole)."""
    for role, path in ((Role.GRID_WORKER, "grid__village__township_id__in"),
                       (Role.HOUSEHOLD_HEAD, "household_group__grid__village__township_id__in")):
        _full_on_changes(plan, await RoleAssignment.filter(role=role, **{path: township_ids}).values_list("valid_from", "valid_to"))


async def _plan_cases(plan: _Plan, township_ids: list[int], tz: ZoneInfo, settings: CountyRules, warn_days: int) -> None:
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
            plan.cases[_sweep_day(moment, tz)].add(case["number"])


async def replay_county(
    *,
    rules: RulesConfig,
    county_code: str,
    start: date,
    end: date,
    progress: Callable[[date], None] | None = None,
    naive: bool = False,
) -> ReplayResult:
    """Delete the county's alerts and its writing runs from `start`, then run each night's sweep up to `end`."""
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    county = await County.get_or_none(code=county_code)
    if county is None:
        raise ScopeError(f"unknown county code {county_code!r}")
    tz, settings = ZoneInfo(county.timezone), rules.for_county(county_code)
    result = ReplayResult(county_code=county_code, start=start, end=end)
    began = time.perf_counter()
    plan = _Plan() if naive else await _plan(county, tz, settings, start, end)
    ack_days = settings.params("alert.unacknowledged")["A"]
    async with alert_transaction(county_code=county_code):
        await Alert.filter(county_id=county.id).delete()
        await RuleRun.filter(county_id=county.id, trigger__in=WRITING_TRIGGERS, as_of__gte=sweep_as_of(start, tz)).delete()
        day = start
        while day <= end:
            as_of = sweep_as_of(day, tz)
            kwargs: dict[str, Any] | None = {}
            if not (naive or day == start or day in plan.full):
                periods, cases = plan.periods.get(day, set()), plan.cases.get(day, set())
                kwargs = None
                if periods or cases or day in plan.escalations:
                    kwargs = {"periods": periods, "case_numbers": cases, "escalations": day in plan.escalations}
            if kwargs is not None:
                run = await run_compliance(rules=rules, county_code=county_code, as_of=as_of, trigger="REPLAY", actor="replay", **kwargs)
                result.runs += 1
                result.full_runs += not kwargs
                result.errors += [{**e, "day": day.isoformat()} for e in run.errors]
                for change in run.changes:
                    if change.kind in (ChangeKind.RAISED, ChangeKind.REOPENED):
                        plan.escalations.add(_sweep_day(due_at(change.alert.raised_at, ack_days, tz), tz))
            result.days += 1
            if progress is not None:
                progress(day)
            day += timedelta(days=1)
        result.alerts = await Alert.filter(county_id=county.id).count()
        result.open_alerts = await Alert.filter(county_id=county.id, status="OPEN").count()
    result.duration_s = time.perf_counter() - began
    return result


_EXPORTED = (
    "fingerprint", "rule_id", "rule_version", "severity", "status", "subject_code", "period", "township__code",
    "assignee__ext_id", "notify_head", "message", "evidence", "raised_at", "acknowledged_at", "resolved_at",
    "escalated_at",
)


async def export_alerts(*, county_code: str) -> bytes:
    """The county's alerts as JSON lines, by fingerprint, without row ids or run links: equal histories give
    byte-identical exports."""
    rows = await Alert.filter(county__code=county_code).order_by("fingerprint").values(*_EXPORTED)
    lines = []
    for row in rows:
        record = {key.replace("__", "_"): value for key, value in row.items()}
        for key in ("raised_at", "acknowledged_at", "resolved_at", "escalated_at"):
            if record[key] is not None:
                record[key] = record[key].astimezone(ZoneInfo("UTC")).isoformat()
        lines.append(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    return b"\n".join(lines) + (b"\n" if lines else b"")


__all__ = ["ReplayResult", "export_alerts", "replay_county", "sweep_as_of"]
