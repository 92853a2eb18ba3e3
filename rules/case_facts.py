"""Case facts: each case's state at the as-of replayed from its timeline, with its deadlines computed.

Part of the fact builder (`rules.facts` calls it); deadlines follow `rules.deadlines`.
Only events at or before the as-of count, so a replay of history sees what was known then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from models.cases import Case, CaseEvent
from models.select_any import select_any
from rules.case_timeline import derive_state
from models.enums import CaseEventType, CaseKind, CaseLevel
from rules.config import CountyRules
from rules.deadlines import days_elapsed, due_at, epoch
from rules.periods import local_date, to_local_iso
from rules.threads import in_thread
from rules.workdays import WorkCalendar, day_number

DEADLINES = ("due_at", "acceptance_due", "escalation_due")

if TYPE_CHECKING:
    from rules.intervals import Intervals


async def build_case_facts(
    *,
    case_filter: dict[str, Any],
    as_of: datetime,
    tz: ZoneInfo,
    settings: CountyRules,
    code_by_id: dict[int, str],
    leaders: Intervals,
) -> list[dict[str, Any]]:
    """One fact per case reported by the as-of, in two queries (cases, then their events)."""
    cases = await Case.filter(reported_at__lte=as_of, **case_filter).values(
        "id", "number", "kind", "township_id", "village__code", "reported_level", "reported_at"
    )
    if not cases:
        return []
    columns = ("case_id", "seq", "type", "at", "to_level", "days", "approver_id")
    # by case ids, one array parameter: a join from case_event scans every event stored
    rows = await select_any(CaseEvent, columns, "case_id", [case["id"] for case in cases])
    # the replay of every timeline is pure Python (~1,300 cases: tens of ms): off the event loop
    return await in_thread(lambda: _case_facts(cases, rows, as_of, tz, settings, code_by_id, leaders))


def _case_facts(
    cases: list[dict[str, Any]], rows: Iterable[dict[str, Any]], as_of: datetime, tz: ZoneInfo, settings: CountyRules,
    code_by_id: dict[int, str], leaders: Intervals,
) -> list[dict[str, Any]]:
    """The case facts from the rows read: each case's events up to the as-of, replayed in order."""
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["at"] <= as_of:  # only what was known at the as-of (a replay reads the past)
            events[row["case_id"]].append(row)
    today = local_date(as_of, tz)
    for timeline in events.values():
        timeline.sort(key=lambda e: e["seq"])
    return [
        _case_fact(case, events.get(case["id"], []), as_of, tz, settings, code_by_id, leaders, today) for case in cases
    ]


def case_deadlines(
    *,
    kind: str,
    reported_at: datetime,
    accepted_at: datetime | None,
    extension_days: int,
    tz: ZoneInfo,
    settings: CountyRules,
) -> dict[str, datetime | None]:
    """A case's three deadlines (the one computation used by facts, reports and writes).

    `due_at`: a dispute D days after it was reported, a petition `petition_days` (+ granted extension) after
    acceptance; `escalation_due`: a village dispute's E days. Each is the end (24:00 local) of its last day,
    moved past the county's rest days (`settings.calendar`, national by default: Civil Code art. 203).
    """
    overdue = settings.params("case.overdue")
    calendar = settings.calendar
    if kind == CaseKind.DISPUTE:
        due = due_at(reported_at, overdue["D"], tz, calendar=calendar)
    else:
        granted = min(extension_days, overdue["max_extension_days"])
        due = due_at(accepted_at, overdue["petition_days"] + granted, tz, calendar=calendar) if accepted_at else None
    acceptance = settings.params("case.acceptance_overdue")["days"]
    village = settings.params("case.village_escalation")["E"]
    return {
        "due_at": due,
        "acceptance_due": due_at(reported_at, acceptance, tz, calendar=calendar) if kind == CaseKind.PETITION else None,
        "escalation_due": due_at(reported_at, village, tz, calendar=calendar) if kind == CaseKind.DISPUTE else None,
    }


def last_day_of(deadline: datetime, tz: ZoneInfo) -> date:
    """The last day of a deadline (the local day before its 00:00 end)."""
    return local_date(deadline, tz) - timedelta(days=1)


def fallback_years(facts: Iterable[Mapping[str, Any]], calendar: WorkCalendar) -> list[int]:
    """The years of the case deadlines in `facts` whose last day was decided by weekends only (no national data)."""
    days = (
        date.fromisoformat(fact[f"{name}_last_day"])
        for fact in facts
        if fact.get("kind") == "case"
        for name in DEADLINES
        if f"{name}_last_day" in fact
    )
    return calendar.fallback_years(days)


def _case_fact(
    case: dict[str, Any],
    events: list[dict[str, Any]],
    as_of: datetime,
    tz: ZoneInfo,
    settings: CountyRules,
    code_by_id: dict[int, str],
    leaders: Intervals,
    today: Any,
) -> dict[str, Any]:
    """Measurements only (DESIGN §7): status, level, counts, instants as epoch seconds; the rulesets decide."""
    state = derive_state(case["reported_level"], [(e["type"], e["to_level"]) for e in events])
    reported_at: datetime = case["reported_at"]
    kind = str(case["kind"])

    def first(event_type: CaseEventType) -> datetime | None:
        return next((e["at"] for e in events if e["type"] == event_type), None)

    accepted_at, rejected_at = first(CaseEventType.ACCEPTED), first(CaseEventType.REJECTED)
    extensions = [e for e in events if e["type"] == CaseEventType.EXTENDED and e["days"]]
    requested = sum(e["days"] for e in extensions)
    granted = min(requested, settings.params("case.overdue")["max_extension_days"]) if kind == CaseKind.PETITION else 0
    deadlines = case_deadlines(
        kind=kind, reported_at=reported_at, accepted_at=accepted_at, extension_days=requested, tz=tz, settings=settings
    )
    due = deadlines["due_at"]
    if kind == CaseKind.DISPUTE:
        due_basis, handling_days = "reported", settings.params("case.overdue")["D"]
    else:
        due_basis, handling_days = "accepted", settings.params("case.overdue")["petition_days"] + granted
    assignee = leaders.on(case["township_id"], today)
    escalations = [
        {"at": to_local_iso(e["at"], tz), "to_level": str(e["to_level"]) if e["to_level"] else None}
        for e in events
        if e["type"] == CaseEventType.ESCALATED
    ]
    fact: dict[str, Any] = {
        "id": f"case|{case['number']}",
        "kind": "case",
        "case_id": case["id"],
        "case_number": case["number"],
        "case_kind": kind,
        "township": code_by_id[case["township_id"]],
        "village": case["village__code"],
        "reported_at": to_local_iso(reported_at, tz),
        "reported_epoch": epoch(reported_at),
        "status": str(state.status),
        "level": str(state.level),
        "reported_level": str(case["reported_level"]),
        "escalation_count": len(escalations) + (state.level != CaseLevel(case["reported_level"]) and not escalations),
        "escalations": escalations,
        "days_open": days_elapsed(reported_at, as_of, tz),
        "decision_count": sum(1 for e in events if e["type"] in (CaseEventType.ACCEPTED, CaseEventType.REJECTED)),
        "accepted_at": to_local_iso(accepted_at, tz) if accepted_at else None,
        "rejected_at": to_local_iso(rejected_at, tz) if rejected_at else None,
        "due_basis": due_basis if due is not None else None,
        "handling_days": handling_days if due is not None else None,
        "extensions": [
            {"at": to_local_iso(e["at"], tz), "days": e["days"], "approver_id": e["approver_id"]} for e in extensions
        ],
        "extension_days_requested": requested,
        "extension_days": granted,
        "event_count": len(events),
        "assignee_id": assignee[0] if assignee else None,
    }
    for name, moment in deadlines.items():  # absent when the deadline does not exist (no test can match it)
        if moment is not None:
            last = last_day_of(moment, tz)
            fact[name] = to_local_iso(moment, tz)
            fact[f"{name}_epoch"] = epoch(moment)
            fact[f"{name}_last_day"] = last.isoformat()
            fact[f"{name}_day"] = day_number(last)  # `case.due_soon` counts days to it (L − d ≤ W)
    return fact
