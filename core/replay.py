"""Rebuild a county's alert history day by day, as the nightly sweep would have built it (DESIGN §2).

The nightly sweep of day D runs as of `sweep_as_of(D)`: 00:00 local time of D. A replay from S to
E rebuilds the machine-made lifecycle of the county's alerts from S's sweep on, in one transaction:
it puts each alert row back in its state at S (`core.replay_state.rewind`: nothing wholly before S
is touched, no row is deleted, every alert keeps its id by fingerprint), removes the county's
writing runs from S on (a run dated after the present, left by an older bug, included), and runs
forward to E, raising, escalating and resolving on the days the sweep would have, while people's
acknowledgements and waivers are put back at their instants. Nobody is notified (it is the past)
and the result depends only on the data, the people's actions and the days.

A dry run (the default) does all of it and then rolls the transaction back: it writes nothing and
returns what would change (`core.replay_diff`). `apply=True` commits, with one audit entry.

It does not evaluate the whole county on each of ~1,400 days, only on the days something can
change (`core.replay_plan`); `naive=True` runs the whole county every day instead: the test suite
checks both give identical alerts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from core import clock
from core.audit import Actor, record_audit
from core.compliance import WRITING_TRIGGERS, run_compliance
from core.replay_diff import ReplayChanges, compare
from core.replay_plan import Plan, make_plan, sweep_as_of, sweep_day
from core.replay_state import HumanActions, finish, rewind, snapshot
from core.transaction import alert_transaction
from models.alerts import Alert, RuleRun
from models.enums import AlertStatus
from models.units import County
from rules.config import RulesConfig
from rules.deadlines import due_at
from rules.reconciler import ChangeKind
from rules.scope import ScopeError

REPLAY_ACTOR = Actor("cli:replay")


class ReplayRefused(ValueError):
    """A replay that would reach past the present (only reports look ahead): nothing was done."""


@dataclass(slots=True)
class ReplayResult:
    county_code: str
    start: date
    end: date
    applied: bool = False
    days: int = 0
    runs: int = 0
    full_runs: int = 0
    runs_removed: int = 0
    alerts_before: int = 0
    alerts: int = 0
    open_alerts: int = 0
    changes: ReplayChanges = field(default_factory=ReplayChanges)
    errors: list[dict[str, Any]] = field(default_factory=list)
    duration_s: float = 0.0


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction so that it rolls back."""


async def replay_window(*, county_code: str, start: date, end: date | None) -> tuple[County, date]:
    """The county and the replay's last day (default: today in the county's zone), or why there is none:
    `ScopeError` (unknown county), `ReplayRefused` (a day after today), `ValueError` (`end` before `start`)."""
    county = await County.get_or_none(code=county_code)
    if county is None:
        raise ScopeError(f"unknown county code {county_code!r}")
    today = clock.local_today(ZoneInfo(county.timezone))
    for name, day in (("--from", start), ("--to", end)):
        if day is not None and day > today:
            raise ReplayRefused(
                f"{name} {day} is after today ({today} in {county.timezone}): a replay rebuilds the past; "
                f"to look ahead use lianxi report --county {county_code} --as-of …"
            )
    end = today if end is None else end
    if end < start:
        raise ValueError(f"--to {end} is before --from {start}")
    return county, end


async def replay_county(
    *,
    rules: RulesConfig,
    county_code: str,
    start: date,
    end: date | None = None,
    apply: bool = False,
    actor: Actor = REPLAY_ACTOR,
    progress: Callable[[date], None] | None = None,
    naive: bool = False,
) -> ReplayResult:
    """Rebuild the county's alert lifecycle from `start`'s nightly sweep to `end`'s (default: today, local).

    Dry run unless `apply`: the result says what would change and nothing is written. An `end` after
    today (the county's local date) is refused (`ReplayRefused`); an unknown county or an `end` before
    `start` raise `ScopeError` / `ValueError`.
    """
    county, end = await replay_window(county_code=county_code, start=start, end=end)
    tz = ZoneInfo(county.timezone)
    settings = rules.for_county(county_code)
    result = ReplayResult(county_code=county_code, start=start, end=end, applied=apply)
    began = time.perf_counter()
    first, last = sweep_as_of(start, tz), sweep_as_of(end, tz)
    try:
        async with alert_transaction(county_code=county_code):
            plan = Plan() if naive else await make_plan(county=county, tz=tz, settings=settings, start=start, end=end)
            before = await snapshot(county_id=county.id)
            rewound = await rewind(before=before, first=first)
            superseded = RuleRun.filter(county_id=county.id, trigger__in=WRITING_TRIGGERS, as_of__gte=first)
            result.runs_removed = await superseded.count()  # (what delete() returns counts the alerts it unlinks too)
            await superseded.delete()
            await _run_days(result, rules=rules, county_code=county_code, tz=tz, plan=plan, naive=naive,
                            ack_days=settings.params("alert.unacknowledged")["A"],
                            actions=rewound.actions, progress=progress)
            settled = await finish(rewound=rewound, before=before, last=last)
            after = await snapshot(county_id=county.id)
            result.changes = compare(before=before, after=after, vanished=settled.vanished,
                                     superseded=settled.superseded, tz=tz)
            result.alerts_before, result.alerts = len(before), len(after)
            result.open_alerts = sum(1 for row in after.values() if row["status"] == AlertStatus.OPEN)
            if not apply:
                raise _DryRun
            await record_audit(
                actor=actor, action="replay", entity="replay", entity_key=county_code, county_code=county_code,
                before={"from": start, "to": end, "alerts": len(before), "statuses": dict(result.changes.statuses_before)},
                after={"runs": result.runs, "runsRemoved": result.runs_removed, "alerts": len(after),
                       "errors": len(result.errors), **result.changes.as_record()},
            )
    except _DryRun:
        pass
    result.duration_s = time.perf_counter() - began
    return result


async def _run_days(
    result: ReplayResult, *, rules: RulesConfig, county_code: str, tz: ZoneInfo, plan: Plan, naive: bool,
    ack_days: int, actions: HumanActions, progress: Callable[[date], None] | None,
) -> None:
    """Each night's sweep from `result.start` to `result.end`, on the days the plan says something can change."""
    day = result.start
    while day <= result.end:
        as_of = sweep_as_of(day, tz)
        kwargs: dict[str, Any] | None = {}
        if not (naive or day == result.start or day in plan.full):
            periods, cases = plan.periods.get(day, set()), plan.cases.get(day, set())
            kwargs = None
            if periods or cases or day in plan.escalations:
                kwargs = {"periods": periods, "case_numbers": cases, "escalations": day in plan.escalations}
        if kwargs is not None:
            await actions.apply(as_of)  # what people did before this night's sweep
            run = await run_compliance(rules=rules, county_code=county_code, as_of=as_of, trigger="REPLAY", actor="replay", **kwargs)
            result.runs += 1
            result.full_runs += not kwargs
            result.errors += [{**e, "day": day.isoformat()} for e in run.errors]
            for change in run.changes:
                if change.kind in (ChangeKind.RAISED, ChangeKind.REOPENED):
                    plan.escalations.add(sweep_day(due_at(change.alert.raised_at, ack_days, tz), tz))  # calendar days
        result.days += 1
        if progress is not None:
            progress(day)
        day += timedelta(days=1)


_EXPORTED = (
    "fingerprint", "rule_id", "rule_version", "severity", "status", "subject_code", "period", "township__code",
    "assignee__ext_id", "notify_head", "message", "evidence", "raised_at", "acknowledged_at", "acknowledged_by",
    "acknowledge_note", "resolved_at", "escalated_at", "waived_at", "waived_by", "waive_reason", "waived_until",
)
_INSTANTS = ("raised_at", "acknowledged_at", "resolved_at", "escalated_at", "waived_at")


async def export_alerts(*, county_code: str) -> bytes:
    """The county's alerts as JSON lines, by fingerprint, without row ids or run links: equal histories give
    byte-identical exports (people's acknowledgements and waivers included: they are part of the history)."""
    rows = await Alert.filter(county__code=county_code).order_by("fingerprint").values(*_EXPORTED)
    lines = []
    for row in rows:
        record = {key.replace("__", "_"): value for key, value in row.items()}
        for key in _INSTANTS:
            if record[key] is not None:
                record[key] = record[key].astimezone(ZoneInfo("UTC")).isoformat()
        if record["waived_until"] is not None:
            record["waived_until"] = record["waived_until"].isoformat()
        lines.append(orjson.dumps(record, option=orjson.OPT_SORT_KEYS))
    return b"\n".join(lines) + (b"\n" if lines else b"")


__all__ = ["REPLAY_ACTOR", "ReplayRefused", "ReplayResult", "export_alerts", "replay_county", "replay_window", "sweep_as_of"]
