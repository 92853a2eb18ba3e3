"""The monthly rotation planner (分片联系): which bureau leader and staff member attend each township's thematic meeting.

A small assignment problem solved with OR-Tools CP-SAT (deterministic: one worker, fixed seed):

- each township gets at most one of its SCHEDULED thematic meetings of the month, attended by exactly
  one leader (BUREAU_LEADER or BUREAU_HEAD) and one staff member (BUREAU_STAFF);
- nobody is planned on a day they are unavailable, nor at two meetings in the same half-day;
- no leader gets more than `leader_cap` meetings in the month (catalog parameter
  `supervision.monthly_coverage.leader_cap`, overridable per county);
- objective, in this order: cover as many townships as possible; keep the standing 分片 leader
  (and anyone already planned on the meeting); balance the load (smallest maximum per person).

What cannot be covered is explained per township (no scheduled meeting, nobody free that day, or
the caps and half-day clashes leave nobody).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

W_COVER, W_KEEP, W_BALANCE = 10_000, 100, 1
TIME_LIMIT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class PlanMeeting:
    id: int
    township: str
    day: date  # local
    half: str  # AM | PM (local)


@dataclass(frozen=True, slots=True)
class PlanInput:
    townships: dict[str, str]  # code → name, every township of the county
    meetings: list[PlanMeeting]  # SCHEDULED thematic meetings of the month
    leaders: list[int]
    staff: list[int]
    unavailable: dict[int, set[date]]
    standing: dict[int, set[int]]  # meeting id → leaders assigned to its township on its day
    planned: dict[int, set[int]] = field(default_factory=dict)  # meeting id → bureau people already attending it
    leader_cap: int = 3


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    township: str
    meeting_id: int
    leader_id: int
    staff_id: int
    keeps_standing: bool


@dataclass(frozen=True, slots=True)
class Gap:
    township: str
    reason: str  # NO_SCHEDULED_MEETING | NO_LEADER_AVAILABLE | NO_STAFF_AVAILABLE | NO_CAPACITY
    message: str


@dataclass(frozen=True, slots=True)
class Plan:
    visits: list[PlannedVisit]
    gaps: list[Gap]
    status: str


def _free(person: int, meeting: PlanMeeting, data: PlanInput) -> bool:
    return meeting.day not in data.unavailable.get(person, set())


def _gap(township: str, name: str, meetings: list[PlanMeeting], data: PlanInput) -> Gap:
    """Why a township stays uncovered, from the simplest reason to the combined one."""
    if not meetings:
        return Gap(township, "NO_SCHEDULED_MEETING", f"{name} has no SCHEDULED thematic meeting this month: schedule one")
    days = ", ".join(sorted({m.day.isoformat() for m in meetings}))
    if not any(_free(p, m, data) for m in meetings for p in data.leaders):
        return Gap(township, "NO_LEADER_AVAILABLE", f"no bureau leader is available on {days}")
    if not any(_free(p, m, data) for m in meetings for p in data.staff):
        return Gap(township, "NO_STAFF_AVAILABLE", f"no bureau staff member is available on {days}")
    return Gap(township, "NO_CAPACITY", f"every free leader or staff member on {days} is at the cap of {data.leader_cap} "
               "meetings or at another meeting in the same half-day: move the meeting or raise the cap")


def plan_rotation(data: PlanInput) -> Plan:
    """The best assignment of the month's scheduled thematic meetings (see the module docstring)."""
    model = cp_model.CpModel()
    by_township: dict[str, list[PlanMeeting]] = defaultdict(list)
    for meeting in sorted(data.meetings, key=lambda m: (m.day, m.half, m.id)):
        by_township[meeting.township].append(meeting)
    lead: dict[tuple[int, int], cp_model.IntVar] = {}
    aide: dict[tuple[int, int], cp_model.IntVar] = {}
    chosen: dict[int, cp_model.IntVar] = {}
    for meeting in data.meetings:
        chosen[meeting.id] = model.new_bool_var(f"m{meeting.id}")
        leaders = [model.new_bool_var(f"l{meeting.id}_{p}") for p in data.leaders if _free(p, meeting, data)]
        staff = [model.new_bool_var(f"s{meeting.id}_{p}") for p in data.staff if _free(p, meeting, data)]
        lead.update({(meeting.id, p): v for p, v in zip([p for p in data.leaders if _free(p, meeting, data)], leaders, strict=True)})
        aide.update({(meeting.id, p): v for p, v in zip([p for p in data.staff if _free(p, meeting, data)], staff, strict=True)})
        model.add(sum(leaders) == chosen[meeting.id])
        model.add(sum(staff) == chosen[meeting.id])
    for meetings in by_township.values():
        model.add(sum(chosen[m.id] for m in meetings) <= 1)
    slots: dict[tuple[int, date, str], list[cp_model.IntVar]] = defaultdict(list)
    load: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for table in (lead, aide):
        for (meeting_id, person), var in table.items():
            meeting = next(m for m in data.meetings if m.id == meeting_id)
            slots[(person, meeting.day, meeting.half)].append(var)
            load[person].append(var)
    for variables in slots.values():
        model.add(sum(variables) <= 1)
    for person in data.leaders:
        model.add(sum(load[person]) <= data.leader_cap)
    most_led = model.new_int_var(0, len(data.meetings), "most_led")
    most_aided = model.new_int_var(0, len(data.meetings), "most_aided")
    for person in data.leaders:
        model.add(sum(load[person]) <= most_led)
    for person in data.staff:
        model.add(sum(load[person]) <= most_aided)
    kept = [var for (meeting_id, person), var in {**lead, **aide}.items()
            if person in data.standing.get(meeting_id, set()) | data.planned.get(meeting_id, set())]
    model.maximize(W_COVER * sum(chosen.values()) + W_KEEP * sum(kept) - W_BALANCE * (most_led + most_aided))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = TIME_LIMIT_SECONDS
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"the rotation model has no solution ({solver.status_name(status)})")
    visits: list[PlannedVisit] = []
    gaps: list[Gap] = []
    for code, name in sorted(data.townships.items()):
        picked = [m for m in by_township.get(code, []) if solver.value(chosen[m.id])]
        if not picked:
            gaps.append(_gap(code, name, by_township.get(code, []), data))
            continue
        meeting = picked[0]
        leader = next(p for (m, p), v in lead.items() if m == meeting.id and solver.value(v))
        staff = next(p for (m, p), v in aide.items() if m == meeting.id and solver.value(v))
        visits.append(PlannedVisit(code, meeting.id, leader, staff, leader in data.standing.get(meeting.id, set())))
    return Plan(visits, gaps, solver.status_name(status))
