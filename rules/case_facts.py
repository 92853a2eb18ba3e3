"""Case facts: each case's state at the as-of replayed from its timeline, with its deadlines computed.

Part of the fact builder (`rules.facts` calls it); deadlines follow `rules.deadlines`.
Only events at or before the as-of count, so a replay of history sees what was known then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from models.cases import Case, CaseEvent
from rules.case_timeline import derive_state
from models.enums import OPEN_CASE_STATUSES, CaseEventType, CaseKind, CaseLevel
from rules.config import CountyRules
from rules.deadlines import days_elapsed, days_past, due_at, is_past
from rules.periods import local_date, to_local_iso

if TYPE_CHECKING:
    from rules.facts import Intervals


_IN_CHUNK = 10_000  # bound parameters per statement, well below SQLite's and asyncpg's limits


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
    events: dict[int, list[dict[str, Any]]] = defaultdict(list)
    case_ids = [case["id"] for case in cases]
    for start in range(0, len(case_ids), _IN_CHUNK):  # by case ids: a join from case_event scans every event stored
        for row in await CaseEvent.filter(at__lte=as_of, case_id__in=case_ids[start : start + _IN_CHUNK]).values(
            "case_id", "seq", "type", "at", "to_level", "days", "approver_id"
        ):
            events[row["case_id"]].append(row)
    today = local_date(as_of, tz)
    for timeline in events.values():
        timeline.sort(key=lambda e: e["seq"])
    return [
        _case_fact(case, events.get(case["id"], []), as_of, tz, settings, code_by_id, leaders, today) for case in cases
    ]


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
    overdue_params = settings.params("case.overdue")
    holidays = settings.holidays
    state = derive_state(case["reported_level"], [(e["type"], e["to_level"]) for e in events])
    reported_at: datetime = case["reported_at"]
    kind = str(case["kind"])

    def first(event_type: CaseEventType) -> datetime | None:
        return next((e["at"] for e in events if e["type"] == event_type), None)

    accepted_at, rejected_at = first(CaseEventType.ACCEPTED), first(CaseEventType.REJECTED)
    extensions = [e for e in events if e["type"] == CaseEventType.EXTENDED and e["days"]]
    requested = sum(e["days"] for e in extensions)
    granted = min(requested, overdue_params["max_extension_days"])

    due: datetime | None
    if kind == CaseKind.DISPUTE:
        due_basis, due_start, handling_days = "reported", reported_at, overdue_params["D"]
    else:
        due_basis, due_start, handling_days = "accepted", accepted_at, overdue_params["petition_days"] + granted
    due = due_at(due_start, handling_days, tz, holidays) if due_start is not None else None
    acceptance_days = settings.params("case.acceptance_overdue")["days"]
    acceptance_due = due_at(reported_at, acceptance_days, tz, holidays) if kind == CaseKind.PETITION else None
    assignee = leaders.on(case["township_id"], today)
    escalations = [
        {"at": to_local_iso(e["at"], tz), "to_level": str(e["to_level"]) if e["to_level"] else None}
        for e in events
        if e["type"] == CaseEventType.ESCALATED
    ]
    return {
        "id": f"case|{case['number']}",
        "kind": "case",
        "case_id": case["id"],
        "case_number": case["number"],
        "case_kind": kind,
        "township": code_by_id[case["township_id"]],
        "village": case["village__code"],
        "reported_at": to_local_iso(reported_at, tz),
        "status": str(state.status),
        "open": state.status in OPEN_CASE_STATUSES,
        "level": str(state.level),
        "reported_level": str(case["reported_level"]),
        "escalated_ever": bool(escalations) or state.level != CaseLevel(case["reported_level"]),
        "escalations": escalations,
        "days_open": days_elapsed(reported_at, as_of, tz),
        "accepted_at": to_local_iso(accepted_at, tz) if accepted_at else None,
        "rejected_at": to_local_iso(rejected_at, tz) if rejected_at else None,
        "decided": accepted_at is not None or rejected_at is not None,
        "acceptance_due": to_local_iso(acceptance_due, tz) if acceptance_due else None,
        "acceptance_overdue": acceptance_due is not None and is_past(acceptance_due, as_of),
        "acceptance_days_late": days_past(acceptance_due, as_of, tz) if acceptance_due else 0,
        "due_basis": due_basis if due is not None else None,
        "handling_days": handling_days if due is not None else None,
        "extensions": [
            {"at": to_local_iso(e["at"], tz), "days": e["days"], "approver_id": e["approver_id"]} for e in extensions
        ],
        "extension_days_requested": requested,
        "extension_days": granted if kind == CaseKind.PETITION else 0,
        "due_at": to_local_iso(due, tz) if due else None,
        "overdue": due is not None and is_past(due, as_of),
        "days_overdue": days_past(due, as_of, tz) if due else 0,
        "event_count": len(events),
        "assignee_id": assignee[0] if assignee else None,
    }
